"""The machine a figure was measured on: CPU model, instruction set and runtime versions.

The same INT8 export runs 2-4x slower on a CPU without VNNI (AVX2 only) than on one with AVX-512 VNNI, so a
latency figure means little without the instruction set it holds on. :func:`machine` is what every benchmark
and ``edgegan bench`` JSON records under ``"machine"``.

What is recorded about the instruction set:

- ``cpu_capability``: the kernels PyTorch's ATen dispatches to (``torch.backends.cpu.get_cpu_capability()``,
  lowered by ``ATEN_CPU_CAPABILITY``);
- ``cpu_flags``: the CPU's own AVX2 / AVX-512 / VNNI / AMX flags from ``/proc/cpuinfo``;
- ``isa_limits``: the environment variables that restrict oneDNN (PyTorch's and OpenVINO's convolutions) and
  ATen below what the CPU has (``ONEDNN_MAX_CPU_ISA=AVX2`` reproduces an AVX2-only CPU on a VNNI one);
- ``isa``: one short word for the INT8 class of the run: ``avx512_vnni``/``avx_vnni``/``amx`` when the CPU has
  it and nothing restricts oneDNN below it, else ``avx512``, ``avx2`` or ``baseline``.
"""

from __future__ import annotations

import os
import platform

# /proc/cpuinfo flags that decide which kernels run (INT8 dot products above all)
ISA_FLAGS = (
    "avx2",
    "fma",
    "avx512f",
    "avx512bw",
    "avx512_vnni",
    "avx_vnni",
    "avx512_bf16",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
)
# environment variables that lower the instruction set a library uses
ISA_ENV = (
    "ONEDNN_MAX_CPU_ISA",
    "DNNL_MAX_CPU_ISA",
    "ATEN_CPU_CAPABILITY",
    "MKL_ENABLE_INSTRUCTIONS",
    "OPENCV_CPU_DISABLE",
    "NPY_DISABLE_CPU_FEATURES",
)
# an AVX2-only CPU (Zen 2/3, Intel before Ice Lake) reproduced on a bigger one, for every library that can be held
# there: oneDNN (PyTorch's and OpenVINO's kernels), ATen, MKL, OpenCV's dispatched kernels and numpy's
AVX2_ENV = {
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "OPENCV_CPU_DISABLE": "AVX512-SKX,AVX512-CLX,AVX512-CNL,AVX512-ICL,AVX_VNNI",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
}
# oneDNN's ISA names, lowest first, mapped to the class :func:`isa_class` reports
_ONEDNN_ORDER = (
    "SSE41",
    "AVX",
    "AVX2",
    "AVX2_VNNI",
    "AVX2_VNNI_2",
    "AVX512_CORE",
    "AVX512_CORE_VNNI",
    "AVX512_CORE_BF16",
    "AVX512_CORE_FP16",
    "AVX512_CORE_AMX",
    "AVX512_CORE_AMX_FP16",
    "DEFAULT",
    "ALL",
)


def _cpuinfo() -> tuple[str, set[str]]:
    model, flags = "", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and not model:
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags") and not flags:
                    flags = set(line.split(":", 1)[1].split())
                if model and flags:
                    break
    except OSError:
        pass
    return model or platform.processor() or "unknown", flags


def cpu_flags() -> dict[str, bool]:
    """The ISA flags of :data:`ISA_FLAGS`, each True or False (all False where /proc/cpuinfo is absent)."""
    flags = _cpuinfo()[1]
    return {f: f in flags for f in ISA_FLAGS}


def isa_limits() -> dict[str, str]:
    """The ISA-limiting environment variables that are set, with their values."""
    return {k: os.environ[k] for k in ISA_ENV if os.environ.get(k)}


def _allowed(name: str) -> bool:
    """Whether oneDNN may use ISA ``name`` (a :data:`_ONEDNN_ORDER` entry) under any ``ONEDNN_MAX_CPU_ISA`` limit."""
    limit = (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or "ALL").upper()
    rank = _ONEDNN_ORDER.index(limit) if limit in _ONEDNN_ORDER else len(_ONEDNN_ORDER) - 1
    return rank >= _ONEDNN_ORDER.index(name)


def has_bf16() -> bool:
    """Whether this CPU has bf16 units (AVX512_BF16 or AMX) that oneDNN may use under any ISA limit."""
    flags = cpu_flags()
    return (flags["avx512_bf16"] or flags["amx_bf16"]) and _allowed("AVX512_CORE_BF16")


def isa_class() -> str:
    """``amx``, ``avx512_vnni``, ``avx_vnni``, ``avx512``, ``avx2`` or ``baseline``: the best INT8 class oneDNN may
    use here, given the CPU's flags and any ``ONEDNN_MAX_CPU_ISA`` limit."""
    flags = cpu_flags()
    if flags["amx_int8"] and _allowed("AVX512_CORE_AMX"):
        return "amx"
    if flags["avx512_vnni"] and _allowed("AVX512_CORE_VNNI"):
        return "avx512_vnni"
    if flags["avx_vnni"] and _allowed("AVX2_VNNI"):
        return "avx_vnni"
    if flags["avx512f"] and _allowed("AVX512_CORE"):
        return "avx512"
    if flags["avx2"] and _allowed("AVX2"):
        return "avx2"
    return "baseline"


def machine() -> dict:
    """What the figures were measured on: host, CPU model, instruction set, threads and runtime versions."""
    import numpy
    import onnxruntime
    import torch

    info = {
        "host": platform.node(),
        "machine": platform.machine(),
        "processor": _cpuinfo()[0],
        "logical_cpus": os.cpu_count(),
        "isa": isa_class(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cpu_flags": cpu_flags(),
        "isa_limits": isa_limits(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
    }
    try:
        import openvino

        info["openvino"] = openvino.get_version().split("-")[0]
    except ImportError:
        pass
    return info


def describe(info: dict | None = None) -> str:
    """One line for a report: ``AMD EPYC 9B14, avx2 (ATen AVX2; ONEDNN_MAX_CPU_ISA=AVX2), 2 CPUs``."""
    info = machine() if info is None else info
    limits = "; ".join(f"{k}={v}" for k, v in info.get("isa_limits", {}).items())
    detail = f"ATen {info.get('cpu_capability', '?')}" + (f"; {limits}" if limits else "")
    return f"{info.get('processor', '?')}, {info.get('isa', '?')} ({detail}), {info.get('logical_cpus', '?')} CPUs"
