# Two commands matter: `make demo` and `make test`. Both start with `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/chengxin
# The suite empties this Redis database between tests: keep it for tests alone.
export REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install system database demo serve test audit lint format lock check bench clean

install: $(STAMP)

$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

DEMO := DJANGO_SETTINGS_MODULE=chengxin.settings.dev $(BIN)/python manage.py

demo: install
	$(DEMO) migrate --noinput
	$(DEMO) load_demo
	$(DEMO) sync_precinct_pages
	$(DEMO) runserver 127.0.0.1:8000

# The production stack on this machine: gunicorn + WhiteNoise + the task worker,
# production settings from serve.env (written on first run with fresh secrets).
SERVE_PORT ?= 8000
serve: install
	$(BIN)/python scripts/serve.py --port $(SERVE_PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Create the development database if it is missing (the suite itself uses test_<name>).
database: install
	$(BIN)/python scripts/ensure_database.py

check: install database
	DJANGO_SETTINGS_MODULE=chengxin.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=chengxin.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Debian packages for browser tests and benchmarks (chromium, a CJK font, wrk).
system:
	scripts/install_system_packages.sh

# Known vulnerabilities in the pinned dependencies (pip-audit; says so when it cannot reach its service).
audit: install
	$(BIN)/python scripts/audit_dependencies.py

test: lint check system audit
	$(BIN)/pytest

# Re-pin dependencies after editing requirements*.in (needs network to the package index).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes -q requirements.in -o requirements.lock
	$(BIN)/uv pip compile --python-version 3.11 --generate-hashes -q requirements-dev.in -o requirements-dev.lock

bench: install system
	$(BIN)/python bench/import_merchants.py
	$(BIN)/python bench/print_batches.py
	$(BIN)/python bench/scan_page.py
	$(BIN)/python bench/precinct_page.py
	$(BIN)/python bench/rating_round.py

clean:
	rm -rf $(VENV) .pytest_cache demo.sqlite3 media/
