# Two commands do all the set-up (see README.md):
#   make report   build .venv from requirements.lock, execute the notebooks, write reports/
#   make test     the same environment; unit tests plus strict nbval on every notebook
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lock-installed

# Determinism: hash seed and one BLAS/OpenMP thread everywhere. The Jupyter kernel
# installed into .venv carries the same variables (kernel.json "env"), so JupyterLab
# computes what `make test` checks, as fast (tests/test_environment.py compares them).
# OPENBLAS_CORETYPE is deliberately not set: the notebooks must agree on every kernel.
KERNEL_ENV := PYTHONHASHSEED OMP_NUM_THREADS OPENBLAS_NUM_THREADS MKL_NUM_THREADS \
              NUMEXPR_NUM_THREADS MPLBACKEND PYDEVD_DISABLE_FILE_VALIDATION
export PYTHONHASHSEED := 0
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export NUMEXPR_NUM_THREADS := 1
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1
KERNEL := $(VENV)/share/jupyter/kernels/python3/kernel.json

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: all env test unit nbval report lint sample bench lock notebooks reference clean

all: test

env: $(STAMP) $(KERNEL)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The notebooks' kernel, with the environment above (re-made when this file changes).
$(KERNEL): $(STAMP) Makefile
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 \
	    --display-name "Python 3 (ciqanalysis)" $(foreach v,$(KERNEL_ENV),--env $(v) $($(v))) >/dev/null

test: $(STAMP) $(KERNEL)
	$(BIN)/python -m pytest -q --doctest-modules ciqanalysis tests
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

unit: $(STAMP) $(KERNEL)
	$(BIN)/python -m pytest -q --doctest-modules ciqanalysis tests

nbval: $(STAMP) $(KERNEL)
	$(BIN)/python -m pytest -q --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

report: $(STAMP) $(KERNEL)
	$(BIN)/ciqanalysis report --out reports --formats html,pdf,docx

# Re-execute every notebook in place (after a deliberate change), storing outputs.
notebooks: $(STAMP) $(KERNEL)
	$(BIN)/ciqanalysis run-notebooks --in-place

# After a deliberate change of the method: rewrite the reference tables the notebooks'
# check cells compare with (notebooks/reference/*.csv) and the stored outputs together.
reference: $(STAMP) $(KERNEL)
	$(BIN)/ciqanalysis run-notebooks --in-place --update-reference

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
