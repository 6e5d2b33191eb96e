"""A fake of Amazon Bedrock's async invoke API, and the S3 bucket its videos are written to.

It follows the published API reference (StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes:
https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_StartAsyncInvoke.html and
botocore's service model `bedrock-runtime/2023-09-30`), the model inputs of Luma Ray 2
(https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-luma.html) and Nova Reel
(https://docs.aws.amazon.com/nova/latest/userguide/video-gen-access.html), and AWS's SigV4 rules.

- Every request's signature is recomputed the way AWS would, with botocore's signer and the fake's
  copy of the secret: a missing, malformed, mis-scoped, stale or wrong signature is a 403 in AWS's
  rest-json error shape (`x-amzn-ErrorType: Code:namespace`, `{"message"}`).
- A start is checked against the service model (required members, patterns, the union) and its
  `modelInput` against the model's schema, with Bedrock's `Malformed input request` messages in
  the `__type` error form. Its client request token is the idempotency token: the same start
  again is the same invocation (AWS's usual contract; assumed, not documented for this API), the
  same token with another body a ConflictException (assumed).
- An invocation is InProgress for `polls_to_complete - 1` polls, then Completed with its MP4 written
  to `<s3Uri>/<invocation id>/output.mp4` in the S3 bucket, or Failed with a `failureMessage` when
  the prompt says FAIL. GetAsyncInvoke reports the invocation's folder as its s3Uri, as AWS's own
  sample code expects.
- S3 is moto's server, behind a WSGI middleware that checks the SigV4 signature for service `s3`
  (moto checks none), records the requests and plays injected S3 errors.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import io
import json
import re
import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from werkzeug.serving import make_server

from .harness import sample_media

ACCOUNT = "123456789012"
ACCESS_KEY_ID = "AKIAVIDGATEBEDROCK01"
SECRET_KEY = "vidgate/bedrock+fake-secret-0123456789abcd"
REGION = "us-west-2"
BUCKET = "vidgate-bedrock-out"
PREFIX = "videos/jobs"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
SKEW = dt.timedelta(minutes=5)
CORAL = "http://internal.amazon.com/coral/com.amazon.coral.service/"
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."
)
CONFLICT = "The request conflicts with an earlier request that used the same client request token."
AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request,\s*"
    r"SignedHeaders=([a-z0-9;\-]+),\s*Signature=([0-9a-f]{64})"
)
ARN_RE = re.compile(r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:async-invoke/[a-z0-9]{12}")
S3_URI_RE = re.compile(r"s3://([a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9])(/.*)?")
TOKEN_RE = re.compile(r"[!-~]{1,256}")
MODEL_ID_RE = re.compile(r"[a-zA-Z_\.\-/0-9:]{1,256}")
MODELS = ("luma.ray-v2:0", "amazon.nova-reel-v1:0", "amazon.nova-reel-v1:1")
LUMA_ENUMS = {
    "aspect_ratio": ("1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21"),
    "duration": ("5s", "9s"),
    "resolution": ("540p", "720p"),
}


# --- SigV4, checked as AWS would ------------------------------------------------------------------


def check_signature(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: dict[str, str],
    body: bytes,
    *,
    keys: dict[str, str],
    region: str,
    service: str,
    now: dt.datetime | None = None,
) -> tuple[str, str] | None:
    """None when the request is signed right; else AWS's (error code, message). `headers` lowercase."""
    auth = headers.get("authorization", "")
    if not auth:
        return "MissingAuthenticationTokenException", "Missing Authentication Token"
    match = AUTH_RE.fullmatch(auth)
    if match is None:
        return (
            "IncompleteSignatureException",
            f"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. "
            f"Authorization={auth.split(' ')[0]}",
        )
    key_id, date, scope_region, scope_service, signed, signature = match.groups()
    if key_id not in keys:
        return "UnrecognizedClientException", "The security token included in the request is invalid."
    if scope_service != service:
        return "InvalidSignatureException", f"Credential should be scoped to correct service: '{service}'."
    if scope_region != region:
        return "InvalidSignatureException", "Credential should be scoped to a valid region."
    names = signed.split(";")
    if "host" not in names:
        return (
            "InvalidSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )
    amz_date = headers.get("x-amz-date", "")
    if "x-amz-date" not in names or not re.fullmatch(r"\d{8}T\d{6}Z", amz_date):
        return (
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    if amz_date[:8] != date:
        return (
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
        )
    when = dt.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    if abs(now - when) > SKEW:
        return (
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now earlier than {(now - SKEW):%Y%m%dT%H%M%SZ}",
        )
    if any(name not in headers for name in names):
        return "IncompleteSignatureException", "A signed header is missing from the request."
    if service == "s3" and headers.get("x-amz-content-sha256") not in (
        hashlib.sha256(body).hexdigest(),
        "UNSIGNED-PAYLOAD",
    ):
        return (
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    url = f"http://{headers['host']}{raw_path}" + (f"?{raw_query}" if raw_query else "")
    request = AWSRequest(method=method, url=url, headers={n: headers[n] for n in names}, data=body)
    request.context["timestamp"] = amz_date
    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_class(Credentials(key_id, keys[key_id]), service, region)
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    if not hmac.compare_digest(expected, signature):
        return "InvalidSignatureException" if service != "s3" else "SignatureDoesNotMatch", SIGNATURE_MISMATCH
    return None


# --- S3: moto's server behind a signature check -----------------------------------------------------


@dataclass
class S3Call:
    method: str
    raw_path: str
    query: str
    headers: dict[str, str]
    refused: str | None


class _QuietHandler(MotoRequestHandler):
    def log_request(self, *args: Any) -> None:  # werkzeug logs every request to stderr otherwise
        return None


class S3Fake(ThreadedMotoServer):
    """moto's S3 on a loopback port; every request's SigV4 (service s3) checked first."""

    def __init__(self, keys: dict[str, str], region: str = REGION) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.keys = keys
        self.region = region
        self.calls: list[S3Call] = []
        self.faults: list[tuple[str, str, int, str, str]] = []  # (method, path regex, status, code, message)
        self.lock = threading.Lock()

    def _server_entry(self) -> None:  # ThreadedMotoServer's, with the check in front of moto's app
        self._server = make_server(
            self._ip_address,
            self._port,
            self._checked(DomainDispatcherApplication(create_backend_app)),
            True,
            request_handler=_QuietHandler,
        )
        self._server_ready_event.set()
        self._server.serve_forever()

    @property
    def url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"

    def inject(self, path_regex: str, status: int, code: str, message: str, method: str = "GET") -> None:
        """The next request with this method whose path matches gets this S3 error instead."""
        with self.lock:
            self.faults.append((method, path_regex, status, code, message))

    def _checked(self, app: Callable) -> Callable:
        def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
            raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(environ["PATH_INFO"])
            raw_path, _, _ = raw_path.partition("?")
            query = environ.get("QUERY_STRING", "")
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            headers = {
                k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
            }
            for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                if environ.get(name):
                    headers[name.replace("_", "-").lower()] = environ[name]
            refusal = check_signature(
                environ["REQUEST_METHOD"], raw_path, query, headers, body,
                keys=self.keys, region=self.region, service="s3",
            )  # fmt: skip
            with self.lock:
                self.calls.append(
                    S3Call(environ["REQUEST_METHOD"], raw_path, query, headers, refusal and refusal[0])
                )
                fault = next(
                    (
                        f
                        for f in self.faults
                        if f[0] == environ["REQUEST_METHOD"] and re.search(f[1], raw_path)
                    ),
                    None,
                )
                if fault is not None and refusal is None:
                    self.faults.remove(fault)
            if refusal is not None:
                return _s3_error(start_response, 403, *refusal)
            if fault is not None:
                return _s3_error(start_response, *fault[2:])
            environ["wsgi.input"] = io.BytesIO(body)
            return app(environ, start_response)

        return middleware

    @functools.cached_property
    def client(self) -> Any:  # the fake's own S3 client: boto3, signed like any caller (thread-safe)
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=self.keys[ACCESS_KEY_ID],
            config=Config(
                s3={"addressing_style": "path"},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def create_bucket(self, bucket: str) -> None:
        # moto's buckets live in the process: another S3Fake may have made it
        with contextlib.suppress(self.client.exceptions.BucketAlreadyOwnedByYou):
            self.client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": self.region}
            )

    def object_gets(self) -> list[S3Call]:
        return [c for c in self.calls if c.method == "GET" and c.raw_path.endswith(".mp4")]


def _s3_error(start_response: Callable, status: int, code: str, message: str) -> list[bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    ).encode()
    reason = {403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"}.get(status, "Error")
    start_response(
        f"{status} {reason}", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
    )
    return [body]


# --- the async invoke API -------------------------------------------------------------------------


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, style: str = "body") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.style = status, code, message, style


def validation(message: str) -> Refused:
    return Refused(400, "ValidationException", message)


def constraint(member: str, rule: str, value: Any = None) -> Refused:
    """AWS's request validation message for one member."""
    shown = f" '{value}'" if value is not None else ""
    return validation(
        f"1 validation error detected: Value{shown} at '{member}' failed to satisfy constraint: {rule}"
    )


def malformed(path: str, what: str) -> Refused:
    return validation(f"Malformed input request: {path}: {what}, please reformat your input and try again.")


@dataclass
class Seen:
    """One request as it reached the fake: the raw (still percent-encoded) path, for the oracle."""

    operation: str
    method: str
    raw_path: str
    query: str
    headers: dict[str, str]
    body: bytes
    status: int = 200
    answer: Any = None  # the JSON answered, or the error's code and message
    wire: tuple[int, dict[str, str], bytes] | None = None  # the response as sent


@dataclass
class Invocation:
    arn: str
    token: str
    request: dict
    submitted: dt.datetime
    polls: int = 0
    status: str = "InProgress"
    ended: dt.datetime | None = None
    failure: str | None = None
    output_keys: list[str] = field(default_factory=list)


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def parse_time(value: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        raise constraint(name, "Member must be a timestamp", value) from None


class BedrockFake:
    def __init__(
        self,
        s3: S3Fake,
        *,
        keys: dict[str, str],
        region: str = REGION,
        polls_to_complete: int = 2,
        report_folder: bool = True,
    ) -> None:
        self.s3 = s3
        self.keys = keys
        self.region = region
        self.polls_to_complete = polls_to_complete
        self.report_folder = report_folder  # GetAsyncInvoke's s3Uri: the invocation's folder, or the prefix
        self.invocations: dict[str, Invocation] = {}
        self.by_token: dict[str, str] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()

    # --- the plumbing: auth, recording, AWS's error shape ----------------------------------------

    async def _handle(self, request: Request, operation: str, handler: Callable) -> Response:
        body = await request.body()
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        query = request.scope.get("query_string", b"").decode("latin-1")
        headers = {k.lower(): v for k, v in request.headers.items()}
        seen = Seen(operation, request.method, raw_path, query, headers, body)
        self.seen.append(seen)
        try:
            refusal = check_signature(
                request.method,
                raw_path,
                query,
                headers,
                body,
                keys=self.keys,
                region=self.region,
                service="bedrock",
            )
            if refusal is not None:
                raise Refused(403, *refusal, style="header")
            answer = await handler(request, body)
        except Refused as exc:
            seen.status, seen.answer = exc.status, {"code": exc.code, "message": exc.message}
            response = self.error(exc)
        else:
            seen.answer = answer
            response = JSONResponse(answer, headers={"x-amzn-RequestId": str(uuid.uuid4())})
        seen.wire = (response.status_code, dict(response.headers), bytes(response.body))
        return response

    @staticmethod
    def error(exc: Refused) -> Response:
        headers = {"x-amzn-RequestId": str(uuid.uuid4())}
        if exc.style == "header":  # the front door's own errors (auth, routing): the type in a header
            return JSONResponse(
                {"message": exc.message},
                exc.status,
                headers=headers | {"x-amzn-ErrorType": f"{exc.code}:{CORAL}"},
            )
        return JSONResponse(
            {"__type": f"com.amazon.bedrock.runtime#{exc.code}", "message": exc.message},
            exc.status,
            headers=headers,
        )

    # --- StartAsyncInvoke -------------------------------------------------------------------------

    async def start(self, request: Request) -> Response:
        return await self._handle(request, "StartAsyncInvoke", self._start)

    async def _start(self, request: Request, raw: bytes) -> dict:
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            raise Refused(
                400, "SerializationException", "Start of structure or map found where not expected."
            ) from None
        if not isinstance(body, dict):
            raise Refused(
                400, "SerializationException", "Start of structure or map found where not expected."
            )
        missing = [m for m in ("modelId", "modelInput", "outputDataConfig") if body.get(m) is None]
        if missing:
            raise validation(
                f"{len(missing)} validation error{'s' if len(missing) > 1 else ''} detected: "
                + "; ".join(
                    f"Value null at '{m}' failed to satisfy constraint: Member must not be null"
                    for m in missing
                )
            )
        token = body.get("clientRequestToken") or str(uuid.uuid4())
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            raise constraint("clientRequestToken", "Member must satisfy regular expression pattern: [!-~]*")
        model = body["modelId"]
        if not isinstance(model, str) or not MODEL_ID_RE.fullmatch(model):
            raise constraint(
                "modelId", r"Member must satisfy regular expression pattern: [a-zA-Z_\.\-/0-9:]+"
            )
        if model not in MODELS:
            raise validation("The provided model identifier is invalid.")
        output = body["outputDataConfig"]
        s3_config = (
            output.get("s3OutputDataConfig") if isinstance(output, dict) and len(output) == 1 else None
        )
        if not isinstance(s3_config, dict) or not isinstance(s3_config.get("s3Uri"), str):
            raise constraint(
                "outputDataConfig", "Member must have exactly one member set: s3OutputDataConfig {s3Uri}"
            )
        uri = S3_URI_RE.fullmatch(s3_config["s3Uri"])
        if uri is None:
            raise constraint(
                "outputDataConfig.s3OutputDataConfig.s3Uri",
                r"Member must satisfy regular expression pattern: s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?",
            )
        unknown = set(body) - {"clientRequestToken", "modelId", "modelInput", "outputDataConfig", "tags"}
        if unknown:
            raise Refused(400, "SerializationException", f"Unknown member(s): {', '.join(sorted(unknown))}")
        check_model_input(model, body["modelInput"])
        buckets = {b["Name"] for b in (await run_in_threadpool(self.s3.client.list_buckets))["Buckets"]}
        if uri.group(1) not in buckets:
            raise validation(f"The S3 bucket {uri.group(1)} does not exist or the caller cannot write to it.")
        same = {k: v for k, v in body.items() if k != "clientRequestToken"}
        with self.lock:
            if token in self.by_token:
                earlier = self.invocations[self.by_token[token]]
                if {k: v for k, v in earlier.request.items() if k != "clientRequestToken"} != same:
                    raise Refused(400, "ConflictException", CONFLICT)
                return {"invocationArn": earlier.arn}
            arn = f"arn:aws:bedrock:{self.region}:{ACCOUNT}:async-invoke/{secrets.token_hex(6)}"
            self.invocations[arn] = Invocation(
                arn, token, body | {"clientRequestToken": token}, dt.datetime.now(dt.UTC)
            )
            self.by_token[token] = arn
        return {"invocationArn": arn}

    # --- GetAsyncInvoke ---------------------------------------------------------------------------

    async def get(self, request: Request) -> Response:
        return await self._handle(request, "GetAsyncInvoke", self._get)

    async def _get(self, request: Request, raw: bytes) -> dict:
        raw_label = request.scope["raw_path"].decode("latin-1").removeprefix("/async-invoke/")
        arn = request.path_params["arn"]
        if "/" in raw_label:  # botocore encodes the label whole (`/` too): a raw `/` routes nowhere
            raise Refused(404, "UnknownOperationException", "Unknown operation", style="header")
        if not ARN_RE.fullmatch(arn):
            raise constraint(
                "invocationArn", f"Member must satisfy regular expression pattern: {ARN_RE.pattern}"
            )
        invocation = self.invocations.get(arn)
        if invocation is None:
            raise validation(f"Invocation {arn} not found.")
        await self._progress(invocation)
        return self.summary(invocation)

    async def _progress(self, invocation: Invocation) -> None:
        if invocation.status != "InProgress":
            return
        invocation.polls += 1
        if invocation.polls < self.polls_to_complete:
            return
        prompt = json.dumps(invocation.request["modelInput"])
        if "FAIL" in prompt:
            invocation.status, invocation.failure = (
                "Failed",
                "The generated video was blocked by our content filters.",
            )
        else:
            bucket, folder = self._folder(invocation)
            client = self.s3.client
            for name, data, kind in (
                ("output.mp4", sample_media()["video"], "video/mp4"),
                ("manifest.json", json.dumps({"schemaVersion": "1.0"}).encode(), "application/json"),
            ):
                await run_in_threadpool(
                    client.put_object, Bucket=bucket, Key=f"{folder}/{name}", Body=data, ContentType=kind
                )
                invocation.output_keys.append(f"{folder}/{name}")
            invocation.status = "Completed"
        invocation.ended = dt.datetime.now(dt.UTC)

    def _folder(self, invocation: Invocation) -> tuple[str, str]:
        uri = invocation.request["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]
        match = S3_URI_RE.fullmatch(uri)
        assert match is not None
        prefix = (match.group(2) or "").strip("/")
        invocation_id = invocation.arn.rsplit("/", 1)[1]
        return match.group(1), f"{prefix}/{invocation_id}".lstrip("/")

    def summary(self, invocation: Invocation) -> dict:
        output = dict(invocation.request["outputDataConfig"]["s3OutputDataConfig"])
        if self.report_folder:
            bucket, folder = self._folder(invocation)
            output["s3Uri"] = f"s3://{bucket}/{folder}"
        answer = {
            "invocationArn": invocation.arn,
            "modelArn": f"arn:aws:bedrock:{self.region}::foundation-model/{invocation.request['modelId']}",
            "clientRequestToken": invocation.token,
            "status": invocation.status,
            "submitTime": iso(invocation.submitted),
            "lastModifiedTime": iso(invocation.ended or invocation.submitted),
            "outputDataConfig": {"s3OutputDataConfig": output},
        }
        if invocation.ended is not None:
            answer["endTime"] = iso(invocation.ended)
        if invocation.failure is not None:
            answer["failureMessage"] = invocation.failure
        return answer

    # --- ListAsyncInvokes -------------------------------------------------------------------------

    async def list(self, request: Request) -> Response:
        return await self._handle(request, "ListAsyncInvokes", self._list)

    async def _list(self, request: Request, raw: bytes) -> dict:
        params = dict(parse_qsl(request.scope["query_string"].decode(), keep_blank_values=True))
        after = (
            parse_time(params["submitTimeAfter"], "submitTimeAfter") if "submitTimeAfter" in params else None
        )
        before = (
            parse_time(params["submitTimeBefore"], "submitTimeBefore")
            if "submitTimeBefore" in params
            else None
        )
        status = params.get("statusEquals")
        if status is not None and status not in ("InProgress", "Completed", "Failed"):
            raise constraint(
                "statusEquals", "Member must satisfy enum value set: [InProgress, Completed, Failed]", status
            )
        if params.get("sortBy", "SubmissionTime") != "SubmissionTime":
            raise constraint("sortBy", "Member must satisfy enum value set: [SubmissionTime]")
        order = params.get("sortOrder", "Descending")
        if order not in ("Ascending", "Descending"):
            raise constraint("sortOrder", "Member must satisfy enum value set: [Ascending, Descending]")
        try:
            limit = int(params.get("maxResults", "1000"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            raise constraint("maxResults", "Member must have value between 1 and 1000")
        start = 0
        if "nextToken" in params:
            try:
                start = int(base64.b64decode(params["nextToken"]).decode().removeprefix("page:"))
            except (ValueError, binascii.Error):
                raise validation("Invalid pagination token.") from None
        chosen = [
            i
            for i in self.invocations.values()
            if (after is None or i.submitted > after)
            and (before is None or i.submitted < before)
            and (status is None or i.status == status)
        ]
        chosen.sort(key=lambda i: i.submitted, reverse=order == "Descending")
        page = chosen[start : start + limit]
        answer: dict[str, Any] = {"asyncInvokeSummaries": [self.summary(i) for i in page]}
        if start + limit < len(chosen):
            answer["nextToken"] = base64.b64encode(f"page:{start + limit}".encode()).decode()
        return answer

    # --- the app ---------------------------------------------------------------------------------

    async def unknown(self, request: Request) -> Response:
        return self.error(Refused(404, "UnknownOperationException", "Unknown operation", style="header"))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/async-invoke", self.start, methods=["POST"]),
                Route("/async-invoke", self.list, methods=["GET"]),
                Route("/async-invoke/{arn:path}", self.get, methods=["GET"]),
                Route("/{rest:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    def starts(self) -> list[Seen]:
        return [s for s in self.seen if s.operation == "StartAsyncInvoke"]

    def latest(self) -> Invocation:
        return max(self.invocations.values(), key=lambda i: i.submitted)


# --- modelInput, per model family ----------------------------------------------------------------


def check_model_input(model: str, model_input: Any) -> None:
    if not isinstance(model_input, dict):
        raise malformed("#", f"expected type: JSONObject, found: {type(model_input).__name__}")
    if model.startswith("luma."):
        _check_luma(model_input)
    else:
        _check_nova_reel(model, model_input)


def _only(obj: dict, path: str, allowed: Iterable[str], required: Iterable[str] = ()) -> None:
    for key in obj:
        if key not in allowed:
            raise malformed(path, f"extraneous key [{key}] is not permitted")
    for key in required:
        if key not in obj:
            raise malformed(path, f"required key [{key}] not found")


def _base64(value: Any, path: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise malformed(path, "is not a valid base64 string") from None


def _check_luma(body: dict) -> None:
    _only(body, "#", ("prompt", "aspect_ratio", "loop", "duration", "resolution", "keyframes"), ("prompt",))
    if not isinstance(body["prompt"], str) or not 1 <= len(body["prompt"]) <= 5000:
        raise malformed("#/prompt", "expected minLength: 1, maxLength: 5000")
    for key, allowed in LUMA_ENUMS.items():
        if key in body and body[key] not in allowed:
            raise malformed(f"#/{key}", f"{body[key]} is not a valid enum value")
    if "loop" in body and not isinstance(body["loop"], bool):
        raise malformed("#/loop", "expected type: Boolean")
    frames = body.get("keyframes")
    if frames is None:
        return
    if not isinstance(frames, dict) or not frames:
        raise malformed("#/keyframes", "expected type: JSONObject with frame0 and/or frame1")
    _only(frames, "#/keyframes", ("frame0", "frame1"))
    for name, frame in frames.items():
        path = f"#/keyframes/{name}"
        if not isinstance(frame, dict):
            raise malformed(path, "expected type: JSONObject")
        _only(frame, path, ("type", "source"), ("type", "source"))
        if frame["type"] != "image":
            raise malformed(f"{path}/type", f"{frame['type']} is not a valid enum value")
        source = frame["source"]
        _only(source, f"{path}/source", ("type", "media_type", "data"), ("type", "media_type", "data"))
        if source["type"] != "base64":
            raise malformed(f"{path}/source/type", f"{source['type']} is not a valid enum value")
        if source["media_type"] not in ("image/jpeg", "image/png"):
            raise malformed(f"{path}/source/media_type", f"{source['media_type']} is not a valid enum value")
        _base64(source["data"], f"{path}/source/data")


def _check_nova_reel(model: str, body: dict) -> None:
    _only(body, "#", ("taskType", "textToVideoParams", "videoGenerationConfig"), ("taskType",))
    if body["taskType"] != "TEXT_VIDEO":  # the multi-shot tasks exist (v1:1) but the gateway sends none
        raise validation(
            f"Malformed input request: #/taskType: {body['taskType']} is not supported by this fake"
        )
    params = body.get("textToVideoParams")
    if not isinstance(params, dict):
        raise malformed("#", "required key [textToVideoParams] not found")
    _only(params, "#/textToVideoParams", ("text", "images"), ("text",))
    if not isinstance(params["text"], str) or not 1 <= len(params["text"]) <= 512:
        raise malformed("#/textToVideoParams/text", "expected minLength: 1, maxLength: 512")
    images = params.get("images", [])
    if not isinstance(images, list) or len(images) > 1:
        raise malformed("#/textToVideoParams/images", "expected maxItems: 1")
    for image in images:
        _only(image, "#/textToVideoParams/images/0", ("format", "source"), ("format", "source"))
        if image["format"] not in ("png", "jpeg"):
            raise malformed(
                "#/textToVideoParams/images/0/format", f"{image['format']} is not a valid enum value"
            )
        _only(image["source"], "#/textToVideoParams/images/0/source", ("bytes", "s3Location"))
        _base64(image["source"].get("bytes", ""), "#/textToVideoParams/images/0/source/bytes")
    config = body.get("videoGenerationConfig", {})
    _only(config, "#/videoGenerationConfig", ("durationSeconds", "fps", "dimension", "seed"))
    for key, allowed in (("durationSeconds", 6), ("fps", 24), ("dimension", "1280x720")):
        if key in config and config[key] != allowed:
            raise malformed(
                f"#/videoGenerationConfig/{key}",
                f"{config[key]} is not a valid value; TEXT_VIDEO takes {allowed}",
            )
    seed = config.get("seed")
    if seed is not None and (not isinstance(seed, int) or not 0 <= seed <= 2147483646):
        raise malformed("#/videoGenerationConfig/seed", "expected minimum: 0, maximum: 2147483646")


# --- for provider_stack ---------------------------------------------------------------------------


def provider_fake(*, polls_to_complete: int = 2, catalog: dict | None = None):
    """The fake, its S3 (already running: stop it with `state.s3.stop()`) and the gateway's settings."""
    from tests.providers.gateway import ProviderFake

    keys = {ACCESS_KEY_ID: SECRET_KEY}
    s3 = S3Fake(keys)
    s3.start()
    s3.create_bucket(BUCKET)
    fake = BedrockFake(s3, keys=keys, polls_to_complete=polls_to_complete)
    return ProviderFake(
        provider="bedrock",
        state=fake,
        app=fake.app(),
        secrets={"SECRET_KEY": SECRET_KEY},
        settings=lambda url: {
            "ACCESS_KEY_ID": ACCESS_KEY_ID,
            "REGION": REGION,
            "OUTPUT_URI": f"s3://{BUCKET}/{PREFIX}",
            "STORAGE_BASE_URL": s3.url,
        },
        catalog=catalog or {},
    )
