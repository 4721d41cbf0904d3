# The two commands that matter: `make demo` and `make test`. Everything installs into .venv/
# (VENV=… for another, e.g. one per Python version), from requirements.lock: every package at
# the exact version and hash locked there, so a release elsewhere cannot change a fresh install.
# The first Python >= 3.11 that really runs (a pyenv shim may exist for a version that does not).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v $$p && break; \
	done)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
ONLY ?=
CLOCK ?= 2028-02-29T12:00+07:00
ARGS ?=

.PHONY: install lock demo serve test test-clock lint format bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Cần Python 3.11 trở lên (Python >= 3.11 required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Refresh requirements.lock after a change of dependencies in pyproject.toml: one file for every
# supported Python (3.11 and later), hashes included. uv resolves; pip installs.
lock:
	@test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock

# The background worker (reminders) runs beside the app: one shell, gunicorn in the foreground,
# and whatever ends gunicorn (Ctrl+C, an error) also ends the worker.
demo: install
	$(BIN)/tuyengiao migrate --noinput -v0
	$(BIN)/tuyengiao collectstatic --noinput -v0
	$(BIN)/tuyengiao load_demo
	$(BIN)/tuyengiao schedule_reminders
	$(BIN)/tuyengiao schedule_reports
	$(BIN)/tuyengiao schedule_narratives
	$(BIN)/tuyengiao purge_concern_text --schedule
	@echo "Mở http://$(HOST):$(PORT) (Ctrl+C để dừng)"
	$(BIN)/tuyengiao db_worker --no-reload & worker=$$!; \
	trap 'trap - EXIT INT TERM; kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn tuyengiao.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4 \
		--access-logfile - --forwarded-allow-ips '*'

serve: install
	$(BIN)/gunicorn tuyengiao.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads 4

# STATIC_ROOT: the tests serve static files from the apps, never from a demo's collected copy.
test: install
	STATIC_ROOT=$(CURDIR)/var/test-static-unused $(BIN)/pytest $(ARGS)

# The suite with the clock moved to CLOCK, ticking (tests/conftest.py), to prove that no test
# depends on the real date: make test-clock CLOCK=2028-01-01T05:00+07:00 ARGS='-m "not browser"'
test-clock: install
	TUYENGIAO_TEST_CLOCK=$(CLOCK) STATIC_ROOT=$(CURDIR)/var/test-static-unused $(BIN)/pytest $(ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: install
	@$(BIN)/python -m bench $(ONLY)

messages: install
	cd src/tuyengiao && ../../$(BIN)/tuyengiao makemessages -l en --no-obsolete --no-location
	cd src/tuyengiao && ../../$(BIN)/tuyengiao compilemessages

clean:
	rm -rf $(VENV) var
