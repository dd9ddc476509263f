# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
# Debian packages the test suite needs: the browser and Thai fonts for the Playwright tests, and
# PostgreSQL, on which the suite runs a second time, and Redis for the real Celery worker test.
TEST_DEBS := chromium fonts-thai-tlwg postgresql redis-server redis-sentinel haproxy patroni etcd-server poppler-utils libpango-1.0-0 libpangoft2-1.0-0 nginx systemd
# The failover drill builds the three-VM cluster of deploy/cluster/ on this machine and drives load with wrk.
DRILL_DEBS := patroni etcd-server postgresql haproxy redis-server redis-sentinel wrk
# The benchmarks drive real HTTP with wrk against gunicorn, PostgreSQL and Redis on this machine.
BENCH_DEBS := wrk postgresql redis-server libpango-1.0-0 libpangoft2-1.0-0

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Debian: apt-get install python3 python3-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

.PHONY: install
install: $(VENV)/.installed messages ## Create the virtualenv and install the runtime packages

.PHONY: install-dev
install-dev: $(VENV)/.installed-dev messages node_modules/.installed ## Install the test and tooling packages too

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Installs the Debian packages named in $(1) that are missing (as root, or through sudo).
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

.PHONY: system-packages
system-packages: ## Install the Debian packages the tests need (root or sudo)
	$(call install_debs,$(TEST_DEBS))

.PHONY: messages
messages: $(VENV)/.installed ## Compile the Thai translations (.po -> .mo)
	$(MANAGE) compile_translations

.PHONY: migrate
migrate: install ## Apply database migrations
	@mkdir -p var
	$(MANAGE) migrate --no-input

.PHONY: demo
demo: migrate ## Load the demo content and accounts (idempotent)
	$(MANAGE) seed_demo

# PDF receipts need Pango; everything else in `make run` is Python.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run-packages
run-packages:
	-$(call install_debs,$(RUN_DEBS))

.PHONY: run
run: run-packages demo ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

.PHONY: lint
lint: $(VENV)/.installed-dev ## ruff (lint and format check), djhtml (templates) and the import-linter layer contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	find templates -name '*.html' -print0 | xargs -0 $(VENV)/bin/djhtml --check
	PYTHONPATH=site:. $(VENV)/bin/lint-imports

.PHONY: format
format: $(VENV)/.installed-dev ## Format Python and templates
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	find templates -name '*.html' | xargs $(VENV)/bin/djhtml

.PHONY: test
test: system-packages install-dev lint test-sqlite test-postgres ## Install everything the suite needs, then run the whole suite on SQLite and on PostgreSQL

# Integration tests start real servers and reconfigure Celery's broker: pyproject.toml leaves them out of a
# plain pytest run and they run here in a process of their own.
PYTEST := $(PY) -m pytest -q

.PHONY: test-sqlite
test-sqlite: $(VENV)/.installed-dev ## The suite on SQLite (the embedded default)
	$(PYTEST)
	$(PYTEST) -m integration

.PHONY: test-postgres
test-postgres: $(VENV)/.installed-dev ## The suite on throwaway PostgreSQL and Redis servers, as in production
	bin/with-postgres bin/with-redis $(PYTEST)
	bin/with-postgres bin/with-redis $(PYTEST) -m integration

.PHONY: makemessages
makemessages: $(VENV)/.installed-dev ## Extract new strings into locale/th/LC_MESSAGES/django.po
	$(MANAGE) makemessages -l th --no-obsolete -i 'node_modules/*' -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bin/*' -i 'bench/*'
	$(MANAGE) makemessages -d djangojs -l th --no-obsolete -i 'node_modules/*' -i '.venv/*' -i 'var/*'

.PHONY: clean
clean: ## Remove the virtualenv, node_modules and local data (var/)
	rm -rf $(VENV) node_modules var

.PHONY: drill
drill: install-dev ## The failover drill: the cluster on this machine, load, four faults, what was lost (about 5 minutes)
	$(call install_debs,$(DRILL_DEBS))
	$(PY) bench/drill.py

.PHONY: bench-data
bench-data: install-dev ## Build the 10,000- and 1,000,000-request databases, and a million over 100 organisations, once (var/bench)
	$(call install_debs,$(BENCH_DEBS))
	$(PY) bench/data.py

.PHONY: bench
bench: bench-data ## Measure the targets of bench/RESULTS.md against gunicorn + PostgreSQL + Redis (about 35 minutes)
	$(PY) bench/run.py
