"""The `vidgate` command: `serve` and `migrate` run the gateway; everything else talks to a running
gateway through the generated client: the video commands and `usage` with an API key; `keys`,
`tenants` and `spend` with an admin key (the admin API)."""

from __future__ import annotations

import typer

from .keys import keys, spend, tenants
from .server import migrate, serve
from .usage import usage
from .videos import register as register_video_commands

app = typer.Typer(help="vidgate: one HTTP API for AI video generation.", no_args_is_help=True)
app.command()(serve)
app.command()(migrate)
app.add_typer(keys, name="keys")
app.add_typer(tenants, name="tenants")
app.command()(spend)
app.command()(usage)
register_video_commands(app)
