# The two commands: `make run` and `make test`. Both set up what is missing first (system
# packages via apt-get, the virtualenv, npm packages, compiled assets) and are quick the second
# time. With DATABASE_URL / REDIS_URL set they use PostgreSQL and Redis; otherwise SQLite and a
# filesystem queue in var/.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := lcspr.settings

# Debian/Ubuntu packages: to build psycopg2, to run WeasyPrint, and for the browser tests. Tools
# already on the PATH (a Node.js from elsewhere, a pyenv Python with its headers) are not replaced.
RUN_PACKAGES := gcc libc6-dev libpq-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-liberation
TEST_PACKAGES := poppler-utils

.PHONY: run test setup test-setup system-packages system-test-packages migrate demo \
	web worker beat lint check-deploy lock assets clean bench backup restore verify-files

## make run: set up, migrate, load the demo data once, serve on http://127.0.0.1:$(PORT)
## (PORT=8001 make run for another port; SITE_URL, the address e-mails link to, follows it.)
## A second start skips migrate and the demo check while the migrations and the database are
## the ones a previous start prepared (a stamp in var/). Ctrl+C stops everything, once.
run: setup var/.run-ready
	@echo "Starting a background worker and beat, and the web server on http://127.0.0.1:$(PORT)"
	@mkdir -p var/log; \
	trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT; \
	export PORT=$(PORT) DEBUG=$${DEBUG:-true} TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false}; \
	$(BIN)/celery -A lcspr --quiet worker --pool solo --loglevel WARNING >>var/log/worker.log & \
	$(BIN)/celery -A lcspr --quiet beat --loglevel WARNING >>var/log/beat.log & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) & \
	for _ in $$(seq 60); do curl -fs -o /dev/null http://127.0.0.1:$(PORT)/healthz && break; sleep 0.5; done; \
	$(BIN)/python manage.py seed_demo --logins-only; \
	echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl+C to stop; worker and beat log to var/log/)"; \
	wait

