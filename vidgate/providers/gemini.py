"""`gemini`: video on the Gemini API, which is now the Interactions API with the Gemini Omni models.

Veo on the Gemini API (`models/{m}:predictLongRunning`) is shut down: the catalog's `gemini:` block
keeps those models as retired, with their dates and successors. What this adapter sends:

    POST /v1beta/interactions   (x-goog-api-key)
         {"model", "input": prompt | [{"type": "user_input", "content": [image, text]}],
          "background": true,
          "response_format": {"type": "video", "aspect_ratio", "resolution", "duration": "8s",
                              "delivery": "uri"},
          "generation_config": {"video_config": {"task": "text_to_video" | "image_to_video"},
                                "seed"?}}                                  -> {"id", "status", ...}
    GET  /v1beta/interactions/{id}?stream=false                           -> the interaction
    POST /v1beta/interactions/{id}/cancel, DELETE /v1beta/interactions/{id}    (on delete)

A completed interaction carries the video as the `video` content of its `model_output` step: inline
base64 (`data`; what GET answers today even for `delivery: uri`) or a Files-API `uri` (its file is
read with GET /v1beta/files/{id} until ACTIVE, then downloaded with the key). We ask for `uri`
delivery: inline answers are capped near 4 MB, which 1080p and 4K clips pass; both kinds of answer
are taken. Inline base64 is decoded to the staging file a slice at a time. Failures come as
`status: failed` with `errors[]`, or a `model_output` step with an `error` (google.rpc.Status); a
completed interaction with no video (the model answered in words) is a failed job with its words.

The official SDK's `client.interactions` / `client.files` (google-genai 3.x) send the same requests
for the same values: see tests/sdk_oracles/test_gemini_oracle.py. What each model takes comes from
the catalog (`gemini:`); negative prompts are not taken (the API has none: say it in the prompt).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..catalog import resolution_tier
from ..config import ProviderSettings
from ..domain import ImageInput, JobRecord, JobStatus
from ..upstream import UpstreamError
from .answers import gone_is_fine, pending_status, required_id
from .base import (
    Capability,
    Completed,
    Failed,
    GenerationRequest,
    JobContext,
    Outcome,
    Pending,
    PreparedJob,
    RemoteProvider,
    Submitted,
)
from .checks import aspect_ratio, check_request, refuse_unsupported
from .inline import save_base64

# Not yet finished; a background interaction's continuation hops are the server's own business.
STATUS = {
    "queued": JobStatus.QUEUED,
    "in_progress": JobStatus.IN_PROGRESS,
    "requires_continuation": JobStatus.IN_PROGRESS,
}
ENDED = ("failed", "cancelled", "incomplete", "budget_exceeded")
FILE_ID = re.compile(r"/files/([^/:?]+)")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def model_output(interaction: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The content of the interaction's model_output steps, and the first step error among them."""
    content: list[dict[str, Any]] = []
    error = None
    for step in _dicts(interaction.get("steps")):
        if step.get("type") != "model_output":
            continue
        content += _dicts(step.get("content"))
        if error is None and isinstance(step.get("error"), dict):
            error = step["error"]
    return content, error


