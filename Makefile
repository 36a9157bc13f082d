# Two commands do all set-up on a fresh machine with Python 3.11 and make:
#   make demo   - create .venv, install, analyse the bundled sample, print where the results are
#   make test   - create .venv with the test extras, ruff, mypy and the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_OUT ?= demo-output

.PHONY: demo test lint typecheck bench sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/myokinetics show samples/run-intervals-45min.fit
	$(BIN)/myokinetics analyze samples/run-intervals-45min.fit --athlete samples/athlete.toml --out $(DEMO_OUT)
	$(BIN)/myokinetics import samples/run-intervals-45min.fit --library $(DEMO_OUT)/library --quiet
	$(BIN)/myokinetics daily --library $(DEMO_OUT)/library --athlete samples/athlete.toml --out $(DEMO_OUT)/daily --last-days 7
	@echo "demo: results written to $(abspath $(DEMO_OUT)): the analysis in $(DEMO_OUT)/run-intervals-45min/, daily summaries in $(DEMO_OUT)/daily/"
	@echo "demo: open in a browser: $(abspath $(DEMO_OUT))/run-intervals-45min/report.html and $(abspath $(DEMO_OUT))/daily/report.html"

test: $(VENV)/.installed-test
	$(BIN)/ruff check myokinetics tests bench tools
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check myokinetics tests bench tools

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

sample: $(VENV)/.installed-test
	$(BIN)/python -m tools.fitgen samples/run-intervals-45min.fit

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