# What a start needs prepared: the database migrated and the demo loaded. Keyed by the migration
# files and the database's address, so it is redone when either changes or the SQLite file is
# gone; otherwise `make run` starts at once.
RUN_KEY = $(shell cat $(sort $(wildcard */migrations/*.py */*/migrations/*.py)) | sha256sum | cut -c1-16)-$(shell printf '%s' "$${DATABASE_URL:-sqlite}" | sha256sum | cut -c1-16)
var/.run-ready: FORCE
	@if [ "$$(cat $@ 2>/dev/null)" = "$(RUN_KEY)" ] && { [ -n "$$DATABASE_URL" ] || [ -f var/db.sqlite3 ]; }; then \
		echo "The database is up to date and the demo is loaded (var/.run-ready)."; \
	else \
		$(MAKE) --no-print-directory migrate && \
		DEBUG=$${DEBUG:-true} TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false} \
			$(BIN)/python manage.py seed_demo --no-logins && \
		mkdir -p var && echo "$(RUN_KEY)" > $@; \
	fi

.PHONY: FORCE
FORCE:

## make test: set up, then run the whole suite
test: test-setup
	LCSPR_TESTING=true $(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed static/dist/.built

test-setup: setup system-test-packages

system-packages:
	@extra=""; \
	$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c "import ensurepip" 2>/dev/null || extra="$$extra python3-venv"; \
	$(PYTHON) -c "import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" || extra="$$extra python3-dev"; \
	command -v node >/dev/null || extra="$$extra nodejs"; \
	command -v npm >/dev/null || extra="$$extra npm"; \
	$(call ensure_packages,$(RUN_PACKAGES) $$extra)

system-test-packages:
	@extra=""; command -v chromium >/dev/null || extra="chromium"; \
	$(call ensure_packages,$(TEST_PACKAGES) $$extra)

# Installs only what dpkg says is missing, as root or through sudo, and says what it installs.
define ensure_packages
missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
	echo "Installing system packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
fi
endef

$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed $(wildcard static/src/*)
	npm run --silent build
	touch $@

assets: static/dist/.built

migrate: setup
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input -v 0

demo: migrate
	DEBUG=$${DEBUG:-true} TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-false} $(BIN)/python manage.py seed_demo

## Each part on its own (production: see README)
web: setup
	$(BIN)/gunicorn -c python:lcspr.gunicorn_conf lcspr.wsgi --bind 0.0.0.0:$(PORT)

worker: setup
	$(BIN)/celery -A lcspr worker --loglevel INFO

beat: setup
	$(BIN)/celery -A lcspr beat --loglevel INFO

## Backup and restore (README: "Backup and restore"), run with the web app's environment.
## make backup [TO=folder]: the database, the uploaded files and a manifest of their SHA-256,
## together in one new folder (default backups/<UTC date and time>).
## make restore FROM=folder [FORCE=yes]: put them back, then check every stored file; a
## database with people in it is replaced only with FORCE=yes.
## make verify-files: every stored file present, its SHA-256 as recorded (non-zero if not).
TO ?= backups/$(shell date -u +%Y-%m-%dT%H%M%SZ)
backup:
	$(BIN)/python manage.py backup "$(TO)"

restore:
	@test -n "$(FROM)" || { echo 'Say which backup to restore: make restore FROM=backups/<folder>' >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FROM)" $(if $(filter yes,$(FORCE)),--force)

verify-files:
	$(BIN)/python manage.py verify_files

## Static checks CI runs besides the suite
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	LCSPR_TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run

# `check --deploy` with production-like settings must report nothing.
check-deploy: setup
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
	ALLOWED_HOSTS=reviews.example.org SECURE_HTTPS=true LCSPR_TESTING=false \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## make bench: the performance benchmark (docs/performance.md) on a fresh PostgreSQL database:
## create it, migrate, seed_scale, start gunicorn on BENCH_PORT, measure, stop gunicorn.
## Smaller data: make bench BENCH_SCALE="--reviews 50 --chronology-entries 20000 --actions 2000"
## Document sizes: BENCH_CHRONOLOGY_PDF_ROWS=2000,4000,8000 BENCH_EXECUTIVE_ACTIONS=10000,0 (0: all)
BENCH_PORT ?= 8765
BENCH_WORKERS ?= 3
BENCH_SCALE ?= --reviews 1000 --chronology-entries 200000 --actions 20000
bench: setup
	@set -e; mkdir -p var/bench; \
	export DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lcspr_bench} \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
		DEBUG=false SECURE_HTTPS=false TWO_FACTOR_REQUIRED=false BENCHMARK=true \
		LCSPR_TESTING=false STATIC_ROOT=var/bench/static \
		SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n'); \
	$(BIN)/python bench/database.py "$$DATABASE_URL"; \
	$(BIN)/python manage.py migrate --no-input -v 0; \
	$(BIN)/python manage.py collectstatic --no-input -v 0; \
	$(BIN)/python manage.py seed_scale $(BENCH_SCALE); \
	$(BIN)/gunicorn -c python:lcspr.gunicorn_conf lcspr.wsgi --bind 127.0.0.1:$(BENCH_PORT) --workers $(BENCH_WORKERS) \
		--error-logfile var/bench/gunicorn.log --access-logfile var/bench/access.log & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 60); do curl -fs -o /dev/null http://127.0.0.1:$(BENCH_PORT)/healthz && break; sleep 1; done; \
	$(BIN)/python bench/run.py --url http://127.0.0.1:$(BENCH_PORT) --output var/bench/results.json

## Regenerate requirements.lock (runtime) and requirements-dev.lock from pyproject.toml's bounds
lock:
	rm -rf /tmp/lcspr-lock && $(PYTHON) -m venv /tmp/lcspr-lock
	/tmp/lcspr-lock/bin/pip install --quiet .
	( echo "# Runtime dependencies, pinned (regenerate with \`make lock\`)."; \
	  /tmp/lcspr-lock/bin/pip freeze --exclude-editable | grep -v '^lcspr' ) > requirements.lock
	/tmp/lcspr-lock/bin/pip install --quiet ".[dev]"
	( echo "# Development and test tools, pinned; installed on top of requirements.lock."; \
	  echo "-r requirements.lock"; \
	  comm -23 <(/tmp/lcspr-lock/bin/pip freeze --exclude-editable | grep -v '^lcspr' | sort) \
	    <(grep -v '^#' requirements.lock | sort) ) > requirements-dev.lock

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles
