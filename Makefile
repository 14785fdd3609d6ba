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
# measured); a module's tests stay on one worker (tests/conftest.py's scheduler; each worker gets its share of the
# threads). The tests are mostly single-threaded Python (exporters, start-ups). Two workers once made the slow
# suite slower (sessions 15-16): pytest 9.2 had silently broken xdist's grouping, so every worker built every
# module's fixtures (a 200-step training, a compress run) again, side by side.
WORKERS := $(shell $(PYTHON) -c "import os; print(min(4, os.cpu_count() or 1))")
XDIST := -n $(WORKERS) --dist loadfile

# --durations: the slowest tests and their times in every log (CI's included), for the suite's time budget
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "not slow" $(XDIST) --durations=15

# the tests marked slow (fault injection, NNCF accuracy control, QAT, smoke trainings, torchrun, published sizes).
# Most run on XDIST's workers, one module per worker (test_kill's commands one at a time), one thread each: their
# work is mostly single-threaded Python (exporters, NNCF's graph work, the kill test's tiny commands, small
# trainings), so two at once cost about the time of one (43 tests in 12 min 35 s on two workers against about
# 23 min serially, AVX2 EPYC, session 17). SLOW_SERIAL run alone afterwards: they hold ONNX Runtime and OpenVINO
# sessions for long stretches (compress's latency ladder, video, NNCF accuracy control), whose thread pools take
# every core, and a latency measured beside another job measures that job.
SLOW_SERIAL := tests/test_budget.py tests/test_compress.py tests/test_video.py
test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow $(XDIST) $(addprefix --ignore=,$(SLOW_SERIAL)) --durations=20
	$(BIN)/python -m pytest -q -m slow $(SLOW_SERIAL) --durations=10

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
