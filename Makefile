# truce-timeline — run `make help` for the list of targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help figures test lint bench calibrate clean

help: ## list targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -c constraints.txt
	touch $(STAMP)

venv: $(STAMP) ## create .venv from pyproject.toml (done by the other targets when missing)

figures: $(STAMP) ## main job: run every notebook for every story under data/, rebuild figures/NAME/ and data/NAME/processed/
	$(PY) -m analysis build

test: $(STAMP) ## run the test suite (unit, real-data, notebook and browser checks)
	$(PY) -m pytest

lint: $(STAMP) ## ruff (library, tests, benchmarks, notebooks) and mypy (analysis/)
	$(PY) -m ruff check analysis tests benchmarks notebooks
	$(PY) -m mypy analysis

bench: $(STAMP) ## benchmarks (not part of make test); prints figures, writes benchmarks/results/bench.json
	$(PY) benchmarks/run.py

calibrate: $(STAMP) ## calibration of the statistical tests by simulation (not part of make test; about 40 min on 2 cores)
	$(PY) benchmarks/calibration.py

clean: ## remove the virtual environment and build outputs
	rm -rf $(VENV) build .pytest_cache
