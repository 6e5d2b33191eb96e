"""`kling`: Kling AI (Kuaishou) video generation on its API v1 (`/v1/videos/text2video`,
`/v1/videos/image2video`), polled by task id on the endpoint that created it.

Credentials: an access key and a secret key (`access_key_id`, `secret_key`), from which every call
carries an HS256 JWT (`iss` the access key, `exp` now+1800, `nbf` now-5) as a bearer token, minted
with the standard library and renewed well before it expires (the gateway runs for days, a token
lives 30 minutes); or, for newer accounts, a plain API key (`api_key`) sent as the bearer.

The size picks Kling's `mode`: a 720p size is `std`, a 1080p size `pro`; its aspect ratio is sent as
`aspect_ratio` for text-to-video, while image-to-video follows the image's own (Kling takes no
aspect ratio there). Kling's answers carry a `code` of their own, also with HTTP 200, and it is that
code, not the HTTP status, that says what went wrong and whether trying again may help (a spent
balance comes as HTTP 429 but is not retried). Kling has no cancel or delete: deleting a video
removes the gateway's copy only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Generator
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ..catalog import resolution_tier
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamError
from ..upstream.client import RETRYABLE_STATUS, retry_after_seconds
from .answers import pending_status, required_id
from .base import (
    NOT_SUBMITTED,
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
from .checks import aspect_ratio, check_request, refuse_unsupported

TOKEN_LIFETIME = 1800  # seconds, as Kling's reference signs them
TOKEN_SKEW = 5  # nbf this far back, for clocks a little behind Kling's
TOKEN_RENEW_BEFORE = 300  # a token with less left than this is replaced before the next call

MODES = {"720p": "std", "1080p": "pro"}  # resolution tier of the size -> Kling's mode
PROMPT_LIMIT = 2500  # characters, for prompt and negative_prompt alike
IMAGE_TYPES = ("image/png", "image/jpeg")
# Models only /v1/videos/image2video has (its text2video reference does not list them).
IMAGE_ONLY = frozenset({"kling-v2-1"})
STATUS = {"submitted": JobStatus.QUEUED, "processing": JobStatus.IN_PROGRESS}

# Kling's code -> (the status we report, retryable, our error code). Its HTTP statuses say too
# little: 1101/1102 (no balance left) come as 429 like the rate limits, yet waiting will not help.
CODES: dict[int, tuple[int, bool, str]] = {
    1000: (401, False, "authentication_failed"),
    1001: (401, False, "authentication_failed"),
    1002: (401, False, "authentication_failed"),
    1003: (401, True, "authentication_failed"),  # not yet valid: our clock is ahead; soon it is
    1004: (401, False, "authentication_failed"),  # expired: a fresh token is minted for the next call
    1100: (403, False, "account_exception"),
    1101: (402, False, "insufficient_balance"),  # postpaid account in arrears
    1102: (402, False, "insufficient_balance"),  # resource packs used up or expired
    1103: (403, False, "permission_denied"),
    1200: (400, False, "invalid_request"),
    1201: (400, False, "invalid_request"),
    1202: (404, False, "invalid_method"),
    1203: (404, False, "resource_not_found"),
    1300: (400, False, "policy_violation"),
    1301: (400, False, "content_policy_violation"),
    1302: (429, True, "rate_limited"),
    1303: (429, True, "concurrency_limited"),
    1304: (403, False, "ip_not_allowed"),
    5000: (500, True, "provider_error"),
    5001: (503, True, "provider_unavailable"),
    5002: (504, True, "provider_timeout"),
}
CONCURRENCY_BACKOFF = 1.0  # seconds: Kling asks for at least this before retrying a 1303


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encode_jwt(claims: dict[str, Any], secret: str) -> str:
    """An HS256 JSON Web Token (RFC 7519): compact JSON, base64url without padding."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


