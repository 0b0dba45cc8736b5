# traza: `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo
DEMO_DB ?= $(DEMO_DIR)/traza.duckdb
export TRAZA_DATABASE_URL ?= duckdb:///$(DEMO_DB)

.PHONY: setup demo test test-fast lint bench bench-ubl serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "traza needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/python scripts/sample_data.py $(DEMO_DIR)/files
	$(BIN)/traza load $(DEMO_DIR)/files --rejections $(DEMO_DIR)/rejections.csv || [ $$? -eq 1 ]
	$(BIN)/traza status
	$(BIN)/traza balance --ruc $$(sed -n 3p $(DEMO_DIR)/files/operators.csv | cut -d, -f1)

test: setup
	$(BIN)/python -m pytest -n 2 -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src

bench: setup
	$(BIN)/python benchmarks/ingest.py --rows 1000000

bench-ubl: setup
	$(BIN)/python benchmarks/ubl.py --docs 100000

serve: setup
	@echo "The web service arrives with the Service issue; nothing to serve yet." && exit 1

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
