"""Checkpoint -> ONNX: one image-in/image-out graph with dynamic batch, height and width.

The graph takes ``image`` (N, 3, H, W) float32 RGB in [-1, 1] and returns ``stylized`` in the same
layout; H and W must be multiples of the model's ``size_multiple`` (stored in the metadata under
``edgegan.io``, which the runtime reads to pad). The export is run through ONNX Runtime and compared
with PyTorch at two shapes before the file is put in place; a mismatch is an error, not a warning.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
import warnings
from pathlib import Path

import numpy as np
import torch

import edgegan
from edgegan.artifact import ModelRef
from edgegan.checkpoint import file_sha256
from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import atomic_write, write_json
from edgegan.model_io import IO_KEY, ModelIO
from edgegan.models import exportable, io_spec, load_model

OPSET = 18  # the torch.onnx dynamo exporter's floor; TensorRT >= 8.6 and OpenVINO parse it
TOLERANCE = 1e-4
STYLE_INPUT = "style"  # the second input of a graph exported with the style as an input


def check_inputs(io: ModelIO, seed: int = 0) -> list[np.ndarray]:
    """Two random inputs the export is checked on: different batch sizes and, where the graph allows,
    different non-square sizes (valid for the size multiple)."""
    rng = np.random.default_rng(seed)
    if io.input == "latent":
        return [rng.standard_normal((n, io.latent_dim)).astype(np.float32) for n in (1, 3)]
    c = io.in_channels
    if io.fixed_size:
        s = io.fixed_size
        return [rng.uniform(-1, 1, (n, c, s, s)).astype(np.float32) for n in (1, 2)]
    m = io.size_multiple
    a, b = -(-64 // m) * m, -(-96 // m) * m
    return [rng.uniform(-1, 1, shape).astype(np.float32) for shape in ((1, c, a, b), (2, c, b, a + m))]


def style_input_spec(model: torch.nn.Module) -> dict:
    """The ``style_input`` entry of an exported graph's io: the second input's name, how many styles the
    mixture weights cover, and the model's own style (what runtimes feed until told otherwise)."""
    if not hasattr(model, "set_style") or not hasattr(model, "n_styles"):
        raise EdgeganError("--style and --style-input are for conditional models (magenta_style); this has one style")
    return {"name": STYLE_INPUT, "n_styles": int(model.n_styles), "default": [float(v) for v in model.style.tolist()]}


