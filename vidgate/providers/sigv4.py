"""AWS Signature Version 4 for httpx requests, without botocore.

https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html: a canonical request
(method, URI, query, the signed headers, the payload's SHA-256), the string to sign (timestamp,
credential scope, the canonical request's hash) and a signing key derived from the secret, the
date, the region and the service. Each path segment is URI-encoded twice except for S3, which signs
the path as sent and wants the payload hash in `x-amz-content-sha256` too. The oracle test holds
this module against botocore's own signer, request for request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Generator, Mapping
from urllib.parse import quote, unquote

import httpx
from pydantic import SecretStr

ALGORITHM = "AWS4-HMAC-SHA256"
# What is signed besides every x-amz-* header; like botocore, nothing a proxy may rewrite.
SIGNED = frozenset({"host", "content-type", "content-md5"})


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")."""
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 path normalisation as AWS does it: no `.`/`..` or empty segments."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
        else:
            segments.append(segment)
    first = "/" if path.startswith("/") else ""
    last = "/" if path.endswith("/") and segments else ""
    return first + "/".join(segments) + last


def canonical_uri(raw_path: str, *, s3: bool) -> str:
    """The path as sent (already percent-encoded): encoded once more except for S3."""
    if not raw_path:
        return "/"
    if s3:
        return raw_path
    return quote(_remove_dot_segments(raw_path) or "/", safe="/~")


def canonical_query(raw_query: str) -> str:
    """Each name and value URI-encoded (RFC 3986 unreserved kept), sorted by name then value."""
    if not raw_query:
        return ""
    pairs = []
    for item in raw_query.split("&"):
        name, _, value = item.partition("=")
        pairs.append((quote(unquote(name), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """(the canonical header block, the signed header list) for headers already chosen to sign."""
    tidy = {name.lower().strip(): " ".join(value.split()) for name, value in headers.items()}
    names = sorted(tidy)
    return "".join(f"{name}:{tidy[name]}\n" for name in names), ";".join(names)


def canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    payload_hash: str,
    *,
    s3: bool = False,
) -> str:
    block, signed = canonical_headers(headers)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path, s3=s3),
            canonical_query(raw_query),
            block,
            signed,
            payload_hash,
        ]
    )


def string_to_sign(amz_date: str, scope: str, request_hash: str) -> str:
    return "\n".join([ALGORITHM, amz_date, scope, request_hash])


class SigV4Auth(httpx.Auth):
    """Signs every request (retries too, each with a fresh timestamp) for one service and region.

    The secret stays a SecretStr until the signing key is derived, so a repr never shows it."""

    requires_request_body = True

    def __init__(
        self,
        access_key_id: str,
        secret_key: SecretStr,
        region: str,
        service: str,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.access_key_id = access_key_id
        self._secret = secret_key
        self.region = region
        self.service = service
        self.s3 = service == "s3"
        self.clock = clock

    def sign(self, request: httpx.Request) -> None:
        now = self.clock().astimezone(dt.UTC)
        amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload_hash = sha256_hex(request.content)
        for stale in ("authorization", "x-amz-date", "x-amz-content-sha256"):
            request.headers.pop(stale, None)
        request.headers["x-amz-date"] = amz_date
        if self.s3:  # S3 refuses a SigV4 request without it
            request.headers["x-amz-content-sha256"] = payload_hash
        chosen = {
            name: value
            for name, value in request.headers.items()
            if name.lower() in SIGNED or name.lower().startswith("x-amz-")
        }
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        canonical = canonical_request(request.method, raw_path, raw_query, chosen, payload_hash, s3=self.s3)
        scope = f"{date}/{self.region}/{self.service}/aws4_request"
        key = signing_key(self._secret.get_secret_value(), date, self.region, self.service)
        signature = hmac.new(
            key, string_to_sign(amz_date, scope, sha256_hex(canonical.encode())).encode(), hashlib.sha256
        ).hexdigest()
        request.headers["authorization"] = (
            f"{ALGORITHM} Credential={self.access_key_id}/{scope}, "
            f"SignedHeaders={canonical_headers(chosen)[1]}, Signature={signature}"
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request
