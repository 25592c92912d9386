# Two commands set everything up: `make demo` and `make test` (each installs what is missing first).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/rashomon analyze examples/aleppo-2024 --db out/demo.db \
		--json out/aleppo.json --md out/aleppo.md --html out/aleppo.html

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
test: setup
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

bench: setup
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/reading_throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache
