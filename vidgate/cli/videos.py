"""`vidgate generate|list|get|download|remix|delete`: a shell client built on the generated client.

Exit codes: 0 done; 1 the gateway refused (its message is printed) or the job failed; 2 the
gateway could not be reached or the command line is wrong.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from vidgate_client import AuthenticatedClient
from vidgate_client.api.videos import (
    video_delete,
    video_download,
    video_generation,
    video_list,
    video_remix,
    video_retrieve,
)
from vidgate_client.models import (
    VideoDownloadVariant,
    VideoGenerationRequest,
    VideoGenerationResponse,
    VideoRemixRequest,
)
from vidgate_client.types import UNSET

from .client import AsJson, Key, Url, call, err, out, user_client

_client = user_client
_call = call


def _show(job: VideoGenerationResponse, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(job.to_dict()))
        return
    table = Table(show_header=False, box=None)
    for field in ("id", "status", "progress", "model", "prompt", "seconds", "size", "remixed_from_video_id"):
        value = getattr(job, field, UNSET)
        if value is not UNSET and value is not None:
            table.add_row(field, str(getattr(value, "value", value)))
    if job.error is not UNSET and job.error:
        table.add_row("error", f"{job.error.code}: {job.error.message}")
    out.print(table)


def _wait(client: AuthenticatedClient, video_id: str, quiet: bool) -> VideoGenerationResponse:
    """Poll until done, with a live progress bar fed by the job's progress."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    ) as bar:
        task = bar.add_task("queued", total=100)
        while True:
            job = _call(video_retrieve.sync_detailed, video_id, client=client).parsed
            bar.update(task, completed=job.progress, description=job.status.value)
            if job.status.value in ("completed", "failed"):
                return job
            time.sleep(0.5)


def _download(client: AuthenticatedClient, video_id: str, variant: str, path: Path) -> None:
    response = _call(
        video_download.sync_detailed, video_id, client=client, variant=VideoDownloadVariant(variant)
    )
    path.write_bytes(response.content)
    err.print(f"saved {variant} to {path} ({len(response.content)} bytes)")


def _finish(
    client: AuthenticatedClient, job: VideoGenerationResponse, wait: bool, output: Path | None, as_json: bool
) -> None:
    if wait or output:
        job = _wait(client, job.id, quiet=as_json)
    _show(job, as_json)
    if job.status.value == "failed":
        raise typer.Exit(1)
    if output:
        _download(client, job.id, "video", output)


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        prompt: str,
        model: Annotated[str, typer.Option(help="provider/model")] = "local/default",
        seconds: Annotated[int | None, typer.Option(min=1, max=60)] = None,
        size: Annotated[str | None, typer.Option(help="WIDTHxHEIGHT")] = None,
        seed: int | None = None,
        negative_prompt: str | None = None,
        audio: bool = False,
        wait: Annotated[bool, typer.Option(help="Poll until done, with a progress bar.")] = False,
        output: Annotated[
            Path | None, typer.Option("--out", help="Save the MP4 here (implies --wait).")
        ] = None,
        url: Url = "http://127.0.0.1:8000",
        key: Key = None,
        as_json: AsJson = False,
    ) -> None:
        """Create a video job."""
        body = {
            "model": model,
            "prompt": prompt,
            "seconds": seconds,
            "size": size,
            "seed": seed,
            "negative_prompt": negative_prompt,
            "audio": audio or None,
        }
        request = VideoGenerationRequest.from_dict({k: v for k, v in body.items() if v is not None})
        with _client(url, key) as client:
            job = _call(video_generation.sync_detailed, client=client, body=request).parsed
            _finish(client, job, wait, output, as_json)

    @app.command("list")
    def list_(
        provider: str = "local",
        limit: int = 20,
        url: Url = "http://127.0.0.1:8000",
        key: Key = None,
        as_json: AsJson = False,
    ) -> None:
        """List your jobs of one provider, newest first."""
        with _client(url, key) as client:
            page = _call(video_list.sync_detailed, client=client, provider=provider, limit=limit).parsed
        if as_json:
            out.print_json(json.dumps(page.to_dict()))
            return
        table = Table("id", "status", "progress", "seconds", "size", "prompt")
        for v in page.data:
            table.add_row(
                v.id, v.status.value, f"{v.progress:.0f}%", str(v.seconds), str(v.size), v.prompt[:40]
            )
        out.print(table)

    @app.command()
    def get(
        video_id: str, url: Url = "http://127.0.0.1:8000", key: Key = None, as_json: AsJson = False
    ) -> None:
        """Show one job."""
        with _client(url, key) as client:
            _show(_call(video_retrieve.sync_detailed, video_id, client=client).parsed, as_json)

    @app.command()
    def download(
        video_id: str,
        variant: Annotated[str, typer.Option(help="video, thumbnail or spritesheet")] = "video",
        output: Annotated[Path | None, typer.Option("--out")] = None,
        url: Url = "http://127.0.0.1:8000",
        key: Key = None,
    ) -> None:
        """Download a finished job's video, thumbnail or spritesheet."""
        suffix = {"video": ".mp4", "thumbnail": ".webp", "spritesheet": ".jpg"}.get(variant, "")
        with _client(url, key) as client:
            _download(client, video_id, variant, output or Path(video_id.split(":")[0] + suffix))

    @app.command()
    def remix(
        video_id: str,
        prompt: str,
        wait: bool = False,
        output: Annotated[Path | None, typer.Option("--out")] = None,
        url: Url = "http://127.0.0.1:8000",
        key: Key = None,
        as_json: AsJson = False,
    ) -> None:
        """Make a new job from a completed one."""
        with _client(url, key) as client:
            job = _call(
                video_remix.sync_detailed, video_id, client=client, body=VideoRemixRequest(prompt=prompt)
            ).parsed
            _finish(client, job, wait, output, as_json)

    @app.command()
    def delete(video_id: str, url: Url = "http://127.0.0.1:8000", key: Key = None) -> None:
        """Delete a job and its files."""
        with _client(url, key) as client:
            _call(video_delete.sync_detailed, video_id, client=client)
        err.print(f"deleted {video_id}")
