"""``edgegan quantize``: INT8 (NNCF post-training, accuracy-controlled) and FP16, on ONNX.

INT8 path (the one DEPLOY.md measured to work end to end): export the float model to ONNX, then
``nncf.quantize`` on the ONNX graph with a calibration set. The result is a standard Q/DQ ONNX file (INT8
weights, 4x smaller) that OpenVINO runs with real INT8 kernels and that the TensorRT pass of the export
step can rewrite. Quality is controlled, not hoped for: the INT8 model runs *on OpenVINO* (the kernels that
will be deployed, not float fake-quant) on validation photos and is compared with the float model; if its
PSNR is below ``min_psnr``, ``nncf.quantize_with_accuracy_control`` reverts the most sensitive operations
to float until the mean squared error is within the bound (mean PSNR >= min_psnr follows: the mean of the
per-image PSNRs is at least the PSNR of the mean error).

FP16: every float tensor converted to float16 with float32 inputs and outputs
(``onnxruntime.transformers.float16``); half the file, for GPUs and Jetson (a CPU computes in FP32).

Output directory: ``model.onnx``, ``quantize.json`` (settings, what stayed in float, timings),
``metrics.json`` (:mod:`edgegan.compress.metrics`) and ``lineage.json``.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from edgegan.artifact import ModelRef, load_onnx, read_io
from edgegan.compress.cache import random_view
from edgegan.compress.metrics import write_metrics
from edgegan.data.samples import photo_paths, validation_images
from edgegan.errors import EdgeganError
from edgegan.export.to_onnx import export_onnx
from edgegan.importers import open_model
from edgegan.io import atomic_dir, check_replaceable, ensure_writable_dir, work_dir, write_json
from edgegan.lineage import write_lineage
from edgegan.media import IMAGE_SUFFIXES, collect_inputs, load_image, to_tensor
from edgegan.model_io import ModelIO
from edgegan.models import MODELS, load_model
from edgegan.runtime.backends import OpenVinoBackend

MIN_PSNR_INT8 = 32.0  # dB against the float parent, the compression issue's bar; an architecture may set its own


def default_min_psnr(model: str | os.PathLike | ModelRef) -> float:
    """The INT8 bound (dB against float) ``model`` is quantized with when none is given: its architecture's own
    (registry meta ``int8_min_psnr``), read from the float checkpoint it comes from, so a shipped name, its
    checkpoint directory and an ONNX exported from it all get the same bound; else :data:`MIN_PSNR_INT8`."""
    source = open_model(model).source_checkpoint()
    name = source.config["model"]["name"] if source is not None else None
    return float(MODELS.get(name).meta.get("int8_min_psnr", MIN_PSNR_INT8)) if name in MODELS else MIN_PSNR_INT8


def min_psnr_help(what: str) -> str:
    """The ``--min-psnr`` help line, from the owners of the bounds (this module's default and the registry)."""
    own = {n: MODELS.get(n).meta["int8_min_psnr"] for n in MODELS.names() if "int8_min_psnr" in MODELS.get(n).meta}
    own = {n: v for n, v in own.items() if not n.startswith("test_")}
    arch = "; ".join(f"{n} networks {v:g}" for n, v in sorted(own.items()))
    return f"{what} bound vs the float model, dB (default {MIN_PSNR_INT8:g}; {arch})"


CALIB_MIN = 64  # calibration samples: crops are added when there are fewer images


def calibration_set(
    calib: list[str] | None, size: int, in_channels: int = 3, count: int = CALIB_MIN, seed: int = 0
) -> list[np.ndarray]:
    """Network inputs (1, C, size, size) float32 in [-1, 1] from images (or ``.npy`` arrays) in ``calib``.

    Default: the bundled sample photos. Each image gives its centre square; random crops at other scales
    are added until there are ``count`` samples. Every file is checked before any work starts."""

    arrays: list[np.ndarray] = []
    images: list[np.ndarray] = []
    if calib:
        for item in calib:
            p = Path(item)
            if not p.exists():
                raise EdgeganError(f"calibration folder not found: {item!r}")
            if p.is_dir():
                files = sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith("."))
                if not files:
                    raise EdgeganError(f"calibration folder {item!r} is empty")
            else:
                files = [p]
            for q in files:
                if q.suffix.lower() == ".npy":
                    a = np.load(q, allow_pickle=False)
                    a = a[None] if a.ndim == 3 else a
                    if a.ndim != 4 or a.shape[1] != in_channels:
                        raise EdgeganError(
                            f"{str(q)!r}: calibration array of shape {a.shape}; the model takes "
                            f"(N, {in_channels}, H, W)"
                        )
                    arrays += [x[None].astype(np.float32) for x in a]
                elif q.suffix.lower() in IMAGE_SUFFIXES:
                    collect_inputs([str(q)])  # one-line error for a corrupt image
                    images.append(np.asarray(load_image(q)))
                else:
                    raise EdgeganError(f"not an image or .npy array in the calibration set: {str(q)!r}")
    else:
        images = [np.asarray(load_image(p)) for p in photo_paths().values()]
    if images and in_channels != 3:
        raise EdgeganError(
            f"calibration images are RGB (3 channels) but the model takes {in_channels}: "
            "give .npy arrays of its input instead"
        )
    out = list(arrays)
    rng = np.random.default_rng(seed)
    out += [to_tensor(random_view(im, size, rng, whole=True)) for im in images]
    k = 0
    while images and len(out) < count:
        out.append(to_tensor(random_view(images[k % len(images)], size, rng)))
        k += 1
    if not out:
        raise EdgeganError("the calibration set is empty")
    return out


