# Set-up and everyday commands. `make run` and `make test` each set up everything they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

LOCK := $(VENV)/requirements.lock

.PHONY: run test lint audit translations translations-update clean bench

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

test: $(BIN)/activate translations lint audit
	$(BIN)/python -m pytest

bench: $(BIN)/activate translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance/*.db

translations-update: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs='.venv .git instance' --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
