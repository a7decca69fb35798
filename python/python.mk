# The Python package (python/): its test venv, its pytest suites and its benchmark.
# Included by the top Makefile.
#
#   make python-venv     build/venv with pytest, pyarrow, pandas, numpy, polars, duckdb
#                        (installed once; later runs only check they import)
#   make python-tests    pip install ./python into the venv, then pytest (part of make check)
#   make python-tests-asan  the suites against an ASan+UBSan build (not in make check)
#   make bench-python    the training-loader and filter-loop benchmarks (bench/python_bench.py)

PY_VENV   := build/venv
PY        := $(PY_VENV)/bin/python
PY_PKGS   := pytest pyarrow pandas numpy polars duckdb setuptools wheel
PY_IMPORT := import pytest, pyarrow, pandas, numpy, polars, duckdb, setuptools

.PHONY: python-venv python-install python-tests python-tests-asan bench-python

## python-venv: create build/venv with the Python test dependencies (once)
python-venv:
	@if [ ! -x $(PY) ]; then python3 -m venv $(PY_VENV) || \
	    { echo "python-venv: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }; fi
	@$(PY) -c "$(PY_IMPORT)" 2>/dev/null || $(PY) -m pip install -q $(PY_PKGS)

## python-install: build the pqfoot Python package and install it into build/venv (no tests)
python-install: python-venv
	$(PY) -m pip install -q --no-build-isolation ./python

## python-tests: install the pqfoot Python package into build/venv and run its pytest suites
python-tests: python-install
	$(PY_VENV)/bin/pytest -q python/tests

## python-tests-asan: the same suites against an ASan+UBSan build of the extension and the
## bundled library (not part of make check; the memory-growth test is left out)
PY_ASAN := build/python-asan
PY_ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
python-tests-asan: python-venv
	cd python && CC=gcc CFLAGS="$(PY_ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    ../$(PY) setup.py -q build_clib --build-temp ../$(PY_ASAN)/tmp --build-clib ../$(PY_ASAN)/tmp \
	    build_ext --build-lib ../$(PY_ASAN)/lib --build-temp ../$(PY_ASAN)/tmp
	cp python/pqfoot/*.py python/pqfoot/*.pyi python/pqfoot/py.typed $(PY_ASAN)/lib/pqfoot/
	PYTHONPATH=$(PY_ASAN)/lib ASAN_OPTIONS=detect_leaks=0 \
	    LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	    $(PY_VENV)/bin/pytest -q -p no:cacheprovider python/tests -k "not memory"

## bench-python: loader (cached / fresh pq.ParquetFile / pqfoot) and filter-loop benchmarks
bench-python: python-install
	nice -n 10 $(PY) bench/python_bench.py --out bench/RESULTS-python.md

CHECK_TARGETS += python-tests
CLEAN_DIRS += python/build python/pqfoot.egg-info
