"""`bedrock`: Amazon Bedrock's video models through the runtime's async invoke API.

One generic API (StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes; signed with SigV4 for the
service `bedrock`) carries an opaque `modelInput` whose shape each model family defines; the video
is written to the operator's S3 bucket (`output_uri`), under a folder named after the invocation,
and fetched from there with an S3-signed GET. There is no cancel.

A start carries a client request token derived from the job id: AWS's idempotency token, so the
same start sent again is the same invocation. After a lost answer the job is looked up by that
token in ListAsyncInvokes; only when the listing since the job's creation does not show it is it
started again, with the same token.

API reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_StartAsyncInvoke.html
Model inputs: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-luma.html,
https://docs.aws.amazon.com/nova/latest/userguide/video-gen-access.html
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ..catalog import ModelSpec
from ..config import ProviderSettings
from ..domain import ImageInput, InvalidRequest, JobRecord, JobStatus
from ..upstream import UpstreamClient, UpstreamError
from .answers import pending_status, required_id
from .base import (
    NOT_SUBMITTED,
    Capability,
    Completed,
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
from .checks import check_request, parse_size, refuse_unsupported
from .sigv4 import SigV4Auth

STATUS = {"InProgress": JobStatus.IN_PROGRESS}  # and Completed, Failed
# s3://bucket[/prefix], as the API's s3Uri pattern has it
S3_URI = re.compile(r"^s3://([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:/(.*))?$")
LUMA_RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9", "9:21")
IMAGE_FORMATS = {"image/png": "png", "image/jpeg": "jpeg"}
PROMPT_LIMITS = {"luma": 5000, "nova-reel": 512}
LIST_PAGES = 10
LIST_PAGE_SIZE = 100
OUTPUT_FILE = "output.mp4"


def client_token(job: JobRecord) -> str:
    """The start's idempotency token: the same for every start of this job, unique across jobs."""
    return f"vidgate-{job.id}"


def family(model: str) -> str | None:
    """Which request format a model id takes: `luma.ray-*` or `amazon.nova-reel-*`."""
    if model.startswith("luma.ray"):
        return "luma"
    if model.startswith("amazon.nova-reel"):
        return "nova-reel"
    return None


def luma_shape(size: str) -> tuple[str, str]:
    """`1280x720` -> (`16:9`, `720p`): Luma's aspect ratio and resolution words for a size."""
    width, height = parse_size(size)
    for ratio in LUMA_RATIOS:
        w, _, h = ratio.partition(":")
        if width * int(h) == height * int(w):
            return ratio, f"{min(width, height)}p"
    raise InvalidRequest(  # only reachable with a catalog override listing such a size
        f"size {size} has none of Luma's aspect ratios ({', '.join(LUMA_RATIOS)})",
        param="size",
        code="invalid_size",
        provider="bedrock",
    )


