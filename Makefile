# Two commands do all the set-up (see README.md):
#   make report   build .venv from requirements.lock, execute the notebooks, write reports/
#   make test     the same environment; unit tests plus strict nbval on every notebook
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lock-installed

# Determinism: hash seed and one BLAS/OpenMP thread everywhere.
export PYTHONHASHSEED := 0
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export NUMEXPR_NUM_THREADS := 1
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: all env test unit nbval report lint sample bench lock notebooks clean

all: test

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (ciqanalysis)" >/dev/null
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q --doctest-modules ciqanalysis tests
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

unit: $(STAMP)
	$(BIN)/python -m pytest -q --doctest-modules ciqanalysis tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

report: $(STAMP)
	$(BIN)/ciqanalysis report --out reports

# Re-execute every notebook in place (after a deliberate change), storing outputs.
notebooks: $(STAMP)
	$(BIN)/ciqanalysis run-notebooks --in-place

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the synthetic sample (byte for byte identical unless the generator changed).
sample: $(STAMP)
	$(BIN)/ciqanalysis make-sample

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_panel.py
	$(BIN)/python benchmarks/bench_forecast.py

# Refresh the lock file from pyproject.toml (needs the package registry).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade setuptools wheel && .lockenv/bin/python -m pip install --quiet -e '.[dev]'
	.lockenv/bin/python -m pip freeze --all --exclude-editable | grep -v -e '^-e' -e '^pip==' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) reports/*.html
