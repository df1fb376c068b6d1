# Kinerja: `make run` serves the console with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi

.PHONY: install run test test-fast lint screenshots bench bench-api clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	@KINERJA_COOKIE_SECURE=$${KINERJA_COOKIE_SECURE:-0} $(BIN)/flask --app wsgi db upgrade
	@KINERJA_COOKIE_SECURE=$${KINERJA_COOKIE_SECURE:-0} $(BIN)/flask --app wsgi kinerja demo --if-empty
	@echo ""
	@echo "Kinerja berjalan di / is running at: http://127.0.0.1:$(PORT)/  (Ctrl+C untuk berhenti / to stop)"
	@KINERJA_COOKIE_SECURE=$${KINERJA_COOKIE_SECURE:-0} $(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) \
		--access-logfile - wsgi:app

lint: install
	$(BIN)/lint-imports

test: install lint
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest tests/unit -q

screenshots: install
	KINERJA_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser -q

bench: install
	$(BIN)/python bench/engine.py --n 20000

bench-api: install
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) instance .pytest_cache
