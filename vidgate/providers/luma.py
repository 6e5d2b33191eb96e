"""`luma`: Luma AI's Dream Machine API (Ray 2 models): generations created, polled by id, deleted.

Luma takes an aspect ratio and a resolution name (`16:9`, `720p`), not pixels: the catalog's sizes
are the nominal frame of each pair (the short side is the resolution), translated back here. A
reference image goes to Luma as a URL that Luma's servers fetch themselves (the API has no upload),
so a data URL or an uploaded file is refused with a 400 before anything is sent. Luma has no
cancel: deleting a generation (`DELETE /generations/{id}`) is what it offers, and what a delete
here does to a running job. Ray 3.x is not on this API: Luma serves it on its separate Agents API
(agents.lumalabs.ai, other keys and schema), which would be an adapter of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from .answers import gone_is_fine, pending_status, required_id
from .base import (
    Capability,
    Failed,
    GenerationRequest,
    JobContext,
    NotSubmitted,
    Outcome,
    Pending,
    PreparedJob,
    RemoteProvider,
    Submitted,
)
from .checks import check_request, refuse_unsupported

# Luma's names for the frame: aspect ratios and resolutions (by their short side in pixels).
RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9", "9:21")
RESOLUTIONS = {"540p": 540, "720p": 720, "1080p": 1080, "4k": 2160}
STATUS = {"queued": JobStatus.QUEUED, "dreaming": JobStatus.IN_PROGRESS}
RECOVER_PAGES, RECOVER_PAGE_SIZE = 3, 100


def frame_size(ratio: str, resolution: str) -> str:
    """`16:9`, `720p` -> `1280x720`: the nominal frame, the resolution on its short side."""
    across, down = (int(n) for n in ratio.split(":"))
    short = RESOLUTIONS[resolution]
    if across >= down:
        return f"{short * across // down}x{short}"
    return f"{short}x{short * down // across}"


# WxH -> (aspect_ratio, resolution), every pair Luma names.
FRAMES = {frame_size(ratio, res): (ratio, res) for res in RESOLUTIONS for ratio in RATIOS}


def generation_body(job: JobRecord) -> dict[str, Any]:
    """The create body for a job; `recover` matches Luma's echo of it (`request`) field by field."""
    ratio, resolution = FRAMES[job.size]
    body: dict[str, Any] = {
        "model": job.model,
        "prompt": job.prompt,
        "aspect_ratio": ratio,
        "resolution": resolution,
        "duration": f"{job.seconds}s",
    }
    if job.params.get("image_url"):
        body["keyframes"] = {"frame0": {"type": "image", "url": job.params["image_url"]}}
    return body


def _created_at(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class LumaDreamMachine(RemoteProvider):
    name = "luma"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )

    default_base_url = "https://api.lumalabs.ai/dream-machine/v1"

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.model_spec(request.model)
        assert spec is not None  # the catalog lists every Luma model this adapter takes
        refuse_unsupported(self.name, request, ("negative_prompt", "seed"))
        seconds, size = check_request(self.name, spec, request)
        if size not in FRAMES:  # a size an operator added to the catalog that Luma cannot name
            raise InvalidRequest(
                f"{spec.id} cannot make {size}: Luma takes an aspect ratio and a resolution; sizes: "
                + ", ".join(s for s in spec.sizes or FRAMES if s in FRAMES),
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        params: dict[str, Any] = {}
        if request.input_reference is not None:
            params["image_url"] = self._image_url(spec.id, request.input_reference)
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    def _image_url(self, model: str, reference: str) -> str:
        """Luma fetches the start frame itself, from a URL: it has no upload and takes no data URL."""
        parts = urlsplit(reference)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(
                f"{model} takes input_reference only as an http(s) URL that Luma's servers fetch "
                "themselves (its API has no image upload); a data URL or an uploaded file cannot be "
                "passed on: host the image and send its URL",
                param="input_reference",
                code="image_url_required",
                provider=self.name,
            )
        return reference

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        # `image` is the gateway's checked copy of the caller's URL (prepare kept the URL, and
        # refused any reference that is not one): Luma is sent the URL itself.
        generation = await self.client.create("/generations/video", json=generation_body(job))
        return Submitted(upstream_id=required_id(self.name, generation, "id", what="the generation"))

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """After a lost create answer: the one generation among the newest whose echoed request is
        this job's body, created since shortly before the job. Luma does not document its list's
        order, so not finding it proves nothing: then None (the job is not submitted again)."""
        body, window = generation_body(job), job.created_at - 60
        matches: set[str] = set()
        for page in range(RECOVER_PAGES):
            listing = await self.client.json(
                "GET",
                "/generations",
                params={"limit": RECOVER_PAGE_SIZE, "offset": page * RECOVER_PAGE_SIZE},
            )
            generations = [g for g in listing.get("generations") or [] if isinstance(g, dict)]
            for generation in generations:
                request = generation.get("request")
                created = _created_at(generation.get("created_at"))
                if (
                    isinstance(request, dict)
                    and isinstance(generation.get("id"), str)
                    and all(request.get(k) == v for k, v in body.items())
                    and (created is None or created >= window)
                ):
                    matches.add(generation["id"])
            if not listing.get("has_more") or not generations:
                break
        return Submitted(upstream_id=matches.pop()) if len(matches) == 1 else None

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        generation = await self.client.json("GET", f"/generations/{quote(str(job.upstream_id), safe='')}")
        state = generation.get("state")
        if state == "completed":
            video = (generation.get("assets") or {}).get("video")
            if not isinstance(video, str) or not video:
                return Failed("no_output", "the generation completed without a video URL")
            return await self.fetch_video(video, ctx)  # Luma's CDN URL: sent no credentials
        if state == "failed":
            return Failed("provider_failed", str(generation.get("failure_reason") or "the generation failed"))
        return Pending(pending_status(self.name, state, STATUS), None, self.poll_interval)

    async def cancel(self, job: JobRecord) -> None:
        """Luma has no cancel: a running generation is deleted, which is what it offers."""
        if not job.upstream_id:
            return
        try:
            await self.client.request("DELETE", f"/generations/{quote(job.upstream_id, safe='')}")
        except UpstreamError as exc:
            gone_is_fine(exc)
