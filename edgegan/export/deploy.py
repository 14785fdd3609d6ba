"""``edgegan export MODEL --format onnx|openvino|tensorrt [--int8 | --fp16]``: one step to a deployable file.

Precision first: float (the checked ONNX export), ``--int8`` (``edgegan quantize --int8``: NNCF Q/DQ,
accuracy-controlled against the float model on OpenVINO) or ``--fp16``. Then the format:

- ``onnx``: that file;
- ``openvino``: IR (``.xml`` + ``.bin``) through OpenVINO's own converter, float models checked against
  PyTorch (1e-4), the ``edgegan.io`` contract kept in the IR's runtime info;
- ``tensorrt``: the TensorRT compatibility pass over the ONNX (:mod:`edgegan.export.tensorrt`), then an engine
  where TensorRT and a GPU are present, else the ONNX plus ``build_engine.sh`` with the exact ``trtexec``
  command, and a note saying so. FP16 for TensorRT is the float ONNX built with ``--fp16`` (TensorRT chooses
  per layer), not an FP16 ONNX.

Beside every output: ``<name>.json`` (format, precision, checks, what was changed, the parent's lineage).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from edgegan.errors import EdgeganError

FORMATS = ("onnx", "openvino", "tensorrt")
# Target profiles (../shared/design/DEPLOY.md, "Jetson targets"): what each device runs best.
TARGETS = {
    "x86": {
        "format": "openvino",
        "int8": True,
        "fp16": False,
        "strongly_typed": False,
        "note": "x86 CPU: NNCF INT8 on OpenVINO (real u8/i8 kernels; ONNX Runtime runs this graph in float)",
    },
    "nano": {
        "format": "tensorrt",
        "int8": False,
        "fp16": True,
        "strongly_typed": False,
        "note": "Jetson Nano (Maxwell sm_53, JetPack 4.6, TensorRT 8.2): no INT8 tensor cores; FP16 is fastest",
    },
    "xavier": {
        "format": "tensorrt",
        "int8": True,
        "fp16": False,
        "strongly_typed": False,
        "note": "Jetson Xavier NX (Volta sm_72, JetPack 5.1, TensorRT 8.5): INT8 Q/DQ with FP16 fallback",
    },
    "orin": {
        "format": "tensorrt",
        "int8": True,
        "fp16": False,
        "strongly_typed": True,
        "note": "Jetson Orin (Ampere sm_87, JetPack 6, TensorRT 10.3): INT8 Q/DQ, strongly typed",
    },
}
SUFFIX = {"onnx": ".onnx", "openvino": ".xml", "tensorrt": ".onnx"}


def export(
    model: str | os.PathLike,
    fmt: str,
    out: str | os.PathLike,
    *,
    int8: bool = False,
    fp16: bool = False,
    calib: list[str] | None = None,
    size: int = 256,
    max_size: int = 1024,
    max_batch: int = 4,
    min_psnr: float = 32.0,
    strongly_typed: bool = False,
    threads: int | None = None,
) -> dict:
    from edgegan.compress.quantize import quantize
    from edgegan.export.to_onnx import export_onnx
    from edgegan.io import ensure_writable_dir, read_json, write_json

    if fmt not in FORMATS:
        raise EdgeganError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if int8 and fp16:
        raise EdgeganError("choose one of --int8 and --fp16")
    out = Path(out)
    if out.suffix != SUFFIX[fmt]:
        raise EdgeganError(f"--format {fmt} writes a {SUFFIX[fmt]} file; got --out {str(out)!r}")
    if calib and not int8:
        raise EdgeganError("--calib is for --int8 (the calibration images of the quantization)")
    ensure_writable_dir(out.parent if str(out.parent) else Path("."))
    precision = "int8" if int8 else "fp16" if fp16 else "fp32"
    report: dict = {"format": fmt, "precision": precision, "source": str(model), "file": out.name}
    with tempfile.TemporaryDirectory(prefix="edgegan-export-") as tmpdir:
        work = Path(tmpdir)
        if int8 or (fp16 and fmt != "tensorrt"):
            qdir = quantize(
                model, work / "q", mode=precision, calib=calib, min_psnr=min_psnr, size=size, threads=threads
            )
            onnx_path = qdir / "model.onnx"
            report["quantization"] = read_json(qdir / "quantize.json")
            report["metrics"] = read_json(qdir / "metrics.json")
        else:
            onnx_path = work / "model.onnx"
            report["onnx_export"] = export_onnx(model, onnx_path)
        if fmt == "onnx":
            shutil.copyfile(onnx_path, out)
        elif fmt == "openvino":
            report["openvino"] = _to_openvino(
                onnx_path, out, check_against=None if (int8 or fp16) else model, threads=threads
            )
        else:
            report["tensorrt"] = _to_tensorrt(
                onnx_path,
                out,
                int8=int8,
                fp16=fp16,
                size=size,
                max_size=max_size,
                max_batch=max_batch,
                strongly_typed=strongly_typed,
            )
    write_json(out.with_suffix(".json"), report)
    return report


def _to_openvino(onnx_path: Path, out: Path, check_against, threads: int | None) -> dict:
    import openvino as ov

    from edgegan.runtime.backends import onnx_io

    io = onnx_io(onnx_path)
    m = ov.convert_model(str(onnx_path))
    m.set_rt_info(json.dumps(io), "edgegan_io")
    tmp_xml = out.with_name(f".{out.stem}.tmp.xml")
    ov.save_model(m, str(tmp_xml), compress_to_fp16=False)
    info = {"converter": f"openvino {ov.get_version().split('-')[0]}"}
    try:
        if check_against is not None:
            from edgegan.export.to_onnx import TOLERANCE, check_inputs
            from edgegan.runtime.backends import OpenVinoBackend, load_backend

            ref, got = load_backend(check_against, "torch"), OpenVinoBackend(tmp_xml, threads)
            diff = max(float(np.abs(ref.run(x) - got.run(x)).max()) for x in check_inputs(io))
            if not diff <= TOLERANCE:
                raise EdgeganError(f"OpenVINO IR differs from PyTorch by {diff:.2e} (> {TOLERANCE:g}); not written")
            info["max_abs_diff_vs_torch"] = diff
        os.replace(tmp_xml.with_suffix(".bin"), out.with_suffix(".bin"))
        os.replace(tmp_xml, out)
    finally:
        for p in (tmp_xml, tmp_xml.with_suffix(".bin")):
            p.unlink(missing_ok=True)
    return info


def _to_tensorrt(
    onnx_path: Path,
    out: Path,
    *,
    int8: bool,
    fp16: bool,
    size: int,
    max_size: int,
    max_batch: int,
    strongly_typed: bool,
) -> dict:
    import onnx

    from edgegan.export.tensorrt import (
        build_engine,
        check_tensorrt,
        engine_name,
        gpu_identity,
        make_tensorrt_compatible,
        trtexec_command,
    )
    from edgegan.io import atomic_write
    from edgegan.runtime.backends import onnx_io

    model = onnx.load(str(onnx_path))
    changes = {}
    if int8:
        model, changes = make_tensorrt_compatible(model)
    problems = check_tensorrt(model)
    if problems:
        raise EdgeganError(f"the graph is not TensorRT-compatible: {problems[0]} (+{len(problems) - 1} more)")
    onnx.checker.check_model(model)
    with atomic_write(out) as f:
        f.write(model.SerializeToString())
    precision = "int8" if int8 else "fp16" if fp16 else "fp32"
    shape, max_shape = (1, 3, size, size), (max_batch, 3, max_size, max_size)
    stem = out.with_suffix("").name
    cmd = trtexec_command(
        out.name,
        f"{stem}.{precision}.$ARCH.trt$TRT.engine",
        int8=int8,
        fp16=fp16 or int8,
        shape=shape,
        max_shape=max_shape,
        strongly_typed=strongly_typed,
    )
    meta = json.dumps({"precision": precision, "onnx": out.name, "io": onnx_io(onnx_path)})
    script = out.with_name(out.stem + ".build_engine.sh")
    with atomic_write(script, "w") as f:
        f.write(
            "#!/usr/bin/env bash\n"
            "# Build the TensorRT engine on the target device: an engine runs only on the GPU architecture and\n"
            "# TensorRT version that built it, so both go into its file name and the .json beside it, which\n"
            "# edgegan checks before loading. Set GPU_ARCH (e.g. sm_87) if neither PyTorch nor nvidia-smi can tell.\n"
            "set -euo pipefail\n"
            'cd "$(dirname "$0")"\n'
            'ARCH=${GPU_ARCH:-$(python3 -c "import torch; m, n = torch.cuda.get_device_capability(); '
            "print(f'sm_{m}{n}')\" 2>/dev/null || nvidia-smi --query-gpu=compute_cap --format=csv,noheader "
            "2>/dev/null | head -1 | sed 's/[.]//; s/^/sm_/')}\n"
            '[ -n "$ARCH" ] || { echo "set GPU_ARCH, e.g. GPU_ARCH=sm_87 $0" >&2; exit 2; }\n'
            'TRT=$(python3 -c "import tensorrt; print(tensorrt.__version__)")\n'
            f"{cmd}\n"
            f'python3 - "$ARCH" "$TRT" <<\'EOF\'\n'
            "import json, sys\n"
            f"meta = json.loads('{meta}')\n"
            "meta.update(gpu_arch=sys.argv[1], tensorrt=sys.argv[2])\n"
            f"name = '{stem}.' + meta['precision'] + '.' + sys.argv[1] + '.trt' + sys.argv[2]\n"
            "json.dump(meta, open(name + '.json', 'w'), indent=2)\n"
            "print('engine:', name + '.engine')\n"
            "EOF\n"
        )
    script.chmod(0o755)
    info = {
        "compatibility_changes": {k: len(v) for k, v in changes.items()},
        "changes": changes,
        "trtexec": cmd,
        "script": script.name,
        "profile": {"min": [1, 3, size, size], "opt": list(shape), "max": list(max_shape)},
    }
    here = gpu_identity()
    if here is None:
        info["engine"] = None
        info["note"] = (
            f"no TensorRT with a CUDA GPU here: wrote the TensorRT-ready ONNX and {script.name}; run it on the target"
        )
        return info
    arch, version = here
    engine = out.with_name(engine_name(out.stem, arch, version, precision))
    build_engine(
        out,
        engine,
        fp16=fp16 or int8,
        int8=int8,
        shape=shape,
        max_shape=max_shape,
        timing_cache=out.with_name("timing.cache"),
    )
    with atomic_write(engine.with_suffix(".json"), "w") as f:
        json.dump(
            {"gpu_arch": arch, "tensorrt": version, "precision": precision, "onnx": out.name, "io": onnx_io(onnx_path)},
            f,
            indent=2,
        )
    info["engine"] = engine.name
    return info
