"""Run a command as on an AVX2-only CPU (Zen 2/3, Intel before Ice Lake), on a bigger one, and show what took effect.

    python benchmarks/as_avx2.py -- edgegan compress vintagify --fps 30 --size 1280x720 --photos data/confirm --out DIR

Sets :data:`edgegan.machine.AVX2_ENV` (oneDNN for PyTorch and OpenVINO, ATen, MKL, OpenCV's dispatched kernels,
numpy's), then checks in a fresh process of the same environment what each library now uses: torch's CPU
capability, OpenCV's feature line (a ``?`` marks a feature switched off), numpy's SIMD extensions, and OpenVINO's
INT8 convolution kernels on a one-layer quantized probe (``jit_gemm_I8`` or ``jit_avx2_I8`` on AVX2; ``avx512``,
``amx`` or ``vnni`` in the name would mean the limit did not hold). A limit that did not take effect stops the
run before the command. ONNX Runtime has no such switch: its MLAS kernels still use what the CPU has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHECK = r"""
import json
import numpy as np, cv2, torch, openvino as ov
from openvino import opset13 as ops
x = ops.parameter([1, 16, 32, 32], np.float32)
def fq(n, lo, hi):
    return ops.fake_quantize(n, np.float32(lo), np.float32(hi), np.float32(lo), np.float32(hi), 256 if lo == 0 else 255)
w = np.random.default_rng(0).uniform(-1, 1, (16, 16, 3, 3)).astype(np.float32)
y = ops.convolution(fq(x, 0, 1), fq(ops.constant(w), -1, 1), [1, 1], [1, 1], [1, 1], [1, 1])
m = ov.Model([y], [x])
rt = ov.Core().compile_model(m, "CPU").get_runtime_model()
kernels = sorted({op.get_rt_info()["primitiveType"].astype(str) for op in rt.get_ordered_ops()
                  if op.get_rt_info()["layerType"].astype(str) == "Convolution"})
from numpy._core._multiarray_umath import __cpu_features__ as f
print(json.dumps({"torch": torch.backends.cpu.get_cpu_capability(), "opencv": cv2.getCPUFeaturesLine(),
                  "numpy_avx512": [k for k in ("X86_V4", "AVX512_ICL", "AVX512_SPR") if f.get(k)],
                  "openvino_int8_conv": kernels}))
"""


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.exit("usage: python benchmarks/as_avx2.py -- COMMAND [ARGS ...]")
    from edgegan.machine import AVX2_ENV

    env = dict(os.environ, **AVX2_ENV)
    got = json.loads(subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True,
                                    check=True).stdout.strip().splitlines()[-1])  # fmt: skip
    print("AVX2 limits:", " ".join(f"{k}={v}" for k, v in AVX2_ENV.items()))
    print("took effect:", json.dumps(got))
    wider = [k for k in got["openvino_int8_conv"] if any(t in k for t in ("avx512", "amx", "vnni"))]
    opencv_on = [f for f in got["opencv"].split() if f.startswith("*AVX512") and not f.endswith("?")]
    if got["torch"] != "AVX2" or wider or opencv_on or got["numpy_avx512"]:
        sys.exit(f"the AVX2 limit did not hold: {got}")
    sys.exit(subprocess.run(argv, env=env).returncode)


if __name__ == "__main__":
    main()