def style_checks(inputs: list[np.ndarray], n_styles: int, seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(inputs, styles) a style-input graph is checked on: every one-hot style on the first (small) input, then a
    random mixture on the second."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(0, 1, n_styles).astype(np.float32)
    styles = [np.eye(n_styles, dtype=np.float32)[k] for k in range(n_styles)] + [w / w.sum()]
    return [inputs[0]] * n_styles + [inputs[-1]], styles


def compare_with_torch(
    model: torch.nn.Module, onnx_bytes: bytes, inputs: list[np.ndarray], styles: list[np.ndarray] | None = None
) -> float:
    """Max abs difference between PyTorch and ONNX Runtime over ``inputs`` (each with its style, for a graph
    that takes the style as an input)."""
    import onnxruntime as ort

    sess = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    worst = 0.0
    for i, x in enumerate(inputs):
        feed, extra = {name: x}, ()
        if styles:
            feed[STYLE_INPUT], extra = styles[i], (torch.from_numpy(styles[i]),)
        with torch.inference_mode():
            ref = model(torch.from_numpy(x), *extra).numpy()
        got = sess.run(None, feed)[0]
        if got.shape != ref.shape:
            raise EdgeganError(
                f"exported graph returns shape {got.shape} for input {x.shape}; PyTorch gives {ref.shape}"
            )
        worst = max(worst, float(np.abs(got - ref).max()))
    return worst


def _trace_example(io: ModelIO, first: np.ndarray) -> torch.Tensor:
    """The input the graph is traced with. Every dynamic size must be at least 2 in every layer: a size of 1
    (a U-Net-256 bottleneck at 256x256, a batch of 1) would be specialized into the graph as a constant."""
    x = torch.from_numpy(first)
    if io.input == "image" and not io.fixed_size:
        m = io.size_multiple
        h, w = max(x.shape[2], 2 * m), max(x.shape[3], 3 * m)
        x = torch.rand(2, x.shape[1], h, w) * 2 - 1
    else:
        x = torch.cat([x, x]) if x.shape[0] == 1 else x
    return x


def _dynamic_shapes(io: ModelIO, arg_name: str) -> dict:
    from torch.export import Dim

    dims = {0: Dim("batch", min=1, max=1024)}
    if io.input == "image" and not io.fixed_size:
        m = io.size_multiple
        # H = m * k tells the exporter what the network's stride-2 stages require.
        if m > 1:
            dims[2], dims[3] = m * Dim("h_blocks", min=1, max=8192 // m), m * Dim("w_blocks", min=1, max=8192 // m)
        else:
            dims[2], dims[3] = Dim("height", min=2, max=8192), Dim("width", min=2, max=8192)
    return {arg_name: dims}


def add_metadata(proto, cfg: dict, io: ModelIO) -> None:
    """Stamp an ONNX model with what the runtime needs to feed it (``edgegan.io``) and what it is."""
    for key, value in {
        IO_KEY: json.dumps(io.to_dict()),
        "edgegan.model": json.dumps(cfg["model"]),
        "edgegan.version": edgegan.__version__,
    }.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "edgegan"


def export_onnx(
    checkpoint: str | os.PathLike | ModelRef,
    out: str | os.PathLike,
    opset: int = OPSET,
    style_input: bool = False,
    style: int | None = None,
    network: torch.nn.Module | None = None,
) -> dict:
    """Export ``checkpoint`` to ``out`` (.onnx) and write ``<out stem>.export.json``; returns that report.

    ``style_input``: a conditional model's style becomes the graph's second input, ``style`` (``n_styles``
    float32 mixture weights), so one file runs every style; the io metadata's ``style_input`` says so. ``style``:
    export a conditional model at this style instead of its own (the metadata's model arguments say which).
    ``network``: the checkpoint's network when the caller has built it already (``load_model``); it is not built
    again, and it is left at ``style`` when one is given."""
    import inspect

    import onnx

    out = Path(out)
    if out.suffix != ".onnx":
        raise EdgeganError(f"ONNX output must end in .onnx, got {str(out)!r}")

    ref = open_model(checkpoint)
    checkpoint = ref.require_checkpoint("ONNX export")
    cfg = ref.config
    io = ref.io
    ops = io_spec(cfg["model"]["name"], cfg["model"].get("args") or {}).int8_ops
    if ops:  # the architecture's, also for a checkpoint saved before the registry named them
        io = dataclasses.replace(io, int8_ops=ops)
    model = exportable(network if network is not None else load_model(checkpoint, config=cfg)).eval()
    if style is not None:
        style_input_spec(model)  # a one-line error for a model with one style
        model.set_style(style)
        cfg = dict(cfg, model=dict(cfg["model"], args=dict(cfg["model"].get("args") or {}, style=style)))
    inputs = check_inputs(io)
    styles = None
    if style_input:
        io = dataclasses.replace(io, style_input=style_input_spec(model))
        inputs, styles = style_checks(inputs, io.n_styles)
    arg_name, *other_args = inspect.signature(model.forward).parameters  # the image, then (conditional) the style
    in_name = "latent" if io.input == "latent" else "image"
    t0 = time.perf_counter()
    # The exporter logs a warning per torchvision op it cannot register; edgegan has no torchvision.
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # exporter deprecation chatter
        try:
            example = (_trace_example(io, inputs[0]),)
            dynamic = _dynamic_shapes(io, arg_name)
            names = [in_name]
            if styles:
                example += (torch.from_numpy(styles[-1]),)
                dynamic = {arg_name: dynamic[arg_name], other_args[0]: None}  # n_styles: static
                names.append(STYLE_INPUT)
            program = torch.onnx.export(
                model,
                example,
                dynamo=True,
                opset_version=opset,
                input_names=names,
                output_names=["stylized" if in_name == "image" else "image"],
                dynamic_shapes=dynamic,
                external_data=False,
                verbose=False,
            )
        except Exception as e:  # the exporter's own error types vary by version
            raise EdgeganError(f"ONNX export of {str(checkpoint)!r} failed: {str(e).splitlines()[0]}") from e
    proto = program.model_proto
    add_metadata(proto, cfg, io)
    onnx.checker.check_model(proto)
    data = proto.SerializeToString()
    export_s = time.perf_counter() - t0
    diff = compare_with_torch(model, data, inputs, styles)
    if not diff <= TOLERANCE:
        raise EdgeganError(f"exported ONNX differs from PyTorch by {diff:.2e} (> {TOLERANCE:g}); not written")
    with atomic_write(out) as f:
        f.write(data)
    report = {
        "format": "onnx",
        "file": out.name,
        "opset": opset,
        "source": str(checkpoint),
        "source_weights_sha256": ref.sha256,
        "sha256": file_sha256(out),
        "bytes": out.stat().st_size,
        "input": {"name": in_name, "check_shapes": [list(x.shape) for x in inputs]},
        **({"style_input": io.style_input} if styles else {}),
        "io": io.to_dict(),
        "model": cfg["model"],
        "check": {"shapes": [list(x.shape) for x in inputs], "max_abs_diff_vs_torch": diff, "tolerance": TOLERANCE},
        "export_seconds": round(export_s, 2),
        "edgegan_version": edgegan.__version__,
        "torch_version": torch.__version__,
    }
    write_json(out.with_name(out.stem + ".export.json"), report)
    return report