def _float_onnx(
    ref: ModelRef, work: Path, style_input: bool = False, style: int | None = None
) -> tuple[Path, torch.nn.Module | None]:
    """(float ONNX path, the float network or None) for a checkpoint or an .onnx file: the network is built once,
    for the export and for the parameter and MAC counts."""
    if ref.kind == "onnx":
        return ref.path, None
    ckpt = ref.require_checkpoint("quantization")
    network = load_model(ckpt, config=ref.config)
    onnx_path = work / "float.onnx"
    export_onnx(ref, onnx_path, style_input=style_input, style=style, network=network)
    return onnx_path, network


class _OpenVinoRunner:
    """Runs an in-memory ONNX model on OpenVINO's CPU plugin (real INT8 kernels for Q/DQ graphs)."""

    def __init__(self, work: Path, threads: int | None):
        self.work, self.threads = work, threads

    def outputs(self, model, inputs: list[np.ndarray], styles: list | None = None) -> list[np.ndarray]:
        """``model`` on each input (with its style, for a graph that takes the style as an input)."""
        import onnx

        path = self.work / "candidate.onnx"
        onnx.save(model, str(path))
        be = OpenVinoBackend(path, threads=self.threads)
        outs = []
        for i, x in enumerate(inputs):
            if styles:
                be.set_style(styles[i])
            outs.append(be.run(x))
        return outs


def float_nodes(model) -> list[str]:
    """Convolutions and matrix products of a Q/DQ graph whose weights are not INT8 (left in float)."""
    producer = {o: n.op_type for n in model.graph.node for o in n.output}
    return [
        n.name
        for n in model.graph.node
        if n.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and producer.get(n.input[1]) != "DequantizeLinear"
    ]


def _mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(((a - b) / 2.0) ** 2))  # [-1, 1] -> [0, 1] scale, as PSNR uses


def check_min_psnr(value: float) -> None:
    """The INT8 accuracy bound, refused in one line when it is not a PSNR (callers check before their work)."""
    if not 0 < value < 100:
        raise EdgeganError(f"--min-psnr is a PSNR bound in dB, between 0 and 100, got {value:g}")


@dataclass
class Quantized:
    """What :func:`quantize_model` wrote: the directory, and its ``quantize.json`` and ``metrics.json`` as dicts."""

    path: Path
    report: dict
    metrics: dict


def quantize(model: str | os.PathLike | ModelRef, out: str | os.PathLike, **options) -> Path:
    """Quantize ``model`` into directory ``out``; returns it (:func:`quantize_model` for the options and for the
    report without reading it back)."""
    return quantize_model(model, out, **options).path


