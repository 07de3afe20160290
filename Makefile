# Sieć ES — the README's commands. `make run` to try it, `make test` to check everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test test-fast lint translations bench install install-dev system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Local commands run in demo mode (SIECES_DEMO=true): the built-in SECRET_KEY is accepted there
# only. Production sets SIECES_SECRET_KEY and runs gunicorn + `flask scheduler run` (README).
translations: $(VENV)/.installed
	SIECES_DEMO=true $(FLASK) i18n compile

# The whole product on one machine: migrate, seed demo data, then the web server, the scheduler
# and a local mail sink (e-mail kept in instance/demo-mail/, readable by the administrator at
# /admin/poczta-demo), all stopped together by Ctrl+C (coordination/demo_run.py).
run: install translations
	$(BIN)/python -m coordination.demo_run --host 127.0.0.1 --port 5000

system-deps:
	@bash tests/system_deps.sh

lint: install-dev
	$(BIN)/ruff check .

test: install-dev system-deps translations lint
	@bash tests/run_lanes.sh

# the edit loop: the SQLite lane only (no lint, no PostgreSQL, no browser)
test-fast: install-dev translations
	SIECES_TEST_DB=sqlite $(BIN)/pytest -m "not e2e and not fuzz" -p no:cacheprovider -q -n $${SIECES_TEST_WORKERS:-auto}

bench: install-dev system-deps translations
	$(BIN)/python -m bench.run

# Keeps instance/ (the local SQLite database and the demo mail): delete it by hand to start afresh.
clean:
	rm -rf $(VENV) test-artifacts
