# vidgate — `make run` serves on the embedded defaults; `make test` runs every test.
# Both install what they need into .venv/ first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install run test test-fast lint format spec-check bundle generate clean browser bench

install: $(STAMP)

$(STAMP): pyproject.toml generated/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" -e ./generated
	touch $(STAMP)

run: install
	$(BIN)/vidgate serve --host $(HOST) --port $(PORT)

# The studio's browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

spec-check: install
	$(BIN)/openapi-spec-validator spec/openapi.yaml

bundle: install
	$(BIN)/python scripts/bundle_spec.py spec/openapi.yaml build/openapi.bundled.yaml

# The client is generated from the bundle, never edited by hand; CI fails when it is stale.
generate: bundle
	$(BIN)/openapi-python-client generate --path build/openapi.bundled.yaml --output-path generated \
	  --meta setup --config scripts/openapi-python-client.yaml --overwrite --fail-on-warning

# Benchmarks: ratios side by side in one run (bench/results.json). Parts: footprint render overhead.
bench: install
	$(BIN)/python bench/run.py $(PARTS)

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
