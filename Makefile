# traza: `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo
DEMO_DB ?= $(DEMO_DIR)/traza.duckdb
export TRAZA_DATABASE_URL ?= duckdb:///$(DEMO_DB)

.PHONY: setup demo test test-fast lint bench bench-ubl bench-reliability serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "traza needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# The FollowTheMoney export's library builds PyICU: where ICU's headers are missing, the
	@# rest of traza still installs (and says so); CI installs them (.ci/run).
	$(BIN)/pip install --quiet -e '.[dev,ftm]' || echo "note: FollowTheMoney export not installed (needs: apt install libicu-dev pkg-config g++)"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/traza simulate --out $(DEMO_DIR)/sim --operators 300 --months 24 --seed 11 --schemes 30 --dirty-rate 0.0005
	$(BIN)/traza load $(addprefix $(DEMO_DIR)/sim/,operators.csv establishments.csv authorisations.csv movements.csv) \
		--rejections $(DEMO_DIR)/rejections.csv || [ $$? -eq 1 ]
	$(BIN)/traza status
	$(BIN)/traza detect --as-of 2026-10-31
	$(BIN)/traza simulate field --out $(DEMO_DIR) --year 2025 --seed 11
	$(BIN)/traza field load $(DEMO_DIR)/field
	$(BIN)/traza simulate ports --out $(DEMO_DIR)/ports --year 2025 --seed 7 --containers 3000
	$(BIN)/traza load $(addprefix $(DEMO_DIR)/ports/,operators.csv authorisations.csv) \
		--rejections $(DEMO_DIR)/ports-rejections.csv || [ $$? -eq 1 ]
	$(BIN)/traza ports load $(DEMO_DIR)/ports/manifests-callao.csv $(DEMO_DIR)/ports/cuscar/*.edi \
		$(DEMO_DIR)/ports/amendments.csv $(DEMO_DIR)/ports/events.csv
	$(BIN)/traza ports inspect-simulated $(DEMO_DIR)/ports
	$(BIN)/traza ports stats
	$(BIN)/traza report monthly --month 2025-10 --out $(DEMO_DIR)/informe-2025-10.html
	$(BIN)/traza report monthly --month 2025-10 --format pdf --out $(DEMO_DIR)/informe-2025-10.pdf
	$(BIN)/traza report monthly --month 2025-10 --lang en --format md --out $(DEMO_DIR)/report-2025-10.md
	@# the main job's result last, where it stays on screen: how detection did against the
	@# planted schemes, then the top alerts and the riskiest operators, each explained
	TRAZA_ENV=development $(BIN)/traza demo-accounts --out $(DEMO_DIR)/accounts.txt
	$(BIN)/traza evaluate --truth $(DEMO_DIR)/sim/truth.csv
	$(BIN)/traza alerts --top 8 --lang en
	$(BIN)/traza risk --top 10

test: setup
	$(BIN)/python -m pytest -n 2 -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy src

bench: setup
	$(BIN)/python benchmarks/ingest.py --rows 1000000
	$(BIN)/python benchmarks/simulate.py
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/check_api.py

bench-ubl: setup
	$(BIN)/python benchmarks/ubl.py --docs 100000

# Reliability (docs/reliability.md): a long fuzz run and the 30-minute soak on PostgreSQL.
bench-reliability: setup
	$(BIN)/python benchmarks/fuzz.py --seconds 600
	$(BIN)/python benchmarks/soak.py

serve: setup
	@test -f $(DEMO_DB) || $(MAKE) demo
	@cat $(DEMO_DIR)/accounts.txt 2>/dev/null || true
	TRAZA_ENV=development $(BIN)/traza serve

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
