# Set-up and everyday commands. `make run` and `make test` each set up everything they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

LOCK := $(VENV)/requirements.lock

.PHONY: run test lint audit chromium loadtest translations translations-update clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d translations >/dev/null

run: $(BIN)/activate translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl+C stops)."
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(BIN)/activate
	$(BIN)/ruff check .

# pip-audit of the installed dependencies, frozen into a lock; bandit of our own code.
audit: $(BIN)/activate
	$(BIN)/pip freeze --exclude-editable > $(LOCK)
	$(BIN)/python scripts/audit_dependencies.py $(LOCK)
	$(BIN)/bandit -r tracker -q

# Debian's chromium for the browser tests (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and cannot be installed without root: browser tests are skipped"; \
	  fi; }

test: $(BIN)/activate translations lint audit chromium
	$(BIN)/python -m pytest

# Not part of `make test`: about 3 minutes, traffic to 127.0.0.1 only. Needs PostgreSQL at
# TRACKER_LOAD_DATABASE_URL (default tracker:tracker@127.0.0.1/tracker_load, dropped and recreated).
loadtest: $(BIN)/activate translations
	$(BIN)/python scripts/loadtest.py --database postgresql --users 50 --duration 60 --workers 4
	$(BIN)/python scripts/loadtest.py --database sqlite --users 10 --duration 60 --workers 4

clean:
	rm -rf $(VENV) instance/*.db

translations-update: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs='.venv .git instance' --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
