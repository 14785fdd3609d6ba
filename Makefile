# Two commands do everything on a fresh machine: `make demo` and `make test`.
# Both create .venv on first use; torch is installed first and pinned (a CPU build), because a looser
# requirement lets pip pull a multi-GB CUDA build.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.edgegan-installed
TORCH  := torch==2.13.0
# vintagify only for its pretrained weights file; its declared requirements (torchvision, a CUDA torch) are skipped.
VINTAGIFY := vintagify==0.1.2

.PHONY: demo test test-slow test-all test-portable lint clean venv gui

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# last, so pip's resolver never sees vintagify's unmet (and unwanted) torchvision requirement
	$(BIN)/python -m pip install --quiet --no-deps $(VINTAGIFY)
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/edgegan demo --out outputs/demo

# XDIST: one pytest-xdist worker per logical CPU, at most 4 (each holds its own torch, models and fixtures: 1.4-3 GB
# measured); a module's tests stay on one worker (tests/conftest.py). Only for the default suite, which is mostly
# single-threaded Python (exporters, start-ups): the slow suite's trainings and fault-injection children keep every
# core busy already, and two workers made it slower (docs/results.md, session 15).
WORKERS := $(shell $(PYTHON) -c "import os; print(min(4, os.cpu_count() or 1))")
XDIST := -n $(WORKERS) --dist loadfile

# --durations: the slowest tests and their times in every log (CI's included), for the suite's time budget
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "not slow" $(XDIST) --durations=15

# the tests marked slow (fault injection, NNCF accuracy control, QAT, smoke trainings, torchrun, published sizes).
# The fault-injection runs first, on XDIST's workers, one command per worker: its children are tiny commands that
# are mostly single-threaded Python (export tracing, NNCF's graph work), so two at once, one thread each, take the
# time of one (12 tests in 4 min 53 s on 2 cores against 8 min 12 s serially, AVX2 EPYC, session 17). The rest stays
# serial: its trainings use every core.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow $(XDIST) tests/test_kill.py --durations=12
	$(BIN)/python -m pytest -q -m slow --ignore=tests/test_kill.py --durations=20

# everything: what CI runs
test-all: test test-slow

# the parity tests under other CPU kernels (ATen/oneDNN/MKL lowered to default, AVX2, AVX-512; 1 and 2 threads)
test-portable: $(STAMP)
	$(BIN)/python tests/portable.py --json outputs/portable.json

# The webcam window: OpenCV's GUI build instead of the headless one (needs libGL: apt install libgl1 libglib2.0-0).
gui: $(STAMP)
	$(BIN)/python -m pip uninstall --quiet -y opencv-python-headless
	$(BIN)/python -m pip install --quiet "opencv-python>=4.8"

lint: $(STAMP)
	$(BIN)/ruff check edgegan tests apps
	$(BIN)/lint-imports

clean:
	rm -rf outputs .pytest_cache
