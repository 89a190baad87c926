# The doors into the project: `make demo`, `make test`, `make test-all`, `make lint`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# pytest-xdist processes: one per CPU unless told (`make test PYTEST_WORKERS=1`).
PYTEST_WORKERS ?= auto
# Where `make demo` and `make serve` listen: `make demo PORT=8001` beside another site.
PORT ?= 8000

.PHONY: demo test test-all lint format migrate serve bench cluster clean secret-key messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Tandem needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# A secret key of this checkout's own, written into .env on the first run (config/make_env.py):
# the demo must not sign its sessions and unsubscribe links with a key anyone can read.
secret-key: | $(BIN)/python
	@$(BIN)/python config/make_env.py

migrate: $(VENV)/.installed secret-key
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py seed_demo
	@echo "Tandem is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: migrate
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --severity-level medium \
		core outbox accounts coaching cycles observations reports notifications video records homes devdata config
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# The catalogues (docs/translating.md): every message id of the code into each language's
# .po files, then the .mo files Django reads, which are committed. Needs GNU gettext.
# `make messages NEW_LANG=fr` starts a new language's catalogue.
LANG_ARG = $(if $(NEW_LANG),-l $(NEW_LANG),-a)
MESSAGES_IGNORE := -i 'tests/*' -i 'devdata/*' -i 'node_modules/*' -i 'staticfiles/*' -i 'media/*'
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages $(LANG_ARG) --add-location file --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs $(LANG_ARG) --add-location file --no-obsolete \
		$(MESSAGES_IGNORE) -i 'static/vendor/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv'

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The everyday lane: every test but those marked `browser` (a real Chromium) or `slow`.
test: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not slow"

# Every test, as CI runs them (.ci/run, which adds PostgreSQL, Redis and a larger fuzzing budget).
test-all: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# DESIGN §7 measured: every page under load beside /healthz and a floor page (CPU per
# request, p95 at a fixed offered rate), served by gunicorn with the production settings,
# on the district `manage.py seed_scale` generated in the PostgreSQL database of
# DATABASE_URL (docs/benchmarks.md). BENCH_ARGS="--seconds 3" for a quick look.
bench: $(VENV)/.installed
	$(BIN)/python manage.py bench $(BENCH_ARGS)

# What a district runs on several machines, on this one (deploy/cluster.sh, README "Running on
# several machines"): PostgreSQL primary and streaming replica, PgBouncer, Redis, Celery,
# two gunicorn nodes behind HAProxy, and a load run that stops and restarts one node.
cluster: $(VENV)/.installed
	deploy/cluster.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis .import_linter_cache staticfiles .cluster