def quantize_model(
    model: str | os.PathLike | ModelRef,
    out: str | os.PathLike,
    *,
    mode: str = "int8",
    calib: list[str] | None = None,
    val: list[str] | None = None,
    min_psnr: float | None = None,
    size: int = 256,
    accuracy_control: bool = True,
    teacher: str | None = None,
    threads: int | None = None,
    style_input: bool = False,
    style: int | None = None,
) -> Quantized:
    """Quantize ``model`` (checkpoint, shipped name or float .onnx) into directory ``out``.
    ``min_psnr`` None: :func:`default_min_psnr`, the model's architecture's own INT8 bound or 32 dB.
    ``style_input``: a conditional checkpoint is exported with its style as an input (every style in one file);
    INT8 calibrates on every style in turn and accuracy control validates every style against float. ``style``:
    a conditional checkpoint quantized at that style (calibrated for it alone)."""
    import onnx

    if min_psnr is not None:  # every option is checked before the model is opened (a teacher would be converted)
        check_min_psnr(min_psnr)
    if mode not in ("int8", "fp16"):
        raise EdgeganError(f"unknown quantization mode {mode!r}; choose int8 or fp16")
    if size < 16 or size % 16:
        raise EdgeganError(f"--size must be a multiple of 16, got {size}")
    ref = open_model(model)
    if min_psnr is None:
        min_psnr = default_min_psnr(ref)
    out = check_replaceable(out)
    ensure_writable_dir(out.parent if out.parent != Path("") else Path("."))
    ref.io.require_image(str(model), "; quantize image-to-image generators")
    if ref.io.fixed_size and ref.io.fixed_size != size:  # a network that takes one size only
        size = ref.io.fixed_size
    # the calibration set is read before any export: a bad one is refused in a second, not after the model's work
    calib_inputs = calibration_set(calib, size, ref.io.in_channels) if mode == "int8" else None
    report: dict = {"mode": mode, "size": size, "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat()}
    with work_dir(out) as tmpdir, atomic_dir(out) as tmp:
        work = Path(tmpdir)
        float_path, float_network = _float_onnx(ref, work, style_input, style)
        io = read_io(float_path, "onnx")  # the exported graph's: with its style input, if it has one
        float_model = load_onnx(float_path)
        t0 = time.perf_counter()
        if mode == "fp16":
            from onnxruntime.transformers.float16 import convert_float_to_float16

            q = convert_float_to_float16(float_model, keep_io_types=True)
            deploy_backend = "onnxruntime"
        else:
            q, info = _int8(float_model, work, calib_inputs, val, min_psnr, size, io, accuracy_control, threads)
            report.update(info)
            deploy_backend = "openvino"
        report["seconds"] = round(time.perf_counter() - t0, 1)
        onnx.save(q, str(tmp / "model.onnx"))
        report["deploy_backend"] = deploy_backend
        write_json(tmp / "quantize.json", report)
        write_lineage(
            tmp,
            parent=ref.path,
            parent_sha256=ref.sha256,
            weights=tmp / "model.onnx",
            created_by=f"edgegan quantize --{mode}",
            settings={k: v for k, v in report.items() if k not in ("created_at",)},
        )
        # the parent's float ONNX is measured on ONNX Runtime, the quantized model on its deployment backend
        metrics = write_metrics(
            tmp,
            tmp / "model.onnx",
            float_checkpoint=float_network,
            parent=float_path,
            teacher=teacher,
            photos=val,
            size=size,
            backend=deploy_backend,
            parent_backend="onnxruntime",
            threads=threads,
            extra={"step": mode},
        )
    return Quantized(out, report, metrics)


def _int8(
    float_model,
    work: Path,
    calib_inputs: list[np.ndarray],
    val,
    min_psnr: float,
    size: int,
    io: ModelIO,
    accuracy_control: bool,
    threads: int | None,
):
    import nncf

    logging.getLogger("nncf").setLevel(logging.WARNING)
    val_inputs = [to_tensor(im) for im in validation_images(val, size)]
    input_name = float_model.graph.input[0].name
    spec = io.style_input
    if spec:  # every style in turn: calibration covers them all, validation checks each at least once
        n = io.n_styles
        onehot = np.eye(n, dtype=np.float32)
        calib_styles = [onehot[k % n] for k in range(max(len(calib_inputs), n))]
        calib_inputs = [calib_inputs[k % len(calib_inputs)] for k in range(len(calib_styles))]
        val_styles = [onehot[k % n] for k in range(max(len(val_inputs), n))]
        val_inputs = [val_inputs[k % len(val_inputs)] for k in range(len(val_styles))]
        calib_ds = nncf.Dataset(list(zip(calib_inputs, calib_styles, strict=True)),
                                lambda item: {input_name: item[0], spec["name"]: item[1]})  # fmt: skip
    else:
        val_styles = None
        calib_ds = nncf.Dataset(calib_inputs, lambda x: {input_name: x})
    # validation items carry their index: NNCF validates subsets and single items, each against its reference
    val_items = list(enumerate(val_inputs))
    val_ds = nncf.Dataset(
        val_items,
        (lambda item: {input_name: item[1], spec["name"]: val_styles[item[0]]}) if spec
        else (lambda item: {input_name: item[1]}),
    )  # fmt: skip
    runner = _OpenVinoRunner(work, threads)
    reference = runner.outputs(float_model, val_inputs, val_styles)
    max_mse = 10 ** (-min_psnr / 10)

    def validate(model, data) -> tuple[float, list[float]]:
        # NNCF maximizes the metric and bounds its drop: the metric is 1 - MSE against the float outputs
        # (1 for the float model; NNCF also computes a relative drop, so it must not be 0), the bound the
        # MSE of ``min_psnr``
        items = list(data)  # NNCF passes the raw items: (index, input array)
        outs = runner.outputs(model, [x for _, x in items], [val_styles[i] for i, _ in items] if spec else None)
        per = [1.0 - _mse(o, reference[i]) for o, (i, _) in zip(outs, items, strict=True)]
        return float(np.mean(per)), per

    # a style-input graph mixes the per-style norm tables with a MatMul: kept in float (26 numbers per channel);
    # a model whose io names ``int8_ops`` has only those op types quantized
    float_types = {"MatMul", "Gemm"} if spec else set()
    if io.int8_ops:
        float_types |= {n.op_type for n in float_model.graph.node} - set(io.int8_ops)
    ignored = {"ignored_scope": nncf.IgnoredScope(types=sorted(float_types), validate=False)} if float_types else {}
    q = nncf.quantize(float_model, calib_ds, subset_size=len(calib_inputs), **ignored)
    ptq_mse = 1.0 - validate(q, val_items)[0]
    info = {
        "calibration_samples": len(calib_inputs),
        "validation_images": len(val_inputs),
        **({"style_input": {"n_styles": n, "calibrated_styles": "all"}} if spec else {}),
        "min_psnr": min_psnr,
        "ptq_psnr_of_mean_mse": round(10 * np.log10(1 / max(ptq_mse, 1e-20)), 2),
        "accuracy_control": False,
        "float_nodes": [],
    }
    if ptq_mse > max_mse:
        if not accuracy_control:
            raise EdgeganError(
                f"INT8 drift {info['ptq_psnr_of_mean_mse']:.1f} dB is below --min-psnr {min_psnr} and accuracy "
                "control is off"
            )
        q = nncf.quantize_with_accuracy_control(
            float_model, calib_ds, val_ds, validate, max_drop=max_mse, subset_size=len(calib_inputs), **ignored
        )
        info["accuracy_control"] = True
    info["float_nodes"] = float_nodes(q)
    import onnx

    onnx.save(q, str(work / "final.onnx"))

    info["openvino_convolutions"] = OpenVinoBackend(work / "final.onnx", threads).kernel_precisions((1, 3, size, size))
    final_mse = 1.0 - validate(q, val_items)[0]
    info["psnr_of_mean_mse"] = round(10 * np.log10(1 / max(final_mse, 1e-20)), 2)
    return q, info
