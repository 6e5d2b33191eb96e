"""Durability fixtures: a loopback S3 (moto's server), throwaway PostgreSQL databases, a fake upstream."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.fakes.harness import FakeServer
from tests.fakes.openai_videos import OpenAIVideosFake
from tests.support.catalog import SORA_STILL_SERVED
from tests.support.databases import postgres_database


class S3:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )

    def new_bucket(self) -> str:
        name = f"vidgate-{uuid.uuid4().hex[:10]}"
        self.client.create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        return [o["Key"] for o in self.client.list_objects_v2(Bucket=bucket).get("Contents", [])]

    def env(self, bucket: str) -> dict[str, str]:
        return {
            "VIDGATE_ASSET_STORE": "s3",
            "VIDGATE_S3__BUCKET": bucket,
            "VIDGATE_S3__ENDPOINT": self.endpoint,
            "VIDGATE_S3__ACCESS_KEY_ID": "test",
            "VIDGATE_S3__SECRET_ACCESS_KEY": "test",
            "VIDGATE_S3__ALLOW_HTTP": "true",
        }


@pytest.fixture(scope="session")
def s3() -> Iterator[S3]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield S3(f"http://{host}:{port}")
    server.stop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture
def upstream() -> Iterator[tuple[OpenAIVideosFake, FakeServer]]:
    fake = OpenAIVideosFake(key="sk-durability", polls_to_complete=15)
    with FakeServer(fake.app()) as server:
        yield fake, server


def upstream_env(server: FakeServer) -> dict[str, str]:
    return {
        "VIDGATE_PROVIDERS__OPENAI__API_KEY": "sk-durability",
        "VIDGATE_PROVIDERS__OPENAI__BASE_URL": server.url,
        "VIDGATE_PROVIDERS__OPENAI__POLL_INTERVAL_SECONDS": "0.2",
        "VIDGATE_PROVIDERS__OPENAI__MAX_RETRY_WAIT_SECONDS": "0.2",
        **SORA_STILL_SERVED,
    }


def pg_rows(url: str, sql: str) -> list[tuple]:
    import asyncpg

    async def run() -> list[tuple]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()

    return asyncio.run(run())
