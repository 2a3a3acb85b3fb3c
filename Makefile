# Selfdirect: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PORT ?= 8000
PEOPLE ?= 2000
SEED ?= 1
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := src
export DJANGO_SETTINGS_MODULE := selfdirect.settings

.PHONY: demo serve test setup python assets system-packages pdf-libs lint typecheck test-sqlite test-postgres test-load test-browser lock clean

## make demo: set up, build a demo council (first time), and serve it on http://127.0.0.1:$(PORT)/
## with a background worker beside it (scripts/with-worker.sh: Ctrl-C stops both).
demo: setup pdf-libs
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py generate_demo --people $(PEOPLE) --seed $(SEED) --if-empty
	@echo ""
	@echo "Selfdirect demo council: http://127.0.0.1:$(PORT)/"
	@echo "Sign in at http://127.0.0.1:$(PORT)/accounts/login/ as holder, representative, carer, practitioner,"
	@echo "manager, planner, provider, finance, commissioner, admin or dpo; password: selfdirect-demo"
	@echo ""
	PY=$(PY) scripts/with-worker.sh $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload --nostatic

## make serve: the production way of serving (gunicorn, collected static files, the
## production settings) run locally against the demo database on http://127.0.0.1:$(PORT)/.
## Production's rules stay on: see the README for signing in (decision 0014).
serve: setup pdf-libs
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py generate_demo --people $(PEOPLE) --seed $(SEED) --if-empty
	@test -s var/secret_key || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	@echo ""
	@echo "Selfdirect with production settings: http://127.0.0.1:$(PORT)/ (health: /healthz)"
	@echo "The demo password is refused here: set one with $(PY) manage.py changepassword holder"
	@echo ""
	SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost SELFDIRECT_HTTPS=0 \
	  BIND=127.0.0.1:$(PORT) scripts/serve.sh

## make test: install whatever is missing, then lint, type-check, check the app layers
## (import-linter, decision 0011) and run every test
## on SQLite, on a throwaway PostgreSQL cluster, and in Chromium with axe-core.
test: setup system-packages pdf-libs
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports
	@mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test-sqlite
	$(MAKE) test-postgres
	$(MAKE) test-load
	$(MAKE) test-browser

## Tests marked postgres run real concurrent transactions: PostgreSQL only.
test-sqlite:
	$(VENV)/bin/pytest -m "not browser and not postgres and not load" -n 2 -q

test-postgres:
	scripts/with-postgres.sh $(VENV)/bin/pytest -m "not browser and not load" -n 2 -q

## bench/load.py end to end on a tiny council of its own (gunicorn, locust): run once.
test-load:
	$(VENV)/bin/pytest -m load -q -p no:randomly

test-browser:
	$(VENV)/bin/pytest -m browser -q -p no:randomly

setup: python assets

python: $(VENV)/.installed
$(VENV)/.installed: requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

assets: build/.installed
build/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf build/static/govuk build/public
	mkdir -p build/static/govuk build/public
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/govuk/
	cp -r node_modules/govuk-frontend/dist/govuk/assets build/public/assets
	touch $@

## The pango library WeasyPrint needs for PDF letters, when missing.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0"; then \
	  echo "Installing Debian packages: libpango-1.0-0 libpangoft2-1.0-0"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
	fi

## Debian's chromium (browser tests) and postgresql (the PostgreSQL run), when missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## Re-pin requirements.lock from requirements.in (maintainers only).
lock:
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules build var
