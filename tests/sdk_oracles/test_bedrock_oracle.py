"""boto3 as the oracle for what the `bedrock` adapter sends.

The adapter and boto3 (`bedrock-runtime` and `s3` clients) make the same calls for the same inputs
against the same loopback fakes (tests/fakes/bedrock.py: the async invoke API, moto's S3 behind a
SigV4 check); the requests as they reached the fakes are compared: method, raw (percent-encoded)
path, query, the headers that matter, the signature's credential scope and signed headers, and the
JSON body as parsed. The gateway's own SigV4 signer is held against botocore's, request for request
at the same timestamp. Every answer the fake served is checked against botocore's service model,
strictly, and its errors are read by botocore and by the adapter alike.

The SDK declares no per-model values for Bedrock's video models (`modelInput` is an opaque
document), so the catalog is held to what it does declare: the model id pattern, the status enum,
the list call's sort enums, the idempotency token's shape, the signing name and the endpoint.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import functools
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock
from urllib.parse import parse_qs, quote

import boto3
import botocore
import botocore.session
import httpx
import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.model import Shape
from botocore.parsers import RestJSONParser
from botocore.utils import parse_timestamp
from pydantic import SecretStr

from tests.fakes.bedrock import (
    ACCESS_KEY_ID,
    BUCKET,
    PREFIX,
    REGION,
    SECRET_KEY,
    BedrockFake,
    S3Fake,
    Seen,
)
from tests.fakes.harness import FakeServer, png_bytes, sample_media
from tests.support.job_context import StagingContext
from vidgate.catalog import Catalog
from vidgate.config import ProviderSettings
from vidgate.domain import ImageInput, JobRecord, JobStatus
from vidgate.providers import bedrock as adapter_module
from vidgate.providers.base import Completed, NotSubmitted, Pending, Submitted
from vidgate.providers.bedrock import STATUS, BedrockVideos, aws_error_message, client_token
from vidgate.providers.sigv4 import SigV4Auth as GatewaySigV4

T = TypeVar("T")

# What differs between the adapter's requests and boto3's, and why that is fine.
ACCEPTED_DIFFERENCES = {
    "user-agent": "SDK telemetry (Boto3/... md/Botocore#...); the gateway sends httpx's",
    "amz-sdk-invocation-id": "botocore's own retry bookkeeping, not part of the API",
    "amz-sdk-request": "botocore's attempt counter (attempt=1; max=...), not part of the API",
    "x-amz-date": "the moment of signing (so the Signature too); the same request signed at the same "
    "moment signs alike: test_the_signer_matches_botocores_request_for_request",
    "accept": "httpx sends Accept: */*, botocore none; not signed, not read by AWS",
    "accept-encoding": "HTTP client defaults (httpx: gzip, deflate; botocore: identity); not signed",
    "connection": "HTTP client defaults (keep-alive); not signed",
    "content-length": "JSON whitespace: botocore's json.dumps puts spaces after separators, httpx does "
    "not; the bodies are compared as parsed JSON",
    "x-amz-checksum-mode": "boto3's S3 GetObject asks for the object's checksum to verify the download "
    "(response_checksum_validation=when_supported); the gateway checks the length instead",
}
SIGNED_ALWAYS = {"host", "x-amz-date"}
MODEL = botocore.session.get_session().get_service_model("bedrock-runtime")
PNG = png_bytes()
PNG_B64 = base64.b64encode(PNG).decode()
AUTH_PARTS = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})"
)


# --- the fakes, boto3 and the adapter on one event loop at a time ---------------------------------


class Fakes:
    def __init__(self) -> None:
        keys = {ACCESS_KEY_ID: SECRET_KEY}
        self.s3 = S3Fake(keys)
        self.bedrock = BedrockFake(self.s3, keys=keys, polls_to_complete=2)
        self.server = FakeServer(self.bedrock.app())

    @functools.cached_property
    def session(self) -> boto3.Session:
        return boto3.Session()

    @functools.cached_property
    def boto(self) -> Any:
        return self.session.client(
            "bedrock-runtime",
            endpoint_url=self.server.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_KEY,
            config=Config(retries={"max_attempts": 0}),
        )

    @functools.cached_property
    def boto_s3(self) -> Any:
        return self.session.client(
            "s3",
            endpoint_url=self.s3.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )

    def settings(self) -> ProviderSettings:
        return ProviderSettings(
            access_key_id=ACCESS_KEY_ID,
            secret_key=SecretStr(SECRET_KEY),
            region=REGION,
            output_uri=f"s3://{BUCKET}/{PREFIX}",
            base_url=self.server.url,
            storage_base_url=self.s3.url,
            max_retries=0,
        )

    def with_adapter(self, work: Callable[[BedrockVideos], Awaitable[T]]) -> T:
        async def run() -> T:
            provider = BedrockVideos(self.settings())  # submit, advance, recover: no catalog needed
            try:
                return await work(provider)
            finally:
                await provider.aclose()

        return asyncio.run(run())

    def last(self, operation: str) -> Seen:
        return [s for s in self.bedrock.seen if s.operation == operation][-1]


@pytest.fixture(scope="module")
def fakes() -> Iterator[Fakes]:
    made = Fakes()
    made.s3.start()
    made.s3.create_bucket(BUCKET)
    with made.server:
        yield made
    made.s3.stop()


def job(model: str, prompt: str, seconds: int, size: str, **params: Any) -> JobRecord:
    from vidgate.domain import new_job_id

    return JobRecord(
        id=new_job_id(), tenant="oracle", provider="bedrock", model=model, status=JobStatus.QUEUED,
        prompt=prompt, seconds=seconds, size=size, created_at=int(time.time()), params=params,
    )  # fmt: skip


# --- comparing two requests ------------------------------------------------------------------------


def signature_parts(headers: dict[str, str]) -> tuple[str, str]:
    """(credential scope without the day, signed headers) of an Authorization header."""
    match = AUTH_PARTS.fullmatch(headers["authorization"])
    assert match, headers["authorization"]
    key, _day, region, service, terminator = match.group(1).split("/")
    return f"{key}/{region}/{service}/{terminator}", match.group(2)


def assert_same_request(ours: Seen, sdk: Seen, *, json_body: bool = True) -> None:
    assert (ours.method, ours.raw_path) == (sdk.method, sdk.raw_path)
    assert parse_qs(ours.query, keep_blank_values=True) == parse_qs(sdk.query, keep_blank_values=True)
    skip = set(ACCEPTED_DIFFERENCES) | {"authorization"}
    assert {k: v for k, v in ours.headers.items() if k not in skip} == {
        k: v for k, v in sdk.headers.items() if k not in skip
    }
    assert ours.headers["authorization"].startswith("AWS4-HMAC-SHA256 ")
    assert signature_parts(ours.headers) == signature_parts(sdk.headers)
    if json_body:
        assert json.loads(ours.body) == json.loads(sdk.body)
    else:
        assert ours.body == sdk.body == b""
    assert ours.status == sdk.status == 200, (ours.answer, sdk.answer)


# --- the signer ------------------------------------------------------------------------------------

ARN = "arn:aws:bedrock:us-west-2:123456789012:async-invoke/abcdef012345"
SIGNED_AT = dt.datetime(2026, 11, 29, 21, 29, 22, tzinfo=dt.UTC)
REQUESTS = [
    (
        "POST",
        "https://bedrock-runtime.us-west-2.amazonaws.com/async-invoke",
        b'{"modelId": "luma.ray-v2:0"}',
        "bedrock",
    ),
    (
        "GET",
        f"https://bedrock-runtime.us-west-2.amazonaws.com/async-invoke/{quote(ARN, safe='')}",
        b"",
        "bedrock",
    ),
    (
        "GET",
        "https://bedrock-runtime.us-west-2.amazonaws.com/async-invoke?submitTimeAfter=2026-10-01T00%3A00%3A00Z"
        "&sortBy=SubmissionTime&maxResults=100&nextToken=cGFnZToy%2B%2F%3D",
        b"",
        "bedrock",
    ),
    ("GET", "http://127.0.0.1:4566/async-invoke/./x/../y//z", b"", "bedrock"),
    ("GET", "https://vidgate-out.s3.us-west-2.amazonaws.com/jobs/a%20b/abcdef012345/output.mp4", b"", "s3"),
    ("GET", "http://127.0.0.1:4566/bucket/k%C3%A9y/output.mp4?versionId=3", b"", "s3"),
]


@pytest.mark.parametrize(("method", "url", "body", "service"), REQUESTS)
def test_the_signer_matches_botocores_request_for_request(
    method: str, url: str, body: bytes, service: str
) -> None:
    headers = {"Content-Type": "application/json"} if body else {}
    ours = httpx.Request(method, url, content=body or None, headers=headers)
    GatewaySigV4(ACCESS_KEY_ID, SecretStr(SECRET_KEY), REGION, service, clock=lambda: SIGNED_AT).sign(ours)

    theirs = AWSRequest(method=method, url=url, headers={**headers, "host": ours.headers["host"]}, data=body)
    signer = (S3SigV4Auth if service == "s3" else SigV4Auth)(
        Credentials(ACCESS_KEY_ID, SECRET_KEY), service, REGION
    )
    with mock.patch("botocore.auth.get_current_datetime", return_value=SIGNED_AT.replace(tzinfo=None)):
        signer.add_auth(theirs)
    assert ours.headers["authorization"] == theirs.headers["Authorization"]
    assert ours.headers["x-amz-date"] == theirs.headers["X-Amz-Date"]
    if service == "s3":
        assert ours.headers["x-amz-content-sha256"] == theirs.headers["X-Amz-Content-SHA256"]


# --- the calls the adapter makes, next to boto3's ---------------------------------------------------


def test_start_text_to_video_is_botocores_request(fakes: Fakes) -> None:
    record = job("luma.ray-v2:0", "a tiger walking in snow", 9, "720x1280")
    submitted = fakes.with_adapter(lambda p: p.submit(record))
    ours = fakes.last("StartAsyncInvoke")
    answer = fakes.boto.start_async_invoke(
        clientRequestToken=client_token(record),
        modelId="luma.ray-v2:0",
        modelInput={
            "prompt": "a tiger walking in snow",
            "aspect_ratio": "9:16",
            "duration": "9s",
            "resolution": "720p",
        },
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
    )
    assert_same_request(ours, fakes.last("StartAsyncInvoke"))
    assert answer["invocationArn"] == submitted.upstream_id  # the same token: the same invocation


def test_start_image_to_video_is_botocores_request(fakes: Fakes) -> None:
    record = job("luma.ray-v2:0", "the kite rises", 5, "960x540")
    fakes.with_adapter(lambda p: p.submit(record, None, ImageInput(PNG, "image/png")))
    ours = fakes.last("StartAsyncInvoke")
    fakes.boto.start_async_invoke(
        clientRequestToken=client_token(record),
        modelId="luma.ray-v2:0",
        modelInput={
            "prompt": "the kite rises",
            "aspect_ratio": "16:9",
            "duration": "5s",
            "resolution": "540p",
            "keyframes": {
                "frame0": {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64},
                }
            },
        },
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
    )
    assert_same_request(ours, fakes.last("StartAsyncInvoke"))


def test_start_nova_reel_is_botocores_request(fakes: Fakes) -> None:
    record = job("amazon.nova-reel-v1:1", "a steampunk robot", 6, "1280x720", seed=42)
    fakes.with_adapter(lambda p: p.submit(record, None, ImageInput(PNG, "image/png")))
    ours = fakes.last("StartAsyncInvoke")
    fakes.boto.start_async_invoke(  # AWS's own example (text_to_video.py), with a start frame
        clientRequestToken=client_token(record),
        modelId="amazon.nova-reel-v1:1",
        modelInput={
            "taskType": "TEXT_VIDEO",
            "textToVideoParams": {
                "text": "a steampunk robot",
                "images": [{"format": "png", "source": {"bytes": PNG_B64}}],
            },
            "videoGenerationConfig": {"durationSeconds": 6, "fps": 24, "dimension": "1280x720", "seed": 42},
        },
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
    )
    assert_same_request(ours, fakes.last("StartAsyncInvoke"))


def test_poll_and_download_are_botocores_requests(fakes: Fakes, tmp_path: Path) -> None:
    record = job("luma.ray-v2:0", "a lighthouse", 5, "1280x720")
    submitted = fakes.with_adapter(lambda p: p.submit(record))
    polled = dataclasses.replace(record, upstream_id=submitted.upstream_id)
    staging = StagingContext(tmp_path)
    first = fakes.with_adapter(lambda p: p.advance(polled, staging))
    assert isinstance(first, Pending) and first.status == JobStatus.IN_PROGRESS
    ours = fakes.last("GetAsyncInvoke")
    sdk_answer = fakes.boto.get_async_invoke(invocationArn=submitted.upstream_id)  # the 2nd poll: done
    assert_same_request(ours, fakes.last("GetAsyncInvoke"), json_body=False)
    assert sdk_answer["status"] == "Completed"
    assert signature_parts(ours.headers)[1] == "host;x-amz-date"

    done = fakes.with_adapter(lambda p: p.advance(polled, staging))
    assert isinstance(done, Completed) and done.files["video"].read_bytes() == sample_media()["video"]
    ours_s3 = fakes.s3.object_gets()[-1]
    uri = sdk_answer["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"]  # the invocation's folder
    key = uri.removeprefix(f"s3://{BUCKET}/") + "/output.mp4"
    body = fakes.boto_s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body == sample_media()["video"]
    sdk_s3 = fakes.s3.object_gets()[-1]
    assert (ours_s3.method, ours_s3.raw_path, ours_s3.query) == (sdk_s3.method, sdk_s3.raw_path, sdk_s3.query)
    assert ours_s3.refused is None and sdk_s3.refused is None
    for name in ("x-amz-content-sha256", "host"):
        assert ours_s3.headers[name] == sdk_s3.headers[name]
    assert signature_parts(ours_s3.headers)[0] == signature_parts(sdk_s3.headers)[0]
    sdk_signed = set(signature_parts(sdk_s3.headers)[1].split(";")) - {"x-amz-checksum-mode"}
    assert set(signature_parts(ours_s3.headers)[1].split(";")) == sdk_signed
    skip = set(ACCEPTED_DIFFERENCES) | {"authorization"}
    assert {k: v for k, v in ours_s3.headers.items() if k not in skip} == {
        k: v for k, v in sdk_s3.headers.items() if k not in skip
    }


def test_recover_lists_like_botocore_and_follows_its_pages(
    fakes: Fakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [job("luma.ray-v2:0", f"page {i}", 5, "1280x720") for i in range(3)]
    arns = [fakes.with_adapter(lambda p, r=r: p.submit(r)).upstream_id for r in records]
    monkeypatch.setattr(adapter_module, "LIST_PAGE_SIZE", 1)
    found = fakes.with_adapter(lambda p: p.recover(records[0]))  # the oldest: on the third page
    assert isinstance(found, Submitted) and found.upstream_id == arns[0]
    pages = [s for s in fakes.bedrock.seen if s.operation == "ListAsyncInvokes"][-3:]
    client = fakes.boto
    since = dt.datetime.fromtimestamp(records[0].created_at - 300, dt.UTC)
    answer: dict = {}
    for page in pages:
        more = {"nextToken": answer["nextToken"]} if answer.get("nextToken") else {}
        answer = client.list_async_invokes(
            submitTimeAfter=since, sortBy="SubmissionTime", sortOrder="Descending", maxResults=1, **more
        )
        assert_same_request(page, fakes.last("ListAsyncInvokes"), json_body=False)
    assert answer["asyncInvokeSummaries"][0]["clientRequestToken"] == client_token(records[0])

    never = job("luma.ray-v2:0", "never sent", 5, "1280x720")
    monkeypatch.setattr(adapter_module, "LIST_PAGE_SIZE", 100)
    assert isinstance(fakes.with_adapter(lambda p: p.recover(never)), NotSubmitted)


# --- the fake's answers, held to the service model ----------------------------------------------------


def check_shape(value: Any, shape: Shape, where: str) -> None:
    """Strictly: required members present, no member the model lacks, types, enums, patterns, lengths."""
    kind, meta = shape.type_name, shape.metadata
    if kind == "structure":
        assert isinstance(value, dict), where
        assert not set(value) - set(shape.members), (
            f"{where}: not in the model: {set(value) - set(shape.members)}"
        )
        assert not set(shape.required_members) - set(value), f"{where}: missing {shape.required_members}"
        if meta.get("union"):
            assert len(value) == 1, f"{where}: a union sets exactly one member"
        for name, member in value.items():
            check_shape(member, shape.members[name], f"{where}.{name}")
    elif kind == "list":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{where}[{i}]")  # type: ignore[attr-defined]
    elif kind == "string":
        assert isinstance(value, str), where
        assert meta.get("min", 0) <= len(value) <= meta.get("max", 1 << 30), where
        if shape.enum:
            assert value in shape.enum, f"{where}: {value!r} not in {shape.enum}"
        if "pattern" in meta:
            assert re.fullmatch(meta["pattern"], value), f"{where}: {value!r} !~ {meta['pattern']}"
    elif kind == "timestamp":
        assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", value), (
            where
        )
        parse_timestamp(value)
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif kind == "boolean":
        assert isinstance(value, bool), where
    else:
        raise AssertionError(f"{where}: no check for {kind}")


COMMON_ERRORS = {  # what AWS's front door answers for any operation (not in the per-operation list)
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "SerializationException",
    "UnknownOperationException",
}


def test_every_answer_the_fake_served_fits_botocores_model(fakes: Fakes) -> None:
    boto = fakes.boto
    arn = boto.start_async_invoke(
        modelId="luma.ray-v2:0",
        modelInput={"prompt": "FAIL on purpose"},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
    )["invocationArn"]
    while boto.get_async_invoke(invocationArn=arn)["status"] == "InProgress":
        pass
    assert boto.get_async_invoke(invocationArn=arn)["failureMessage"]
    boto.list_async_invokes(statusEquals="Failed", maxResults=5)
    for bad in (
        lambda: boto.start_async_invoke(
            modelId="luma.ray-v2:0",
            modelInput={"prompt": "x", "duration": "7s"},
            outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/{PREFIX}"}},
        ),
        lambda: boto.get_async_invoke(invocationArn=ARN),
        lambda: fakes.session.client(
            "bedrock-runtime",
            endpoint_url=fakes.server.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key="wrong",
        ).list_async_invokes(),
    ):
        with pytest.raises(botocore.exceptions.ClientError):
            bad()

    parser = RestJSONParser()
    checked = set()
    for seen in fakes.bedrock.seen:
        operation = MODEL.operation_model(seen.operation)
        assert seen.wire is not None
        status, headers, body = seen.wire
        assert headers["content-type"] == "application/json" and "x-amzn-requestid" in headers
        if status == 200:
            check_shape(json.loads(body), operation.output_shape, seen.operation)
            checked.add(seen.operation)
            continue
        # an error, read by botocore and by the adapter from the same bytes
        parsed = parser.parse(
            {"status_code": status, "headers": headers, "body": body}, operation.output_shape
        )
        code = parsed["Error"]["Code"]
        declared = {e.name for e in operation.error_shapes}
        assert code in declared | COMMON_ERRORS, f"{seen.operation} answered {code}, which it never does"
        ours = aws_error_message(httpx.Response(status, headers=headers, content=body))
        assert ours.startswith(f"{code}: {parsed['Error']['Message']}"), (ours, parsed["Error"])
        checked.add(code)
    assert {"StartAsyncInvoke", "GetAsyncInvoke", "ListAsyncInvokes"} <= checked
    assert {"ValidationException", "InvalidSignatureException"} <= checked


# --- what the SDK declares, held against the catalog and the adapter ---------------------------------


def test_the_catalog_and_adapter_fit_what_the_sdk_declares() -> None:
    start = MODEL.operation_model("StartAsyncInvoke").input_shape.members
    models = Catalog.load().entry("bedrock").models
    assert models, "no bedrock models in the catalog"
    for name in models:
        meta = start["modelId"].metadata
        assert re.fullmatch(meta["pattern"], name) and meta["min"] <= len(name) <= meta["max"], name

    status = MODEL.shape_for("AsyncInvokeStatus").enum
    assert set(STATUS) | {"Completed", "Failed"} == set(status), "a status the adapter does not know"

    token = client_token(job("luma.ray-v2:0", "x", 5, "1280x720"))
    meta = start["clientRequestToken"].metadata
    assert meta["idempotencyToken"] and re.fullmatch(meta["pattern"], token) and len(token) <= meta["max"]
    s3_uri = MODEL.shape_for("S3Uri").metadata["pattern"]
    assert re.fullmatch(s3_uri, f"s3://{BUCKET}/{PREFIX}")
    assert adapter_module.S3_URI.pattern.startswith("^s3://([a-z0-9][.\\-a-z0-9]{1,61}[a-z0-9])")

    listing = MODEL.operation_model("ListAsyncInvokes").input_shape.members
    assert "SubmissionTime" in listing["sortBy"].enum and "Descending" in listing["sortOrder"].enum
    assert 1 <= adapter_module.LIST_PAGE_SIZE <= listing["maxResults"].metadata["max"]

    assert MODEL.metadata["signingName"] == "bedrock"  # what the adapter signs for
    session = boto3.Session()
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        endpoint = session.client(
            "bedrock-runtime", region_name=region, aws_access_key_id="x", aws_secret_access_key="y"
        ).meta.endpoint_url
        provider = BedrockVideos(
            ProviderSettings(
                access_key_id="x", secret_key=SecretStr("y"), region=region, output_uri="s3://bucket/prefix"
            )
        )
        assert str(provider.client.http.base_url).rstrip("/") == endpoint
        asyncio.run(provider.aclose())
