#!/usr/bin/env bash
# GPU check: TensorRT engines (FP16, INT8) of the shipped students against ONNX Runtime, and 50 CUDA AMP training
# steps of every family's tiny variant; JSON in docs/results/gpu_check.json. Without a GPU: one line, exit 0.
# On a fresh machine: `make venv` first (and `pip install tensorrt` where NVIDIA's index is reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
exec "$PY" benchmarks/gpu_check.py "$@"