class GeminiOmni(RemoteProvider):
    name = "gemini"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST, Capability.DELETE}
    )
    default_base_url = "https://generativelanguage.googleapis.com"

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.version = settings.api_version or "v1beta"

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"x-goog-api-key": settings.api_key.get_secret_value()}

    def interaction(self, upstream_id: str, suffix: str = "") -> str:
        return f"/{self.version}/interactions/{upstream_id}{suffix}"

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("negative_prompt",))
        spec = self.model_spec(request.model)
        assert spec is not None  # the catalog lists every model gemini has
        seconds, size = check_request(self.name, spec, request)
        params = {"seed": request.seed} if request.seed is not None else {}
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        given: str | list[dict[str, Any]] = job.prompt
        task = "text_to_video"
        if image is not None:  # the first frame, then the words (as the API's own examples order them)
            frame = {"type": "image", "data": image.base64(), "mime_type": image.mime_type}
            given = [{"type": "user_input", "content": [frame, {"type": "text", "text": job.prompt}]}]
            task = "image_to_video"
        generation: dict[str, Any] = {"video_config": {"task": task}}
        if job.params.get("seed") is not None:
            generation["seed"] = job.params["seed"]
        return {
            "model": job.model,
            "input": given,
            "background": True,
            "response_format": {
                "type": "video",
                "aspect_ratio": aspect_ratio(job.size),
                "resolution": resolution_tier(job.size),
                "duration": f"{job.seconds}s",
                "delivery": "uri",
            },
            "generation_config": generation,
        }

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        answer = await self.client.create(f"/{self.version}/interactions", json=self.body(job, image))
        return Submitted(upstream_id=required_id(self.name, answer, "id", what="the interaction"))

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        assert job.upstream_id is not None
        found = await self.client.json("GET", self.interaction(job.upstream_id), params={"stream": "false"})
        status = found.get("status")
        if status == "completed":
            return await self._video(found, ctx)
        if status in ENDED:
            return self._failure(found, str(status))
        return Pending(pending_status(self.name, status, STATUS), None, self.poll_interval)

    def _failure(self, found: dict[str, Any], status: str) -> Failed:
        errors = _dicts(found.get("errors"))
        if errors and errors[0].get("message"):
            return Failed(str(errors[0].get("code") or status), str(errors[0]["message"]))
        _, error = model_output(found)
        if error and error.get("message"):
            return Failed(str(error.get("code") or status), str(error["message"]))
        return Failed(status, f"the interaction ended {status.replace('_', ' ')}")

    async def _video(self, found: dict[str, Any], ctx: JobContext) -> Outcome:
        content, error = model_output(found)
        video = next((c for c in reversed(content) if c.get("type") == "video"), None)
        if video is None:
            if error and error.get("message"):
                return Failed(str(error.get("code") or "no_output"), str(error["message"]))
            said = " ".join(str(c["text"]) for c in content if c.get("type") == "text" and c.get("text"))
            return Failed("no_output", said or "the interaction completed without a video")
        if video.get("data"):
            dest = ctx.staging_dir / "video.mp4"
            await save_base64(self.name, str(video["data"]), dest, ctx.max_asset_bytes)
            return Completed({"video": dest})
        if video.get("uri"):
            return await self._from_file(str(video["uri"]), ctx)
        raise UpstreamError(self.name, "the video has neither data nor a uri", status=502)

    async def _from_file(self, uri: str, ctx: JobContext) -> Outcome:
        """A Files-API video: downloadable once its file is ACTIVE. Only our own API's URIs get the key."""
        parts, base = urlsplit(uri), urlsplit(self.base_url(self.settings))
        ours = (parts.scheme, parts.netloc) == (base.scheme, base.netloc)
        match = FILE_ID.search(parts.path)
        if ours and match:
            meta = await self.client.json("GET", f"/{self.version}/files/{match.group(1)}")
            state = meta.get("state")
            if state == "FAILED":
                err = meta.get("error") if isinstance(meta.get("error"), dict) else {}
                return Failed("file_failed", str(err.get("message") or "the video file failed processing"))
            if state != "ACTIVE":
                pending_status(self.name, state, {"PROCESSING": JobStatus.IN_PROGRESS})
                return Pending(JobStatus.IN_PROGRESS, None, self.poll_interval)
        return await self.fetch_video(uri, ctx, authenticated=ours)

    async def cancel(self, job: JobRecord) -> None:
        """Stop a running interaction, then delete the stored one (its input and video) upstream."""
        if not job.upstream_id:
            return
        if job.active:
            try:
                await self.client.request("POST", self.interaction(job.upstream_id, "/cancel"))
            except UpstreamError as exc:  # finished meanwhile, or gone
                gone_is_fine(exc, (400, 404, 409))
        try:
            await self.client.request("DELETE", self.interaction(job.upstream_id))
        except UpstreamError as exc:
            gone_is_fine(exc)
