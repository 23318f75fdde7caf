# motcua: `make demo` runs the demo on http://127.0.0.1:$(PORT); `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Debian packages: what the demo's own features use (PDF fonts, the board's spoken calls), and what
# the tests need besides (Chromium for browser tests, poppler for PDF checks, gettext for messages,
# SoftHSM for signing with a PKCS#11 token).
APT_DEMO_PACKAGES := fonts-dejavu-core espeak-ng
APT_TEST_PACKAGES := chromium poppler-utils gettext softhsm2
# The demo is served like a deployment: the ASGI server with several worker processes.
DEMO_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := motcua.settings

.PHONY: demo test install assets system-deps demo-deps lint lock migrate demo-data clean help messages

help:
	@echo "make demo   - install, create the SQLite database, load the demo data, serve on :$(PORT) (uvicorn)"
	@echo "make test   - install and run the whole test suite (DATABASE_URL selects PostgreSQL)"
	@echo "make lint   - ruff and mypy"

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $$(scripts/find-python.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

install: $(VENV)/.installed assets

# The pages' libraries, and the devDependencies the browser tests need (axe-core), whatever NODE_ENV says.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --include=dev --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.package-lock.json

# apt-get install what is missing of the packages $(1).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

demo-deps:
	$(call apt_install,$(APT_DEMO_PACKAGES))

system-deps:
	$(call apt_install,$(APT_DEMO_PACKAGES) $(APT_TEST_PACKAGES))

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo-data: migrate
	$(PY) manage.py demo
	$(PY) manage.py signing demo-ca
	$(PY) manage.py load_life_events

# The demo profile (motcua/settings.py): DEBUG off, local hosts, plain HTTP, demo accounts allowed.
demo: export MOTCUA_ENV = demo
demo: demo-deps demo-data
	@$(PY) manage.py demo --summary --port $(PORT)
	@# The scheduler runs the periodic jobs (deadline flags, SMS, bookings) beside the server, and a db_worker the
	@# queued background tasks (batch signing); all stop together.
	@# The application alone reads X-Forwarded-For (MOTCUA_TRUSTED_PROXIES), so uvicorn's proxy headers are off;
	@# open event streams (display boards) get 5 s to close on Ctrl-C, then the browser reconnects.
	@trap 'kill 0' INT TERM EXIT; $(PY) manage.py scheduler & $(PY) manage.py db_worker -v0 & \
	  $(VENV)/bin/uvicorn motcua.asgi:application --host 127.0.0.1 --port $(PORT) --workers $(DEMO_WORKERS) \
	    --no-proxy-headers --no-access-log --lifespan off --timeout-graceful-shutdown 5

test: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . ; $(VENV)/bin/mypy

# Re-pin every dependency after editing pyproject.toml.
lock:
	rm -rf /tmp/motcua-lock && $$(scripts/find-python.sh) -m venv /tmp/motcua-lock
	/tmp/motcua-lock/bin/pip install --quiet ".[dev]"
	/tmp/motcua-lock/bin/pip freeze --exclude-editable | grep -v '^motcua' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var/static

# Extract translatable strings into each app's locale/en (and motcua/locale for project templates),
# then compile. Vietnamese is the source language; English must stay complete (a test checks).
APPS_WITH_TEXT := $(patsubst %/apps.py,%,$(wildcard motcua/*/apps.py))
messages: install
	@for dir in $(APPS_WITH_TEXT); do mkdir -p $$dir/locale; \
	  (cd $$dir && ../../$(PY) -P -m django makemessages -l en --no-location --no-wrap -v0 \
	    --ignore 'tests/*' --ignore 'migrations/*'); done
	@mkdir -p motcua/locale
	cd motcua && ../$(PY) -P -m django makemessages -l en --no-location --no-wrap -v0 \
	  $(foreach d,$(APPS_WITH_TEXT),--ignore '$(notdir $(d))/*') --ignore 'conftest.py'
	$(PY) manage.py compilemessages -v0
