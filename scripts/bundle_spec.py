"""Bundle the multi-file spec into one document for tools that ignore external `$ref`s.

openapi-python-client silently generates no endpoints from path items that are external refs, so
`make generate` feeds it this bundle: path items are inlined, every schema from `schemas/` is
hoisted into `components/schemas` under its own name, and refs into the root stay `#/...`.

    python scripts/bundle_spec.py spec/openapi.yaml build/openapi.bundled.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml


class Bundler:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.docs: dict[Path, Any] = {}
        self.schemas: dict[str, Any] = {}

    def load(self, path: Path) -> Any:
        path = path.resolve()
        if path not in self.docs:
            self.docs[path] = yaml.safe_load(path.read_text())
        return self.docs[path]

    @staticmethod
    def pointer(doc: Any, pointer: str) -> Any:
        for part in filter(None, pointer.split("/")):
            doc = doc[part.replace("~1", "/").replace("~0", "~")]
        return doc

    def ref(self, ref: str, here: Path) -> Any:
        file, _, pointer = ref.partition("#")
        target = (here.parent / file).resolve() if file else here
        if target == self.root:
            return {"$ref": "#" + pointer}
        node = self.pointer(self.load(target), pointer)
        if "schemas" in target.relative_to(self.root.parent).parts:
            name = pointer.rstrip("/").split("/")[-1]
            if name not in self.schemas:
                self.schemas[name] = None  # reserve first: schemas may refer to each other
                self.schemas[name] = self.walk(node, target)
            return {"$ref": f"#/components/schemas/{name}"}
        return self.walk(node, target)

    def walk(self, node: Any, here: Path) -> Any:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                return self.ref(node["$ref"], here)
            return {k: self.walk(v, here) for k, v in node.items()}
        if isinstance(node, list):
            return [self.walk(v, here) for v in node]
        return node

    def bundle(self) -> dict[str, Any]:
        doc = self.walk(self.load(self.root), self.root)
        components = doc.setdefault("components", {})
        components.setdefault("schemas", {}).update(dict(sorted(self.schemas.items())))
        return doc


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    bundled = Bundler(Path(argv[1])).bundle()
    out.write_text(yaml.safe_dump(bundled, sort_keys=False, allow_unicode=True, width=100))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
