"""The Dockerfile, its entry point and healthcheck, .dockerignore, compose.yaml and the load
balancer's config agree with each other and with the gateway: the names, paths, ports, roles and
settings one of them gives are the ones the others use. Cheap: nothing is built or started."""

from __future__ import annotations

import fnmatch
import os
import re
from urllib.parse import urlsplit

import pytest
import yaml

from tests.support.container import ROOT, built_services, environment, read_compose, read_image
from vidgate.config import Settings
from vidgate.gateway.roles import plan_processes

VARIABLES = {
    "POSTGRES_PASSWORD": "pg-password",
    "MINIO_ROOT_USER": "minio-user",
    "MINIO_ROOT_PASSWORD": "minio-password",
    "VIDGATE_API_KEYS": "vg-one,vg-two",
    "VIDGATE_S3_BUCKET": "the-bucket",
}


@pytest.fixture
def compose() -> dict:
    return read_compose(VARIABLES)


def test_the_entry_point_and_healthcheck_are_the_repositorys_scripts() -> None:
    image = read_image()
    entrypoint = image.source_of(image.entrypoint[0])
    assert entrypoint == ROOT / "docker" / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK) and entrypoint.read_text().startswith("#!/bin/sh\n")
    assert image.cmd == ["serve"] and "exec vidgate serve" in entrypoint.read_text()
    assert image.healthcheck[0] == "python" and image.source_of(image.healthcheck[1]).is_file()
    assert image.user not in ("", "root", "0")
    assert "/opt/vidgate/bin" in image.env["PATH"].split(":")[0]


def test_the_port_exposed_is_the_one_served_and_probed() -> None:
    image = read_image()
    assert image.expose == [image.env["VIDGATE_PORT"]]
    probe = image.source_of(image.healthcheck[1]).read_text()
    assert "VIDGATE_PORT" in probe
    probed = re.findall(r"\}(/[a-z/]*)\"", probe)  # the path after f"http://127.0.0.1:{port}
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    assert probed and all(path in spec["paths"] for path in probed), probed


def test_the_build_context_holds_what_the_wheel_needs_and_no_local_state() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip()[:1] not in ("", "#")
    ]

    def ignored(path: str) -> bool:
        return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[0], p) for p in patterns)

    needed = [
        "pyproject.toml",
        "README.md",
        "vidgate/cli/__init__.py",
        "handlers",
        "spec/openapi.yaml",
        "generated/vidgate_client",
        "docker/entrypoint.sh",
        "docker/healthcheck.py",
    ]
    assert [p for p in needed if ignored(p)] == []
    assert all(ignored(p) for p in (".git", ".venv", ".env", "data", "tests"))


def test_two_api_and_two_worker_services_run_the_image(compose: dict) -> None:
    roles = sorted(environment(s)["VIDGATE_ROLE"] for s in built_services(compose).values())
    assert roles == ["api", "api", "worker", "worker"]


def test_every_vidgate_variable_given_is_a_setting_and_the_plan_is_one_postgresql_allows(
    compose: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, service in built_services(compose).items():
        env = environment(service)
        for var in env:
            assert var.startswith("VIDGATE_"), (name, var)
            top, *nested = var.removeprefix("VIDGATE_").lower().split("__")
            assert top in Settings.model_fields, (name, var)
            if nested:
                sub = Settings.model_fields[top].annotation
                assert nested[0] in sub.model_fields, (name, var)
        for var in [v for v in os.environ if v.startswith("VIDGATE_")]:
            monkeypatch.delenv(var)
        for var, value in env.items():
            monkeypatch.setenv(var, value)
        settings = Settings()
        assert settings.asset_store == "s3" and settings.api_keys == ["vg-one", "vg-two"]
        plan = plan_processes(settings.role, settings.workers, settings.resolved_database_url)
        assert plan.role.value == env["VIDGATE_ROLE"] and plan.processes == 1


def test_the_services_find_each_other(compose: dict) -> None:
    services = compose["services"]
    postgres, minio, bucket = (environment(services[n]) for n in ("postgres", "minio", "bucket"))
    port = read_image().env["VIDGATE_PORT"]
    for name, service in built_services(compose).items():
        env = environment(service)
        db = urlsplit(env["VIDGATE_DATABASE_URL"])
        assert db.hostname in services and db.password == postgres["POSTGRES_PASSWORD"]
        assert (db.username, db.path) == (postgres["POSTGRES_USER"], "/" + postgres["POSTGRES_DB"])
        assert urlsplit(env["VIDGATE_S3__ENDPOINT"]).hostname == "minio"
        assert env["VIDGATE_S3__BUCKET"] == bucket["BUCKET"] == "the-bucket"
        assert (env["VIDGATE_S3__ACCESS_KEY_ID"], env["VIDGATE_S3__SECRET_ACCESS_KEY"]) == (
            minio["MINIO_ROOT_USER"],
            minio["MINIO_ROOT_PASSWORD"],
        )
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "bucket": {"condition": "service_completed_successfully"},
        }, name
        assert "healthcheck" not in service, f"{name}: the image's HEALTHCHECK is the one tested"
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["minio"]
    apis = sorted(n for n, s in built_services(compose).items() if environment(s)["VIDGATE_ROLE"] == "api")
    upstream = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", (ROOT / "docker" / "nginx.conf").read_text(), re.M)
    assert sorted(upstream) == [(n, port) for n in apis]
    assert services["lb"]["depends_on"] == {n: {"condition": "service_healthy"} for n in apis}


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "VIDGATE_API_KEYS"])
def test_compose_will_not_start_without_its_secrets(missing: str) -> None:
    with pytest.raises(KeyError, match=missing):
        read_compose({k: v for k, v in VARIABLES.items() if k != missing})


def test_no_secret_is_written_in_compose_or_defaulted() -> None:
    for line in (ROOT / "compose.yaml").read_text().splitlines():
        key, _, value = line.strip().partition(":")
        if re.search(r"PASSWORD|SECRET|_KEYS$", key) and value.strip():
            assert value.strip().startswith("${") and not re.search(r":-[^}]", value), line
