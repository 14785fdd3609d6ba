"""``make test-portable``: the parity tests as other CPUs would run them.

A parity bound read off one machine fails on the next, because another CPU makes PyTorch, oneDNN and MKL pick
other kernels (vector width, blocking, summation order). This runs every test marked ``parity`` (not ``slow``)
under each instruction-set level this CPU can emulate downwards, with 1 and 2 threads:

=========  =======================  ====================  =========================
level      ``ATEN_CPU_CAPABILITY``  ``ONEDNN_MAX_CPU_ISA``  ``MKL_ENABLE_INSTRUCTIONS``
=========  =======================  ====================  =========================
default    default                  AVX                   SSE4_2
avx2       avx2                     AVX2                  AVX2
avx512     avx512 (if the CPU has)  AVX512_CORE           AVX512
=========  =======================  ====================  =========================

(oneDNN's lowest level is AVX, not SSE4.1: OpenVINO's CPU plugin refuses to compile below it, "bad combination".)
Before each run it checks that the levels took effect: torch's ``get_cpu_capability()`` must report the level, and
oneDNN's own verbose line must name an ISA no higher than asked. ONNX Runtime's MLAS and OpenVINO pick their
kernels themselves; the tests that compare against them run at whatever this CPU gives them.

Prints a table and writes it as JSON (``--json``, default ``outputs/portable.json``) with the machine.
Exit status: non-zero if any run failed or a level did not take effect.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEVELS = {
    "default": {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "AVX", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "avx512": {
        "ATEN_CPU_CAPABILITY": "avx512", "ONEDNN_MAX_CPU_ISA": "AVX512_CORE", "MKL_ENABLE_INSTRUCTIONS": "AVX512"
    },
}
# oneDNN's verbose ISA names, lowest first (the "isa:" line of ONEDNN_VERBOSE)
ONEDNN_RANK = ["SSE4.1", "AVX", "AVX2", "AVX-512"]

PROBE = """
import torch
x = torch.randn(1, 64, 64, 64)
with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
    torch.nn.functional.conv2d(x, torch.randn(64, 64, 3, 3), padding=1)
print("capability", torch.backends.cpu.get_cpu_capability())
"""


def probe(env: dict) -> tuple[str, str]:
    """(torch's CPU capability, oneDNN's ISA line) under ``env``."""
    r = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    cap = re.search(r"^capability (\S+)", r.stdout, re.M)
    isa = re.search(r"onednn_verbose,[^\n]*?isa:([^\n]*)", r.stdout + r.stderr)
    return (cap.group(1) if cap else "?"), (isa.group(1).strip() if isa else "?")


def isa_ok(level: str, isa_line: str) -> bool:
    """oneDNN's ISA is no higher than ``level`` asks (e.g. "Intel AVX2" for avx2, no "AVX-512")."""
    if isa_line == "?":
        return False
    top = {"default": "AVX", "avx2": "AVX2", "avx512": "AVX-512"}[level]
    seen = [r for r in ONEDNN_RANK if r in isa_line]
    return bool(seen) and ONEDNN_RANK.index(seen[-1]) <= ONEDNN_RANK.index(top)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from edgegan.io import write_json
    from edgegan.machine import cpu_flags, machine

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", default="outputs/portable.json")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--levels", nargs="+", default=list(LEVELS), choices=list(LEVELS))
    ap.add_argument("pytest_args", nargs="*", help="extra pytest arguments (e.g. -k pix2pix)")
    a = ap.parse_args()
    flags = cpu_flags()
    rows, ok, todo = [], True, []
    for level in a.levels:
        if level == "avx512" and not (flags["avx512f"] and flags["avx512bw"]):
            rows.append({"level": level, "skipped": "this CPU has no AVX-512"})
            print(f"{level}: skipped (this CPU has no AVX-512)", flush=True)
            continue
        todo += [(level, threads) for threads in a.threads]
    todo.sort(key=lambda c: c[1])  # the one-thread runs first, two at a time
    budget = os.cpu_count() or 1  # runs of 1 thread go two at a time on 2 cores; their sum never exceeds the CPUs
    running: list = []
    while todo or running:
        while todo and sum(r[1] for r in running) + todo[0][1] <= max(budget, todo[0][1]):
            level, threads = todo.pop(0)
            env = dict(os.environ, **LEVELS[level], OMP_NUM_THREADS=str(threads))
            cap, isa = probe(env)
            p = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "parity and not slow",
                 *a.pytest_args],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            running.append((level, threads, cap, isa, p, time.perf_counter()))
        done = running.pop(0)  # the oldest: runs of one kind take about as long as each other
        level, threads, cap, isa, p, t0 = done
        out, _ = p.communicate()
        took = cap.lower() == level and isa_ok(level, isa)
        tail = [x for x in out.strip().splitlines() if x.strip()][-1:] or ["(no output)"]
        row = {"level": level, "threads": threads, "torch_capability": cap, "onednn_isa": isa,
               "took_effect": took, "exit": p.returncode, "summary": tail[0],
               "seconds": round(time.perf_counter() - t0, 1)}  # fmt: skip
        if p.returncode:
            row["failures"] = [x for x in out.splitlines() if x.startswith(("FAILED", "ERROR"))]
        ok &= took and p.returncode == 0
        rows.append(row)
        print(f"{level:8s} threads {threads}: torch {cap}, oneDNN {isa!r}, took effect {took}: {tail[0]} "
              f"({row['seconds']} s)", flush=True)  # fmt: skip
        for f in row.get("failures", []):
            print("   ", f, flush=True)
    write_json(a.json, {"runs": rows, "machine": machine(), "command": "make test-portable"})
    print(f"wrote {a.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
