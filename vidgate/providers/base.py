"""The one small interface every provider implements, and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ..catalog import ModelSpec, ProviderEntry
from ..config import ProviderSettings
from ..domain import InvalidRequest, JobRecord, JobStatus, VideoInput, unsupported_operation
from ..upstream import UpstreamClient

T = TypeVar("T")


class Capability(StrEnum):
    """What a provider can do; the values are Bifrost's request types."""

    CREATE = "video_generation"
    RETRIEVE = "video_retrieve"
    DOWNLOAD = "video_download"
    LIST = "video_list"
    DELETE = "video_delete"
    REMIX = "video_remix"
    EDIT = "video_edit"  # a source video made again to a new prompt
    EXTEND = "video_extend"  # a source video continued and stitched: one longer video
    CHARACTERS = "video_character"  # casts the caller's characters (POST /v1/videos/characters)


@dataclass(frozen=True)
class GenerationRequest:
    """Our request, normalised: the provider's `model` without the `provider/` prefix."""

    model: str
    prompt: str
    seconds: int | None = None
    size: str | None = None
    negative_prompt: str | None = None
    seed: int | None = None
    audio: bool | None = None
    input_reference: str | None = None
    video_uri: str | None = None


@dataclass(frozen=True)
class PreparedJob:
    """What the provider accepted: the values to store and show (nothing silently changed)."""

    model: str
    seconds: int
    size: str
    params: dict[str, Any] = field(default_factory=dict)
    billed_seconds: int | None = None  # what is priced, where not `seconds` (an extension's new part)


@dataclass(frozen=True)
class SourceVideo:
    """The video an edit or extension starts from: a completed job of the caller's, or an upload."""

    job: JobRecord | None = None
    upload: VideoInput | None = None

    @property
    def seconds(self) -> int:
        if self.job is not None:
            return self.job.seconds
        assert self.upload is not None
        return max(1, round(self.upload.seconds))


@dataclass(frozen=True)
class Submitted:
    """The provider accepted the job: its id, and any bookkeeping needed to poll it later."""

    upstream_id: str
    state: dict[str, Any] = field(default_factory=dict)


class NotSubmitted:
    """A lookup proved the provider never received the job: submitting it now is safe."""


NOT_SUBMITTED = NotSubmitted()


@dataclass(frozen=True)
class Pending:
    """Not finished: what the provider says now, and when to ask again."""

    status: JobStatus
    progress: float | None
    retry_in: float
    healthy: bool = True  # False: the poll itself failed; counts towards giving up


@dataclass(frozen=True)
class Completed:
    files: dict[str, Path]  # variant -> file in the job's staging dir


@dataclass(frozen=True)
class Failed:
    code: str
    message: str


@dataclass(frozen=True)
class Abandoned:
    """The work stopped without an outcome: the job was deleted, or this worker is stopping."""


Outcome = Completed | Failed | Pending | Abandoned


class JobContext(ABC):
    """What the worker lends a provider while it advances one job."""

    staging_dir: Path

    @abstractmethod
    async def run_blocking(self, fn: Callable[[Callable[[float], None]], T]) -> T:
        """Run fn(on_progress) off the event loop; on_progress(fraction) raises when to stop."""

    @abstractmethod
    async def source_asset(self, public_id: str, variant: str) -> Path | None:
        """The local file of another job's asset (remix), or None when it is gone."""

    async def stored_file(self, asset_id: str, meta: dict[str, Any]) -> Path | None:
        """A file the gateway stored under `asset_id` (an upload, a character's still), or None."""
        return None

    max_asset_bytes: int = 4 << 30


