# SXSH Portal. `make run` starts the demo portal; `make test` runs the whole test suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make run: zero-configuration demo (SQLite + filesystem Celery broker under var/, one worker
# consuming every queue).
RUN_ENV := DEBUG=1 DATABASE_URL= CELERY_BROKER_URL= CELERY_WORKER_QUEUES=

.PHONY: help venv dev run worker beat test lint format migrations-check bench bench-load clean

help:
	@echo "make run    - set up and start the portal with demo data (http://127.0.0.1:$(PORT)/)"
	@echo "make test   - install test requirements and run the whole suite (PostgreSQL + Redis)"
	@echo "make lint   - ruff check and format check, import layers (lint-imports)"

# No Python >= 3.12: find-python.sh says so and make stops (no half-made .venv is left behind:
# the next `make run` would take it for a finished one).
$(VENV)/.installed: requirements.txt
	@test -x $(PY) || { python=$$(scripts/find-python.sh) && echo "Creating $(VENV) with $$python" \
	  && "$$python" -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed
dev: $(VENV)/.dev-installed

run: venv
	@scripts/ensure-system-packages.sh
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	$(RUN_ENV) $(PY) manage.py run_portal --port $(PORT)

# Consumes every queue (celery,reports,imports,mail,maintenance); `make worker QUEUES=reports`
# only those named.
worker: venv
	$(RUN_ENV) $(PY) -m celery -A sxsh_portal worker $(if $(QUEUES),--queues $(QUEUES)) --loglevel=INFO

beat: venv
	$(RUN_ENV) $(PY) -m celery -A sxsh_portal beat --loglevel=INFO

test: dev
	@scripts/ensure-system-packages.sh --browser
	@$(PY) scripts/check-services.py
	$(PY) -m pytest

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: venv
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

bench: dev
	$(PY) bench/facility_list.py

bench-load: dev
	$(PY) bench/load.py

clean:
	rm -rf var/ staticfiles/ test-artefacts/ .pytest_cache
