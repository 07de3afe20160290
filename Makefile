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

translations: $(VENV)/.installed
	$(FLASK) i18n compile

run: install translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo ""
	@echo "Sieć ES is running on http://127.0.0.1:5000  (Ctrl+C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

system-deps:
	@bash tests/system_deps.sh

lint: install-dev
	$(BIN)/ruff check .

test: install-dev system-deps translations lint
	@bash tests/run_lanes.sh

# the edit loop: the SQLite lane only (no lint, no PostgreSQL, no browser)
test-fast: install-dev translations
	SIECES_TEST_DB=sqlite $(BIN)/pytest -m "not e2e" -p no:cacheprovider -q -n $${SIECES_TEST_WORKERS:-auto}

bench: install-dev system-deps translations
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance test-artifacts
