"""What the instruction set costs: one model's network latency with this CPU's own ISA and with oneDNN held to AVX2.

    python benchmarks/isa_effect.py --model vintage_guided --size 1280x720 --json docs/results/isa_effect.json

An AVX2-only CPU (Zen 2/3, Intel before Ice Lake) has no VNNI, so OpenVINO's INT8 convolutions fall back to
slower kernels there. On a CPU with VNNI, ``ONEDNN_MAX_CPU_ISA=AVX2`` makes oneDNN (OpenVINO's CPU plugin and
PyTorch) use only AVX2 kernels. This exports ``--model`` to OpenVINO INT8 (cached in --work), then times it in
fresh processes, alternating the two settings ``--rounds`` times (the machine is shared and noisy: the ratio
within one run is the figure), and reads from OpenVINO's compiled model which kernels its convolutions ran
(``jit_avx512_core_vnni_I8`` against ``jit_avx2_I8`` and the like): the check that the limit took effect.

Prints a table and saves JSON with the machine (its ``isa`` and the limits of each setting).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, sys, time
import numpy as np
from edgegan.machine import machine
from edgegan.runtime.backends import OpenVinoBackend
path, h, w, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
b = OpenVinoBackend(path, threads)
x = np.random.default_rng(0).uniform(-1, 1, (1, 3, h, w)).astype(np.float32)
for _ in range(3):
    b.run(x)
t = []
for _ in range(runs):
    t0 = time.perf_counter(); b.run(x); t.append(time.perf_counter() - t0)
kernels = b.kernel_precisions((1, 3, h, w), key="primitiveType")
print(json.dumps({"median_ms": 1e3 * float(np.median(t)), "kernels": kernels, "machine": machine()}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="vintage_guided")
    ap.add_argument("--size", default="1280x720", help="WxH of the frame")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="outputs/isa_effect")
    ap.add_argument("--json", default="outputs/isa_effect/isa_effect.json")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split("x"))

    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.pipelines.deploy import int8_openvino

    xml = int8_openvino(a.model, a.work, threads=a.threads)
    settings = {"native": {}, "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2"}}
    rows: dict[str, list] = {k: [] for k in settings}
    for r in range(a.rounds):
        for name, extra in settings.items():
            env = dict(os.environ, **extra)
            if name == "native":
                env.pop("ONEDNN_MAX_CPU_ISA", None)
            out = subprocess.run([sys.executable, "-c", CHILD, str(xml), str(h), str(w), str(a.runs), str(a.threads)],
                                 env=env, capture_output=True, text=True, check=True)  # fmt: skip
            rows[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"round {r + 1} {name:6s}: {rows[name][-1]['median_ms']:.1f} ms  {rows[name][-1]['kernels']}",
                  flush=True)  # fmt: skip
    med = {k: sorted(x["median_ms"] for x in v)[len(v) // 2] for k, v in rows.items()}
    result = {
        "model": a.model,
        "int8_openvino": str(xml),
        "size": [w, h],
        "median_ms": med,
        "avx2_over_native": med["avx2"] / med["native"],
        "kernels": {k: v[0]["kernels"] for k, v in rows.items()},
        "isa": {k: v[0]["machine"]["isa"] for k, v in rows.items()},
        "runs": {k: [round(x["median_ms"], 2) for x in v] for k, v in rows.items()},
        "machine": machine(),
        "command": "python " + " ".join(sys.argv),
    }
    write_json(a.json, result)
    print(f"{a.model} INT8 (OpenVINO) at {w}x{h}: native {med['native']:.1f} ms ({result['isa']['native']}), "
          f"AVX2 {med['avx2']:.1f} ms: {result['avx2_over_native']:.2f}x")  # fmt: skip
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
