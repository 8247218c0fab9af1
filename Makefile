# The two commands: `make run` (set up and serve on SQLite with seed and demo data) and
# `make test` (lint, migration check and the whole suite). Both create .venv when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DEV := DJANGO_DEBUG=1

.PHONY: install run setup test lint format bench bench-import bench-dashboard backup restore clean

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
	@echo ""
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Needs DATABASE_URL pointing at PostgreSQL (bench/README.md).
bench-import: install
	$(DEV) $(BIN)/python bench/import_ons.py

# Drops and recreates the PostgreSQL database in DATABASE_URL (its name must contain `bench`).
bench-dashboard: install
	$(DEV) $(BIN)/python bench/dashboard.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
