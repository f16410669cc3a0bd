# Abdi: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machines have two cores. PYTEST_ARGS="-n 0 -k rules" for a narrow serial run.
PYTEST_ARGS ?= -n 2
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: demo setup run worker test test-sqlite test-pg lint fmt messages openapi clean \
	backup restore prod-smoke fuzz

$(VENV)/.base: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base pyproject.toml
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $@

## demo: install, migrate SQLite, load the demo agency, print the logins, serve on :8000
demo: setup
	$(PY) manage.py seed_demo
	@echo "Abdi is starting at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## setup: install and migrate the embedded SQLite database
setup: $(VENV)/.base
	$(PY) manage.py migrate --no-input -v 0

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

## worker: a Celery worker and beat (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0)
worker: $(VENV)/.base
	$(VENV)/bin/celery -A config worker -B --loglevel=INFO

## test: the whole suite on SQLite; on PostgreSQL too when DATABASE_URL is set
test: $(VENV)/.dev
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL"; \
		DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS); \
	fi

test-sqlite: $(VENV)/.dev
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

test-pg: $(VENV)/.dev
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL=postgres://…" && exit 2)
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

## lint: ruff, mypy on the typed layers, migrations and OpenAPI drift
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $$(ls abdi/*/rules.py abdi/*/services.py abdi/*/selectors.py abdi/*/api.py \
		abdi/*/access.py abdi/api.py abdi/core/*.py abdi/organisations/importing/*.py \
		abdi/*/services/*.py abdi/*/api/*.py 2>/dev/null | sort -u)
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py openapi_snapshot --check

## backup: one archive of the database and media in var/backups (BACKUP_DIR=… to choose)
backup: $(VENV)/.base
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output $(BACKUP_DIR))

## restore: replace the database and media with an archive: make restore FILE=var/backups/abdi-backup-….tar
restore: $(VENV)/.base
	@test -n "$(FILE)" || (echo "Usage: make restore FILE=var/backups/abdi-backup-….tar" && exit 2)
	$(PY) manage.py restore "$(FILE)"

## prod-smoke: gunicorn + Celery worker + beat on PostgreSQL and Redis with the prod settings,
## one request through each background path, checked to have run on the worker (docs/deploy.md)
prod-smoke: $(VENV)/.dev
	env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE $(PY) -m abdi.core.prod_smoke

## fuzz: schemathesis on every /api/v1 operation (FUZZ_EXAMPLES per operation, default 8):
## no server error, every error problem+json with a code. Use DATABASE_URL for PostgreSQL.
FUZZ_EXAMPLES ?= 8
fuzz: $(VENV)/.dev
	ABDI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DJANGO_SETTINGS_MODULE=config.settings.test \
		$(VENV)/bin/pytest abdi/core/tests/test_fuzz_api.py $(PYTEST_ARGS) -q -p no:randomly

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## messages: extract and compile the Indonesian catalogue (needs gettext)
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l id --no-obsolete --ignore='.venv/*' --ignore='var/*'
	$(PY) manage.py compilemessages -l id --ignore='.venv/*'

openapi: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py openapi_snapshot

clean:
	rm -rf $(VENV) var