def luma_input(job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
    aspect, resolution = luma_shape(job.size)
    body: dict[str, Any] = {
        "prompt": job.prompt,
        "aspect_ratio": aspect,
        "duration": f"{job.seconds}s",
        "resolution": resolution,
    }
    if image is not None:  # the first frame
        body["keyframes"] = {
            "frame0": {
                "type": "image",
                "source": {"type": "base64", "media_type": image.mime_type, "data": image.base64()},
            }
        }
    return body


def nova_reel_input(job: JobRecord, image: ImageInput | None) -> dict[str, Any]:
    params: dict[str, Any] = {"text": job.prompt}
    if image is not None:  # the first frame
        params["images"] = [{"format": IMAGE_FORMATS[image.mime_type], "source": {"bytes": image.base64()}}]
    width, height = parse_size(job.size)
    config: dict[str, Any] = {"durationSeconds": job.seconds, "fps": 24, "dimension": f"{width}x{height}"}
    if job.params.get("seed") is not None:
        config["seed"] = job.params["seed"]
    return {"taskType": "TEXT_VIDEO", "textToVideoParams": params, "videoGenerationConfig": config}


MODEL_INPUTS = {"luma": luma_input, "nova-reel": nova_reel_input}


def aws_error_message(response: httpx.Response) -> str:
    """`Code: message` from a rest-json error: the code from `x-amzn-ErrorType` (`Code:namespace`),
    else the body's `__type` (`namespace#Code`), as botocore reads it."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    body = body if isinstance(body, dict) else {}
    code = response.headers.get("x-amzn-errortype", "").split(":", 1)[0]
    if not code and isinstance(body.get("__type"), str):
        code = body["__type"].rsplit("#", 1)[-1]
    message = body.get("message") or body.get("Message") or f"HTTP {response.status_code}"
    if response.status_code == 403:
        message = (
            f"{message} (check the access key id, secret key and region, and that the key's IAM policy "
            "allows bedrock:InvokeModel, bedrock:GetAsyncInvoke and bedrock:ListAsyncInvokes on this model)"
        )
    return f"{code}: {message}" if code else str(message)


def s3_error_message(response: httpx.Response) -> str:
    """S3's XML error: `<Error><Code>…</Code><Message>…</Message></Error>`."""
    found = {
        tag: match.group(1)
        for tag in ("Code", "Message")
        if (match := re.search(rf"<{tag}>([^<]*)</{tag}>", response.text[:4000]))
    }
    message = f"{found.get('Code', f'HTTP {response.status_code}')}: {found.get('Message', '')}".rstrip(": ")
    if response.status_code == 403:
        message += " (the AWS credentials need s3:GetObject on the output_uri bucket and prefix)"
    return f"S3 {message}"


class BedrockVideos(RemoteProvider):
    name = "bedrock"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.CREATE, Capability.RETRIEVE, Capability.DOWNLOAD, Capability.LIST}
    )
    required_settings: ClassVar[tuple[str, ...]] = ("access_key_id", "secret_key", "region", "output_uri")

    def __init__(self, settings: ProviderSettings) -> None:
        match = S3_URI.match(settings.output_uri or "")
        if match is None:
            raise ValueError(
                f"bedrock's output_uri must be s3://bucket[/prefix], not {settings.output_uri!r}"
            )
        super().__init__(settings)
        assert settings.access_key_id and settings.secret_key and settings.region
        self.output_uri = match.group(0).rstrip("/")
        self.client.error_message = aws_error_message
        self.client.http.auth = SigV4Auth(
            settings.access_key_id, settings.secret_key, settings.region, "bedrock"
        )
        self.storage = UpstreamClient(
            self.name,
            settings,
            auth_headers={},
            base_url=settings.storage_base_url or f"https://s3.{settings.region}.amazonaws.com",
            error_message=s3_error_message,
        )
        self.storage.http.auth = SigV4Auth(settings.access_key_id, settings.secret_key, settings.region, "s3")

    def auth_headers(self, settings: ProviderSettings) -> dict[str, str]:
        return {}  # every request is signed (SigV4Auth)

    def base_url(self, settings: ProviderSettings) -> str:
        return settings.base_url or f"https://bedrock-runtime.{settings.region}.amazonaws.com"

    # --- create ------------------------------------------------------------------------------

    def _family(self, model: str) -> str:
        kind = family(model)
        if kind is None:
            raise InvalidRequest(
                f"bedrock/{model}: the gateway knows the request format of Luma Ray (luma.ray-*) and "
                "Nova Reel (amazon.nova-reel-*) models only",
                param="model",
                code="model_not_found",
                provider=self.name,
            )
        return kind

    def prepare(self, request: GenerationRequest) -> PreparedJob:
        spec = self.model_spec(request.model)
        assert spec is not None  # a closed provider: unknown models are refused above
        kind = self._family(request.model)
        refuse_unsupported(
            self.name, request, ("negative_prompt", "video_uri") + (("seed",) if kind == "luma" else ())
        )
        seconds, size = check_request(self.name, spec, request)
        if kind == "luma":
            luma_shape(size)
        self._check_prompt(spec, kind, request.prompt)
        params = {"seed": request.seed} if request.seed is not None else {}
        return PreparedJob(model=request.model, seconds=seconds, size=size, params=params)

    def _check_prompt(self, spec: ModelSpec, kind: str, prompt: str) -> None:
        limit = PROMPT_LIMITS[kind]
        if len(prompt) > limit:
            raise InvalidRequest(
                f"{spec.id} takes a prompt of at most {limit} characters, not {len(prompt)}",
                param="prompt",
                code="invalid_prompt",
                provider=self.name,
            )

    async def submit(
        self, job: JobRecord, source: JobRecord | None = None, image: ImageInput | None = None
    ) -> Submitted:
        kind = self._family(job.model)
        if image is not None and image.mime_type not in IMAGE_FORMATS:
            raise UpstreamError(  # known only once fetched; nothing is sent
                self.name,
                f"bedrock/{job.model} takes a PNG or JPEG input_reference, not {image.mime_type}",
                status=400,
            )
        token = client_token(job)
        body = {
            "clientRequestToken": token,
            "modelId": job.model,
            "modelInput": MODEL_INPUTS[kind](job, image),
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": self.output_uri}},
        }
        try:
            answer = await self.client.create("/async-invoke", json=body)
        except UpstreamError as exc:
            raise self._quota_is_a_rate_limit(exc) from exc
        arn = required_id(self.name, answer, "invocationArn", what="the invocation")
        return Submitted(upstream_id=arn, state={"client_request_token": token})

    def _quota_is_a_rate_limit(self, exc: UpstreamError) -> UpstreamError:
        """ServiceQuotaExceededException (400: too many invocations running) passes like a 429."""
        if exc.status == 400 and exc.message.startswith("ServiceQuotaExceededException"):
            return UpstreamError(self.name, exc.message, status=429, retryable=True, retry_after=30)
        return exc

    async def recover(self, job: JobRecord) -> Submitted | NotSubmitted | None:
        """Find the start by its token among the invocations submitted since the job was made.
        Absent from that listing: not received (a start sent again carries the same token, so a
        listing that lags cannot make a second invocation). Unknown after ten pages."""
        token = client_token(job)
        since = dt.datetime.fromtimestamp(job.created_at - 300, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {
            "submitTimeAfter": since,
            "sortBy": "SubmissionTime",
            "sortOrder": "Descending",
            "maxResults": str(LIST_PAGE_SIZE),
        }
        for _ in range(LIST_PAGES):
            query = "&".join(f"{k}={quote(str(v), safe='-_.~')}" for k, v in params.items())
            page = await self.client.json("GET", f"/async-invoke?{query}")
            for summary in page.get("asyncInvokeSummaries") or []:
                if isinstance(summary, dict) and summary.get("clientRequestToken") == token:
                    arn = required_id(self.name, summary, "invocationArn", what="the invocation")
                    return Submitted(upstream_id=arn, state={"client_request_token": token})
            if not page.get("nextToken"):
                return NOT_SUBMITTED
            params["nextToken"] = str(page["nextToken"])
        return None

    # --- poll and fetch ---------------------------------------------------------------------

    async def advance(self, job: JobRecord, ctx: JobContext) -> Outcome:
        arn = str(job.upstream_id)
        invocation = await self.client.json("GET", f"/async-invoke/{quote(arn, safe='')}")
        status = invocation.get("status")
        if status == "Completed":
            output = (invocation.get("outputDataConfig") or {}).get("s3OutputDataConfig") or {}
            return await self._fetch(str(output.get("s3Uri") or self.output_uri), arn, ctx)
        if status == "Failed":
            return Failed("provider_failed", str(invocation.get("failureMessage") or "the invocation failed"))
        return Pending(pending_status(self.name, status, STATUS), None, self.poll_interval)

    def output_url(self, s3_uri: str, arn: str) -> str:
        """`<s3Uri>/<invocation id>/output.mp4` as an S3 URL. GetAsyncInvoke reports the invocation's
        own folder; the id is appended when it reports the prefix the start was given."""
        match = S3_URI.match(s3_uri.rstrip("/"))
        if match is None:
            raise UpstreamError(self.name, f"the invocation reports no s3:// output ({s3_uri!r})", status=502)
        bucket, prefix = match.group(1), (match.group(2) or "").strip("/")
        invocation_id = arn.rsplit("/", 1)[-1]
        if prefix.rsplit("/", 1)[-1] != invocation_id:
            prefix = f"{prefix}/{invocation_id}".lstrip("/")
        key = quote(f"{prefix}/{OUTPUT_FILE}", safe="/-_.~")
        if self.settings.storage_base_url or "." in bucket:  # path style
            return f"{str(self.storage.http.base_url).rstrip('/')}/{bucket}/{key}"
        return f"https://{bucket}.s3.{self.settings.region}.amazonaws.com/{key}"

    async def _fetch(self, s3_uri: str, arn: str, ctx: JobContext) -> Completed:
        dest = ctx.staging_dir / "video.mp4"
        try:
            await self.storage.download(
                self.output_url(s3_uri, arn), dest, max_bytes=ctx.max_asset_bytes, follow_redirects=False
            )
        except UpstreamError as exc:
            if exc.status == 404:  # written moments after Completed: poll again shortly
                raise UpstreamError(
                    self.name,
                    f"the invocation is complete but its video is not in S3 yet ({exc.message})",
                    retryable=True,
                ) from exc
            raise
        return Completed({"video": dest})

    async def aclose(self) -> None:
        await super().aclose()
        await self.storage.aclose()
