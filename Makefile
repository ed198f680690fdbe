# Two commands on a fresh machine: `make demo` (the main job on the embedded graph store) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test bench lint stop clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[api,dashboard,dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/symbiosis demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check symbiosis tests bench dashboard
	$(BIN)/mypy symbiosis

stop: $(STAMP)
	$(BIN)/symbiosis down

clean:
	-$(BIN)/symbiosis down
	rm -rf $(VENV) .symbiosis .pytest_cache
