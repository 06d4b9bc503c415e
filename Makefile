# Two commands for a fresh machine with python3 and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE := supportdesk.settings

.PHONY: run serve test install install-test install-dev lint format typecheck clean-venv

$(PY):
	@$(PYTHON) scripts/make_venv.py $(VENV)

# What pyproject.toml lists, and the checkout on the venv's path (scripts/install.py:
# `pip install -e` without building the project). test: + the test tools;
# dev: + lint, types and the triage tools.
$(VENV)/.installed: pyproject.toml scripts/install.py | $(PY)
	$(PY) scripts/install.py
	@touch $@

$(VENV)/.installed-test: pyproject.toml scripts/install.py | $(PY)
	$(PY) scripts/install.py test
	@touch $(VENV)/.installed $@

$(VENV)/.installed-dev: pyproject.toml scripts/install.py | $(PY)
	$(PY) scripts/install.py dev
	@touch $(VENV)/.installed $(VENV)/.installed-test $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) scripts/make_env.py .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_guide
	$(PY) manage.py demo_data
	@# Links in mails point where this server is, unless SITE_URL says otherwise.
	SITE_URL="$${SITE_URL:-http://$(HOST)}" $(PY) manage.py runserver $(HOST)

# Production's shape: gunicorn (2 workers) + a Celery worker + beat.
serve: install
	VENV=$(VENV) HOST=$(HOST) scripts/serve.sh

# One test process per core (pytest-xdist), in random order (pytest-randomly;
# the seed is printed first: PYTEST_ARGS="--randomly-seed=N" repeats it,
# PYTEST_ARGS="-p no:randomly" runs in file order).
PYTEST_WORKERS ?= auto
# Bytecode is written on first import and reused by every later process (the
# xdist workers, the servers and commands tests start): with
# PYTHONDONTWRITEBYTECODE set, as some shells and CI images do, each of those
# processes compiled Django and the app from source again.
test: export PYTHONDONTWRITEBYTECODE =
test: install-test
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .

# mypy with django-stubs (configuration in pyproject.toml); the plugin loads
# the settings, which need some SECRET_KEY.
typecheck: install-dev
	SECRET_KEY=typecheck-only $(PY) -m mypy

clean-venv:
	rm -rf $(VENV)