class KlingToken(httpx.Auth):
    """Signs every request with a JWT from the access and secret key; one token serves until it has
    less than TOKEN_RENEW_BEFORE seconds left, then the next request mints a new one."""

    def __init__(self, access_key: str, secret_key: str, clock: Callable[[], float] = time.time) -> None:
        self.access_key = access_key
        self._secret_key = secret_key
        self.clock = clock
        self._token: str | None = None
        self._expires = 0

    def token(self) -> str:
        now = int(self.clock())
        if self._token is None or now >= self._expires - TOKEN_RENEW_BEFORE:
            self._expires = now + TOKEN_LIFETIME
            claims = {"iss": self.access_key, "exp": self._expires, "nbf": now - TOKEN_SKEW}
            self._token = encode_jwt(claims, self._secret_key)
        return self._token

    def forget(self) -> None:
        """Kling said the token expired (clocks apart): the next request gets a new one."""
        self._token = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


def uses_jwt(settings: ProviderSettings) -> bool:
    return bool(settings.access_key_id and settings.secret_key and settings.secret_key.get_secret_value())


def refusal(provider: str, response: httpx.Response, code: int, message: str) -> UpstreamError:
    """Kling's `code` as our error: its status, whether a retry may help, and its message."""
    fallback = response.status_code if response.status_code >= 400 else 502
    status, retryable, ours = CODES.get(code, (fallback, fallback in RETRYABLE_STATUS, "provider_error"))
    retry_after = retry_after_seconds(response)
    if code == 1303 and retry_after is None:
        retry_after = CONCURRENCY_BACKOFF
    return UpstreamError(
        provider,
        f"{message or 'no message'} (Kling code {code})",
        status=status,
        retryable=retryable,
        retry_after=retry_after,
        code=ours,
    )


