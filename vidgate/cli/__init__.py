"""The `vidgate` command: `serve` and `migrate` run the gateway; `keys` manages stored keys; the video
commands (generate, list, get, download, remix, delete) talk to a running gateway through the
generated client."""

from __future__ import annotations

import typer

from .keys import keys
from .server import migrate, serve
from .videos import register as register_video_commands

app = typer.Typer(help="vidgate: one HTTP API for AI video generation.", no_args_is_help=True)
app.command()(serve)
app.command()(migrate)
app.add_typer(keys, name="keys")
register_video_commands(app)
