"""The spec is valid, keeps the seed whole, and promises what the server does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
SEED = ROOT.parent / "shared" / "seed" / "videos-paths.yaml"
SCHEMES = {"BearerAuth", "BasicAuth", "VirtualKeyAuth", "ApiKeyAuth"}
PUBLIC = {"healthCheck", "readinessCheck", "metricsExport"}


class StrictLoader(yaml.SafeLoader):
    """YAML that refuses duplicate keys (plain YAML keeps the last one, silently)."""


def _no_duplicates(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load(path: Path):
    return yaml.load(path.read_text(), StrictLoader)


def operations():
    root = load(SPEC / "openapi.yaml")
    for path, item in root["paths"].items():
        file, _, pointer = item["$ref"].partition("#/")
        resolved = load(SPEC / file)[pointer]
        for method, op in resolved.items():
            yield path, method, op


def test_root_validates_with_openapi_spec_validator() -> None:
    spec, base_uri = read_from_filename(str(SPEC / "openapi.yaml"))
    validate(spec, base_uri=base_uri)
    assert spec["openapi"] == "3.0.3"


@pytest.mark.parametrize("path", sorted(SPEC.rglob("*.yaml")), ids=lambda p: str(p.relative_to(SPEC)))
def test_no_duplicate_keys(path: Path) -> None:
    load(path)


@pytest.mark.skipif(not SEED.exists(), reason="shared/ seed not beside the checkout")
def test_seed_is_kept_line_for_line() -> None:
    """Additions only: every seed line is still there, in order."""
    ours = iter((SPEC / "paths/inference/videos.yaml").read_text().splitlines())
    missing = [line for line in SEED.read_text().splitlines() if not any(line == o for o in ours)]
    assert missing == []


def test_mounts_bifrost_paths_and_leaves_duplicate_delete_unmounted() -> None:
    root = load(SPEC / "openapi.yaml")
    refs = {p: i["$ref"].split("#/")[1] for p, i in root["paths"].items()}
    assert refs["/v1/videos"] == "video-generation"
    assert refs["/v1/videos/{video_id}"] == "video-by-id"
    assert refs["/v1/videos/{video_id}/content"] == "video-download"
    assert refs["/v1/videos/{video_id}/remix"] == "video-remix"
    assert "video-delete" not in refs.values()


def test_every_operation_requires_one_of_the_four_schemes() -> None:
    """...or, for the admin API, the admin key and only that."""
    for path, method, op in operations():
        if op["operationId"] in PUBLIC:
            assert op["security"] == []  # probes and scraping: public, aggregates only
            continue
        schemes = {name for requirement in op["security"] for name in requirement}
        if path.startswith("/admin/"):
            assert schemes == {"AdminKeyAuth"} and op["tags"] == ["Admin"], (path, method)
        else:
            assert schemes == SCHEMES, (path, method)
        assert "401" in op["responses"], (path, method)


def test_every_error_response_is_a_bifrost_error() -> None:
    root = load(SPEC / "openapi.yaml")
    shared = root["components"]["responses"]
    for path, method, op in operations():
        for status, response in op["responses"].items():
            if status.startswith("2"):
                continue
            if "$ref" in response:
                response = shared[response["$ref"].rsplit("/", 1)[1]]
            schema = response["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith("#/BifrostError"), (path, method, status)


def test_create_links_chain_real_ids() -> None:
    ops = {op["operationId"]: op for _, _, op in operations()}
    links = ops["videoGeneration"]["responses"]["200"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        "videoRetrieve",
        "videoDownload",
        "videoRemix",
        "videoDelete",
        "videoEdit",
        "videoExtend",
        "videoCharacterCreate",
    }
    for link in links.values():  # by path parameter, or (edit, extend, character) as the body's video
        assert link.get("parameters", {"video_id": "$response.body#/id"}) == {
            "video_id": "$response.body#/id"
        }
        if "requestBody" in link:
            assert link["requestBody"]["video"] == {"id": "$response.body#/id"}
    made = ops["videoCharacterCreate"]["responses"]["200"]["links"]["GetCharacter"]
    assert made == {
        "operationId": "videoCharacterRetrieve",
        "parameters": {"character_id": "$response.body#/id"},
        "description": "Fetch the character with its `id`.",
    }
