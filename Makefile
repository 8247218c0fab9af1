# The two commands: `make run` (set up and serve on SQLite with seed and demo data, the import
# worker beside the server) and `make test` (lint, format check, migration check and the whole
# suite). Both create .venv when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DEV := DJANGO_DEBUG=1

.PHONY: install run setup test lint format bench-import bench-import-ods bench-dashboard bench-changes bench-load backup restore demo-code clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

setup: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_seed
	$(DEV) $(BIN)/python manage.py load_demo

run: setup
	@echo ""
	@echo "SLP Portal on http://127.0.0.1:8000  (password for every demo account: $${DEMO_PASSWORD:-demo})"
	@echo "  admin  - Admin: users, partners, plans, data loading"
	@echo "  chair  - Chair: reads every page, changes nothing"
	@echo "  lead   - Strategic lead of priority a    lead2 - Strategic lead of priority d"
	@echo "  owner  - Action owner on priority a's actions"
	@echo "admin, the chair and the leads also give a two-factor code: run 'make demo-code' in another terminal"
	@echo "Imports run in the worker beside the server (manage.py db_worker); Ctrl-C stops both."
	@echo ""
	$(DEV) $(BIN)/python manage.py serve 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Needs DATABASE_URL pointing at PostgreSQL (bench/README.md).
bench-import: install
	$(DEV) $(BIN)/python bench/import_ons.py

# The national ODS as published (about 800,000 rows, 1 GB of XML): reading and the whole import
# against decompressing it. Needs DATABASE_URL pointing at PostgreSQL; ARGS="--read-only" does not.
bench-import-ods: install
	$(DEV) $(BIN)/python bench/import_ods.py $(ARGS)

# Drops and recreates the PostgreSQL database in DATABASE_URL (its name must contain `bench`).
bench-dashboard: install
	$(DEV) $(BIN)/python bench/dashboard.py

# Drops and recreates the PostgreSQL database in DATABASE_URL (its name must contain `bench`).
bench-changes: install
	$(DEV) $(BIN)/python bench/changes.py

# Starts its own PostgreSQL 15 cluster in a temporary directory (BENCH_PG_PORT, default 5441)
# and gunicorn on BENCH_PORT (default 8041); about 3 minutes. Shorter: ARGS="--seconds 10".
bench-load: install
	$(DEV) $(BIN)/python bench/load.py $(ARGS)

# Backups use DATABASE_URL like the portal (default: the SQLite file). In production, where
# DJANGO_SECRET_KEY is set, DJANGO_DEBUG keeps its own value.
MANAGE := DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py

backup: install
	$(MANAGE) backup_database $(FILE)

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/slp-....dump (or .sqlite3)"; exit 2; }
	$(MANAGE) restore_database $(FILE)

# The current two-factor code of the demo admin and leads (their published demo secret).
demo-code: install
	@$(BIN)/python -c "from django_otp.oath import totp; print(f'{totp(b\"slp-portal-demo-only\"):06d}')"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