class KlingVideos(RemoteProvider):
    name = "kling"
    # No DELETE: Kling can neither cancel nor delete a task; deleting removes the gateway's copy.
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST}
    )
    default_base_url = "https://api-singapore.klingai.com"
    # The access key and secret key (JWTs)...
    required_settings: ClassVar[tuple[str, ...]] = ("access_key_id", "secret_key")
    # ... or, instead, the API key of a newer account (the registry offers the provider with either).
    alternative_settings: ClassVar[tuple[tuple[str, ...], ...]] = (("api_key",),)

    def __init__(self, settings: ProviderSettings) -> None:
        super().__init__(settings)
        self.token: KlingToken | None = None
        if uses_jwt(settings):
            assert settings.access_key_id is not None and settings.secret_key is not None
            self.token = KlingToken(settings.access_key_id, settings.secret_key.get_secret_value())
            self.client.http.auth = self.token
        # Every answer from Kling's API (not the CDN's) is read for its code, inside the retry loop.
        hooks = self.client.http.event_hooks
        self.client.http.event_hooks = {**hooks, "response": [*hooks.get("response", []), self._read_code]}

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        if uses_jwt(settings):
            return {}  # the JWT is set per request by KlingToken
        return super().auth_headers(settings)

    async def _read_code(self, response: httpx.Response) -> None:
        """Kling's `{code, message}`: anything but code 0 is a refusal, whatever the HTTP status."""
        if "json" not in response.headers.get("content-type", ""):
            return
        await response.aread()
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return  # the client reports a malformed answer itself
        code = body.get("code") if isinstance(body, dict) else None
        if not isinstance(code, int) or isinstance(code, bool) or code == 0:
            return
        if code == 1004 and self.token is not None:
            self.token.forget()
        raise refusal(self.name, response, code, str(body.get("message") or ""))

    # --- what a model takes -----------------------------------------------------------------

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        refuse_unsupported(self.name, request, ("seed", "video_uri"))
        spec = self.model_spec(request.model)
        assert spec is not None  # a closed provider: unknown models were refused above
        seconds, size = check_request(self.name, spec, request)
        model = spec.name
        if model in IMAGE_ONLY and request.input_reference is None:
            raise InvalidRequest(
                f"{spec.id} makes video from an image only: send input_reference",
                param="input_reference",
                code="missing_input_reference",
                provider=self.name,
            )
        tier = resolution_tier(size)
        if tier not in MODES:
            raise InvalidRequest(
                f"{spec.id} takes 720p sizes (Kling's std mode) or 1080p sizes (pro mode), not {size}",
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        audio_tiers = spec.price.with_audio if spec.price is not None else None
        if request.audio and audio_tiers and tier not in audio_tiers:  # where Kling offers (and prices) it
            sizes = [s for s in spec.sizes or () if resolution_tier(s) in audio_tiers]
            raise InvalidRequest(
                f"{spec.id} generates audio only at {', '.join(sorted(audio_tiers))} (Kling's pro mode); "
                f"allowed sizes with audio: {', '.join(sizes)}",
                param="size",
                code="invalid_size",
                provider=self.name,
            )
        for param, text in (("prompt", request.prompt), ("negative_prompt", request.negative_prompt)):
            if text is not None and len(text) > PROMPT_LIMIT:
                raise InvalidRequest(
                    f"{spec.id} takes a {param} of at most {PROMPT_LIMIT} characters, not {len(text)}",
                    param=param,
                    code=f"invalid_{param}",
                    provider=self.name,
                )
        params: dict[str, Any] = {}
        if request.negative_prompt:
            params["negative_prompt"] = request.negative_prompt
        if request.audio is not None and spec.audio != "never":
            params["audio"] = request.audio
        return PreparedJob(model=model, seconds=seconds, size=size, params=params)

    def body(self, job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model_name": job.model,
            "prompt": job.prompt,
            "duration": str(job.seconds),
            "mode": MODES[resolution_tier(job.size)],
            "external_task_id": job.id,  # unique per account: the job is found by it after a lost answer
        }
        if job.params.get("negative_prompt"):
            body["negative_prompt"] = job.params["negative_prompt"]
        if job.params.get("audio") is not None:
            body["sound"] = "on" if job.params["audio"] else "off"
        if image is None:
            body["aspect_ratio"] = aspect_ratio(job.size)
        else:
            body["image"] = image.base64()  # raw base64: Kling refuses a data: prefix
        return body

    # --- the job upstream ---------------------------------------------------------------------

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        if image is not None and image.mime_type not in IMAGE_TYPES:
            raise UpstreamError(
                self.name,
                f"Kling takes input_reference as PNG or JPEG, not {image.mime_type}",
                status=400,
                code="invalid_input_reference",
            )
        endpoint = "image2video" if image is not None else "text2video"
        answer = await self.client.create(f"/v1/videos/{endpoint}", json=self.body(job, image))
        task_id = required_id(self.name, answer, "data", "task_id", what="the task")
        return Submitted(upstream_id=task_id, state={"endpoint": endpoint})

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """The task by the external_task_id it was sent with; Kling's 1203 (no such resource) proves
        it never arrived (and were it to arrive after all, a second create with the same
        external_task_id is refused, not charged twice)."""
        endpoint = "image2video" if job.params.get("input_image") else "text2video"
        try:
            answer = await self.client.json("GET", f"/v1/videos/{endpoint}/{quote(job.id, safe='')}")
        except UpstreamError as exc:
            if exc.code == "resource_not_found":
                return NOT_SUBMITTED
            raise
        task_id = required_id(self.name, answer, "data", "task_id", what="the task")
        return Submitted(upstream_id=task_id, state={"endpoint": endpoint})

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        endpoint = (job.upstream or {}).get("endpoint", "text2video")
        answer = await self.client.json(
            "GET", f"/v1/videos/{endpoint}/{quote(str(job.upstream_id), safe='')}"
        )
        task = answer.get("data")
        if not isinstance(task, dict):
            raise UpstreamError(self.name, "the task query answered without data", status=502, retryable=True)
        status = task.get("task_status")
        if status == "succeed":
            videos = (task.get("task_result") or {}).get("videos") or []
            url = videos[0].get("url") if videos and isinstance(videos[0], dict) else None
            if not isinstance(url, str) or not url:
                return Failed("no_output", "the task succeeded without a video URL")
            return await self.fetch_video(url, ctx)  # Kling's CDN URL: no credentials go there
        if status == "failed":
            return Failed("provider_failed", str(task.get("task_status_msg") or "the task failed"))
        return Pending(pending_status(self.name, status, STATUS), None, self.poll_interval)
