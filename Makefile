# User-facing targets: `make run` (the main job), `make test` (the whole suite) and
# `make docs` (the documentation site, into site/). Each creates .venv when missing;
# only python3 and pip are assumed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test docs

$(VENV)/.installed-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[all]"
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed-run $(VENV)/.installed-docs

$(VENV)/.installed-docs: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[docs]"
	touch $@

run: $(VENV)/.installed-run
	$(PY) -m mlplab run

test: $(VENV)/.installed-test
	$(PY) -m pytest -n 2 -q

docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict
