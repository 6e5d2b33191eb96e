# vidgate — `make run` serves on the embedded defaults; `make test` runs every test.
# Both install what they need into .venv/ first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install run test test-fast lint format spec-check bundle generate clean tools bench bench-peer

install: $(STAMP)

$(STAMP): pyproject.toml generated/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/vidgate serve --host $(HOST) --port $(PORT)

# Debian packages the tests use: Chromium drives the studio (never a downloaded browser), wrk is
# the benchmarks' load generator (the bench smoke test runs it).
tools:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian's$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi

# Tests run in processes over the cores (pytest-xdist), a file's tests in one process: most of
# them wait on servers they start, and one process kept CI near its 15 minutes on a slow host.
test: install tools
	$(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile

test-fast: install
	$(BIN)/pytest -m "not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

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

# Benchmarks: ratios side by side in one run; writes bench/results.json and prints the table.
# PARTS="overhead fanin" picks parts; ARGS=--quick for a shorter run. The LiteLLM peer needs
# `make bench-peer` once (its own venv, not a project dependency).
bench: install tools
	$(BIN)/python -m bench.run $(PARTS) $(ARGS)

PEER_VENV := .venv-peer
$(PEER_VENV)/bin/litellm:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet "litellm[proxy]>=1.108"

bench-peer: install tools $(PEER_VENV)/bin/litellm
	$(BIN)/python -m bench.run peer $(ARGS)

clean:
	rm -rf $(VENV) $(PEER_VENV) build .pytest_cache .ruff_cache