class VideoProvider(ABC):
    """A provider translates; the worker and the upstream client do the rest.

    Remote providers are submitted to in the create request (so the response names the provider
    that accepted the job) and then polled by the worker through `advance`. A provider that
    `runs_locally` does all its work in `advance`.
    """

    name: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]
    runs_locally: ClassVar[bool] = False
    max_concurrency: int = 16
    poll_interval: float = 5.0  # seconds between polls; failed polls back off from it
    catalog: ProviderEntry  # this provider's models, their limits and prices (set by the registry)

    def model_spec(self, model: str) -> ModelSpec | None:
        """The catalog's entry for a model; None for a model an open provider has that the catalog
        does not list (then only the provider can say what it takes). An unknown model of a closed
        provider is a 400 naming the models it has."""
        spec = self.catalog.models.get(model)
        if spec is None and not self.catalog.open_models:
            known = sorted(m for m, s in self.catalog.models.items() if not s.retired())
            raise InvalidRequest(
                f"model {self.name}/{model} does not exist; {self.name} offers "
                + ", ".join(f"{self.name}/{m}" for m in known),
                param="model",
                code="model_not_found",
                provider=self.name,
            )
        return spec

    @abstractmethod
    def prepare(self, request: GenerationRequest) -> PreparedJob:
        """Check what this provider can take (400 listing the allowed values) and fill defaults."""

    def prepare_remix(self, source: JobRecord, prompt: str) -> PreparedJob:
        return PreparedJob(model=source.model, seconds=source.seconds, size=source.size)

    def prepare_edit(self, source: SourceVideo, model: str, prompt: str) -> PreparedJob:
        """Check an edit of `source` by `model` (the EDIT capability)."""
        raise unsupported_operation(Capability.EDIT.value, self.name)

    def prepare_extend(self, source: SourceVideo, model: str, prompt: str, seconds: int) -> PreparedJob:
        """Check an extension of `source` by `seconds` (the EXTEND capability); the prepared
        `seconds` is the stitched total, `billed_seconds` what the provider charges for."""
        raise unsupported_operation(Capability.EXTEND.value, self.name)

    @abstractmethod
    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        """Move the job forward; called by the worker that holds the job's lease."""

    async def submit(self, job: JobRecord, source: JobRecord | None = None) -> Submitted:
        """Create the upstream job (a remix of `source` when given). Raises UpstreamError."""
        raise NotImplementedError(f"{self.name} renders locally and takes no submissions")

    async def submit_operation(self, job: JobRecord, source: SourceVideo) -> Submitted:
        """Create the upstream edit or extension (`job.params["operation"]`). Raises UpstreamError."""
        raise NotImplementedError(f"{self.name} takes no edits or extensions")

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """After a crash or a lost answer between recording and answering the create call: the
        upstream job if found, NOT_SUBMITTED if a lookup proves it was never received, None when
        the provider gives no way to know (then the job is never resubmitted)."""
        return None

    async def cancel(self, job: JobRecord) -> None:
        """Delete or cancel the upstream job (the DELETE capability); nothing to do by default."""
        return None

    async def aclose(self) -> None:
        """Release pooled connections; nothing to do by default."""
        return None

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities


class RemoteProvider(VideoProvider):
    """A provider behind HTTP: one pooled upstream client, built from its settings."""

    default_base_url: ClassVar[str]
    required_settings: ClassVar[tuple[str, ...]] = ("api_key",)

    def __init__(self, settings: ProviderSettings) -> None:
        self.settings = settings
        self.poll_interval = settings.poll_interval_seconds
        self.max_concurrency = settings.max_concurrency
        self.client = UpstreamClient(
            self.name, settings, auth_headers=self.auth_headers(settings), base_url=self.base_url(settings)
        )

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        assert settings.api_key is not None
        return {"Authorization": f"Bearer {settings.api_key.get_secret_value()}"}

    def base_url(self, settings: ProviderSettings) -> str:
        return settings.base_url or self.default_base_url

    async def fetch_video(self, url: str, ctx: JobContext, *, authenticated: bool = False) -> Completed:
        """The finished MP4 into the job's staging folder (presigned URLs get no credentials)."""
        dest = ctx.staging_dir / "video.mp4"
        await self.client.download(url, dest, max_bytes=ctx.max_asset_bytes, authenticated=authenticated)
        return Completed({"video": dest})

    async def aclose(self) -> None:
        await self.client.aclose()
