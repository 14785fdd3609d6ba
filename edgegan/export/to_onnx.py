"""Checkpoint -> ONNX: one image-in/image-out graph with dynamic batch, height and width.

The graph takes ``image`` (N, 3, H, W) float32 RGB in [-1, 1] and returns ``stylized`` in the same
layout; H and W must be multiples of the model's ``size_multiple`` (stored in the metadata under
``edgegan.io``, which the runtime reads to pad). The export is run through ONNX Runtime and compared
with PyTorch at two shapes before the file is put in place; a mismatch is an error, not a warning.
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from pathlib import Path

import numpy as np
import torch

import edgegan
from edgegan.checkpoint import file_sha256, load_model, read_model_config
from edgegan.errors import EdgeganError
from edgegan.io import atomic_write, write_json

OPSET = 18  # the torch.onnx dynamo exporter's floor; TensorRT >= 8.6 and OpenVINO parse it
TOLERANCE = 1e-4


def _check_shapes(multiple: int) -> list[tuple[int, int, int]]:
    """Two (N, H, W) check shapes, non-square and of different batch, valid for the size multiple."""
    m = max(multiple, 1)
    a, b = -(-64 // m) * m, -(-96 // m) * m
    return [(1, a, b), (2, b, a + m)]


def compare_with_torch(model: torch.nn.Module, onnx_bytes: bytes, shapes, seed: int = 0) -> float:
    """Max abs difference between PyTorch and ONNX Runtime over random inputs of ``shapes`` (N, H, W)."""
    import onnxruntime as ort

    sess = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    rng = np.random.default_rng(seed)
    worst = 0.0
    for n, h, w in shapes:
        x = rng.uniform(-1, 1, (n, 3, h, w)).astype(np.float32)
        with torch.inference_mode():
            ref = model(torch.from_numpy(x)).numpy()
        got = sess.run(None, {name: x})[0]
        if got.shape != ref.shape:
            raise EdgeganError(
                f"exported graph returns shape {got.shape} for input {x.shape}; PyTorch gives {ref.shape}"
            )
        worst = max(worst, float(np.abs(got - ref).max()))
    return worst


def export_onnx(checkpoint: str | os.PathLike, out: str | os.PathLike, opset: int = OPSET) -> dict:
    """Export ``checkpoint`` to ``out`` (.onnx) and write ``<out stem>.export.json``; returns that report."""
    import onnx

    out = Path(out)
    if out.suffix != ".onnx":
        raise EdgeganError(f"ONNX output must end in .onnx, got {str(out)!r}")
    cfg = read_model_config(checkpoint)
    model = load_model(checkpoint)
    multiple = int(cfg["io"].get("size_multiple", 1))
    example = torch.rand(1, 3, 16 * multiple, 16 * multiple) * 2 - 1
    t0 = time.perf_counter()
    # The exporter logs a warning per torchvision op it cannot register; edgegan has no torchvision.
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # exporter deprecation chatter
        program = torch.onnx.export(
            model,
            (example,),
            dynamo=True,
            opset_version=opset,
            input_names=["image"],
            output_names=["stylized"],
            dynamic_shapes={"x": {0: "batch", 2: "height", 3: "width"}},
            external_data=False,
            verbose=False,
        )
    proto = program.model_proto
    for key, value in {
        "edgegan.io": json.dumps(cfg["io"]),
        "edgegan.model": json.dumps(cfg["model"]),
        "edgegan.version": edgegan.__version__,
    }.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "edgegan"
    onnx.checker.check_model(proto)
    data = proto.SerializeToString()
    export_s = time.perf_counter() - t0
    shapes = _check_shapes(multiple)
    diff = compare_with_torch(model, data, shapes)
    if not diff <= TOLERANCE:
        raise EdgeganError(f"exported ONNX differs from PyTorch by {diff:.2e} (> {TOLERANCE:g}); not written")
    with atomic_write(out) as f:
        f.write(data)
    report = {
        "format": "onnx",
        "file": out.name,
        "opset": opset,
        "source": str(checkpoint),
        "source_weights_sha256": file_sha256(Path(checkpoint) / "model.safetensors"),
        "sha256": file_sha256(out),
        "bytes": out.stat().st_size,
        "inputs": {"image": ["batch", 3, "height", "width"]},
        "io": cfg["io"],
        "model": cfg["model"],
        "check": {"shapes_nhw": shapes, "max_abs_diff_vs_torch": diff, "tolerance": TOLERANCE},
        "export_seconds": round(export_s, 2),
        "edgegan_version": edgegan.__version__,
        "torch_version": torch.__version__,
    }
    write_json(out.with_name(out.stem + ".export.json"), report)
    return report
