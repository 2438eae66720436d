# Set-up and everyday commands. `make run` and `make test` each set up everything they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

LOCK := $(VENV)/requirements.lock

.PHONY: run test lint audit translations translations-update clean bench system-deps browser-deps apt-install loadtest

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

translations: $(BIN)/activate
	$(BIN)/pybabel compile -d translations >/dev/null

run: system-deps $(BIN)/activate translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT) with one job consumer (Ctrl+C stops both)."
	$(BIN)/python scripts/run_with_jobs.py --host $(HOST) --port $(PORT)

lint: $(BIN)/activate
	$(BIN)/ruff check .

# pip-audit of the installed dependencies, frozen into a lock; bandit of our own code.
audit: $(BIN)/activate
	$(BIN)/pip freeze --exclude-editable > $(LOCK)
	$(BIN)/python scripts/audit_dependencies.py $(LOCK)
	$(BIN)/bandit -r tracker -q

# One worker per core; a test file stays on one worker (its module fixtures, e.g. the browser
# tests' live server, are built once).
test: system-deps browser-deps $(BIN)/activate translations lint audit
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(BIN)/activate translations
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/stored.py

# What the app needs from the system: Pango (WeasyPrint draws text with it) and the DejaVu fonts
# (the PDF embeds them and its charts are measured with them). The browser tests need Chromium. Installed only when missing and only as
# root with apt-get; otherwise a note, never a failure (the browser tests are then skipped).
system-deps:
	@$(MAKE) --no-print-directory apt-install \
	  NEED="$$(ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || echo libpangoft2-1.0-0) \
	        $$([ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || echo fonts-dejavu-core)" \
	  WHY="the PDF report"

browser-deps:
	@$(MAKE) --no-print-directory apt-install \
	  NEED="$$(command -v chromium >/dev/null 2>&1 || echo chromium)" WHY="the browser tests"

apt-install:
	@missing="$$(echo $(NEED))"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $$missing ($(WHY))"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 \
	  || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
	       apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1; } \
	  || echo "Note: could not install $$missing ($(WHY))."; \
	else \
	  echo "Note: $$missing missing, needed for $(WHY) (as root: apt-get install $$missing)."; \
	fi

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
