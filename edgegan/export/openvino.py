"""ONNX -> OpenVINO IR, through OpenVINO's own converter, checked against PyTorch for float models."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from edgegan.artifact import read_io
from edgegan.errors import EdgeganError, library_reason
from edgegan.export.to_onnx import TOLERANCE, check_inputs
from edgegan.model_io import IO_KEY
from edgegan.runtime.backends import OpenVinoBackend, load_backend


def write_openvino(onnx_path: Path, out: Path, check_against, threads: int | None) -> dict:
    """OpenVINO IR (``.xml`` + ``.bin``) of ``onnx_path`` with its ``edgegan.io`` kept in the runtime info; a float
    model is checked against PyTorch (``check_against``: its checkpoint) before the files are put in place."""
    import openvino as ov

    io = read_io(onnx_path, "onnx")
    try:
        m = ov.convert_model(str(onnx_path))
    except Exception as e:  # OpenVINO's frontends raise generic errors; the reason is in the message's later lines
        raise EdgeganError(f"OpenVINO cannot convert {str(onnx_path)!r}: {library_reason(e)}") from None
    m.set_rt_info(json.dumps(io.to_dict()), IO_KEY)
    tmp_xml = out.with_name(f".{out.stem}.tmp.xml")
    ov.save_model(m, str(tmp_xml), compress_to_fp16=False)
    info = {"converter": f"openvino {ov.get_version().split('-')[0]}"}
    try:
        if check_against is not None:
            ref, got = load_backend(check_against), OpenVinoBackend(tmp_xml, threads)  # PyTorch, or ORT for an ONNX
            what = "PyTorch" if ref.name == "torch" else "ONNX Runtime"
            diff = max(float(np.abs(ref.run(x) - got.run(x)).max()) for x in check_inputs(io))
            if not diff <= TOLERANCE:
                raise EdgeganError(f"OpenVINO IR differs from {what} by {diff:.2e} (> {TOLERANCE:g}); not written")
            info["checked_against"], info["max_abs_diff_vs_source"] = what, diff
            if ref.name == "torch":
                info["max_abs_diff_vs_torch"] = diff
        os.replace(tmp_xml.with_suffix(".bin"), out.with_suffix(".bin"))
        os.replace(tmp_xml, out)
    finally:
        for p in (tmp_xml, tmp_xml.with_suffix(".bin")):
            p.unlink(missing_ok=True)
    return info
