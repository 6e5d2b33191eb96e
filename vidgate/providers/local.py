"""`local`: the embedded CPU renderer, so the gateway does its whole job with no provider key."""

from __future__ import annotations

import dataclasses
import secrets
from typing import ClassVar

from .. import render
from ..config import RenderSettings
from ..domain import InvalidRequest, JobRecord
from ..render import STYLES, ClipSpec, SourceScene
from .base import (
    Capability,
    Completed,
    Failed,
    GenerationRequest,
    JobContext,
    Outcome,
    PreparedJob,
    SourceVideo,
    VideoProvider,
)
from .checks import check_request, parse_size

MIN_SIDE, MAX_SIDE = 64, 1920
DEFAULT_SECONDS = 4
DEFAULT_SIZE = "1280x720"
MAX_TOTAL_SECONDS = 80  # an extension's stitched total (a 60 s source plus 20 s)


class LocalVideos(VideoProvider):
    name = "local"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(Capability)
    runs_locally = True

    def __init__(self, settings: RenderSettings) -> None:
        self.settings = settings
        self.max_concurrency = settings.concurrency

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.model_spec(request.model)
        if spec is None or request.model not in STYLES:  # the catalog and the renderer must agree
            raise InvalidRequest(
                f"model local/{request.model} does not exist; local offers "
                + ", ".join(f"local/{s}" for s in STYLES),
                param="model",
                code="model_not_found",
                provider=self.name,
            )
        if request.input_reference is not None or request.video_uri is not None:
            param = "input_reference" if request.input_reference is not None else "video_uri"
            raise InvalidRequest(
                f"the local provider renders from the prompt only and does not take {param}; "
                "send it to a provider that does (e.g. openai/sora-2)",
                param=param,
                code="unsupported_parameter",
                provider=self.name,
            )
        size = request.size or spec.default_size or DEFAULT_SIZE
        self._check_size(size)
        seconds, _ = check_request(self.name, spec, dataclasses.replace(request, size=size))
        seed = request.seed if request.seed is not None else secrets.randbelow(2**32)
        return PreparedJob(
            model=request.model,
            seconds=seconds,
            size=size,
            params={
                "seed": seed,
                "negative_prompt": request.negative_prompt or "",
                "audio": bool(request.audio),
            },
        )

    def _check_size(self, size: str) -> None:
        width, height = parse_size(size)
        problems = []
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            problems.append(f"each side must be from {MIN_SIDE} to {MAX_SIDE}")
        if width % 2 or height % 2:
            problems.append("both sides must be even (H.264 with 4:2:0 chroma)")
        if width * height > self.settings.max_pixels:
            problems.append(f"at most {self.settings.max_pixels} pixels (e.g. 1920x1080)")
        if problems:
            raise InvalidRequest(
                f"size {size} is not one the local provider renders: "
                + "; ".join(problems)
                + ". Common sizes: 1280x720, 720x1280, 1920x1080, 640x360",
                param="size",
                code="invalid_size",
                provider=self.name,
            )

    def prepare_remix(self, source: JobRecord, prompt: str) -> PreparedJob:
        return PreparedJob(
            model=source.model,
            seconds=source.seconds,
            size=source.size,
            params={
                "seed": source.params.get("seed", 0),
                "negative_prompt": "",
                "audio": bool(source.params.get("audio")),
            },
        )

    def _from_source(self, source: SourceVideo, model: str) -> tuple[str, str, dict[str, object]]:
        """The model, size and params an edit or extension of `source` renders with: a job of ours
        is drawn again from its own scene; an upload or another provider's video keeps its frame
        size (made even)."""
        if source.job is not None and source.job.provider == self.name:
            job = source.job
            scene = {
                "prompt": job.prompt,
                "seed": int(job.params.get("seed", 0)),
                "style": job.model,
                "negative_prompt": str(job.params.get("negative_prompt", "")),
            }
            params = {"seed": scene["seed"], "audio": bool(job.params.get("audio")), "source_scene": scene}
            return job.model, job.size, params
        self.prepare(GenerationRequest(model=model, prompt="-"))  # the model must be one of ours
        if source.upload is not None:
            size = f"{source.upload.width & ~1}x{source.upload.height & ~1}"
        else:  # another provider's video, which the worker reads from the gateway's files
            assert source.job is not None
            width, height = parse_size(source.job.size)
            size = f"{width & ~1}x{height & ~1}"
        self._check_size(size)
        return model, size, {"seed": secrets.randbelow(2**32), "audio": False}

    def prepare_edit(self, source: SourceVideo, model: str, prompt: str) -> PreparedJob:
        model, size, params = self._from_source(source, model)
        return PreparedJob(model=model, seconds=source.seconds, size=size, params=params)

    def prepare_extend(self, source: SourceVideo, model: str, prompt: str, seconds: int) -> PreparedJob:
        model, size, params = self._from_source(source, model)
        total = source.seconds + seconds
        if not 1 <= seconds <= 20 or total > MAX_TOTAL_SECONDS:
            raise InvalidRequest(
                f"the local provider extends by 1 to 20 seconds, to at most {MAX_TOTAL_SECONDS} s in "
                f"all; this would make {total} s",
                param="seconds",
                code="invalid_seconds",
                provider=self.name,
            )
        return PreparedJob(
            model=model,
            seconds=total,
            size=size,
            params={**params, "extension_seconds": seconds},
            billed_seconds=seconds,
        )

    def _clip(self, job: JobRecord, cast: tuple[str, ...] = ()) -> ClipSpec:
        width, height = parse_size(job.size)
        return ClipSpec(
            prompt=job.prompt,
            seconds=job.seconds,
            width=width,
            height=height,
            fps=self.settings.fps,
            seed=int(job.params.get("seed", 0)),
            negative_prompt=str(job.params.get("negative_prompt", "")),
            style=job.model,
            audio=bool(job.params.get("audio")),
            preset=self.settings.preset,
            cast=cast,
        )

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        out = ctx.staging_dir
        if job.params.get("operation") in ("edit", "extend"):
            return await self._operate(job, ctx)
        stills = []
        for character in job.params.get("characters") or []:
            still = await ctx.stored_file(character["asset_id"], character["still"])
            if still is None:
                return Failed("character_unavailable", f"the still of character {character['id']} is gone")
            stills.append(str(still))
        spec = self._clip(job, tuple(stills))
        if job.remixed_from is None:
            files = await ctx.run_blocking(lambda progress: render.render_clip(spec, out, progress))
            return Completed(files)
        source = await ctx.source_asset(job.remixed_from, "video")
        if source is None:
            return Failed(
                "source_unavailable",
                f"the source video {job.remixed_from} was deleted or expired before the remix ran",
            )
        files = await ctx.run_blocking(lambda progress: render.remix_clip(source, spec, out, progress))
        return Completed(files)

    async def _operate(self, job: JobRecord, ctx: JobContext) -> Outcome:
        """An edit or extension: the source (a job of the caller's, or the upload kept with this job)."""
        source_id = job.params.get("source_video_id")
        if source_id:
            source = await ctx.source_asset(source_id, "video")
        else:
            source = await ctx.stored_file(job.id, job.params.get("source_upload") or {})
        if source is None:
            return Failed(
                "source_unavailable",
                f"the source video {source_id or '(upload)'} was deleted or expired before this job ran",
            )
        spec = self._clip(job)
        scene = job.params.get("source_scene")
        known = SourceScene(**scene) if scene else None
        out = ctx.staging_dir
        if job.params["operation"] == "extend":
            more = int(job.params["extension_seconds"])
            files = await ctx.run_blocking(
                lambda progress: render.extend_clip(source, spec, more, known, out, progress)
            )
        else:
            files = await ctx.run_blocking(
                lambda progress: render.edit_clip(source, spec, known, out, progress)
            )
        return Completed(files)
