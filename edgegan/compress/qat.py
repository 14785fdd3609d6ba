"""``edgegan quantize --int8 --qat --steps N``: quantization-aware fine-tuning against the teacher.

NNCF inserts trainable fake-quantizers into the PyTorch model (``nncf.quantize`` with a calibration set
sets their initial ranges), the model is fine-tuned with L1 to the teacher's cached outputs (a
``paired_folders`` cache from ``edgegan distill``) with batch-norm statistics frozen, and
``nncf.strip(..., StripFormat.NATIVE)`` turns the quantizers into PyTorch's own fake-quantize ops, which the
TorchScript ONNX exporter writes as standard QuantizeLinear/DequantizeLinear pairs (opset 17; the dynamo
exporter cannot trace NNCF's quantizers, ../shared/design/DEPLOY.md). The result is the same kind of Q/DQ
ONNX file as post-training quantization, checked against the stripped PyTorch model before it is written.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from edgegan.artifact import ModelRef
from edgegan.checkpoint import read_model_config
from edgegan.compress.metrics import write_metrics
from edgegan.compress.quantize import calibration_set
from edgegan.data.folders import PairedFoldersDataset
from edgegan.data.transforms import PairTransform
from edgegan.errors import EdgeganError
from edgegan.export.to_onnx import add_metadata, export_onnx
from edgegan.importers import open_model
from edgegan.io import atomic_dir, check_replaceable, ensure_writable_dir, work_dir, write_json
from edgegan.lineage import write_lineage
from edgegan.metrics.drift import max_abs_diff, psnr
from edgegan.model_io import ModelIO
from edgegan.models import load_model
from edgegan.progress import progress

QAT_OPSET = 17
# ONNX Runtime and PyTorch may round a fake-quantized value to neighbouring INT8 steps, and a flipped step
# propagates: the export is checked by PSNR against the stripped PyTorch model, not by max difference
EXPORT_MIN_PSNR = 40.0


def quantize_aware(
    model: str | os.PathLike | ModelRef,
    out: str | os.PathLike,
    *,
    data: str | None,
    steps: int = 200,
    calib: list[str] | None = None,
    val: list[str] | None = None,
    size: int = 256,
    batch_size: int = 8,
    lr: float = 1e-5,
    teacher: str | None = None,
    threads: int | None = None,
    show_progress: bool = True,
) -> Path:
    """Fine-tune an INT8-quantized copy of checkpoint ``model`` on teacher pairs ``data``; write ``out``."""
    import nncf
    import onnx

    if not data:
        raise EdgeganError("--qat needs teacher pairs: --qat-data DIR (a distillation cache, e.g. RUN/cache)")
    if not Path(data).is_dir():
        raise EdgeganError(f"QAT data folder not found: {data!r}")
    if threads:
        torch.set_num_threads(threads)
    ckpt = open_model(model).require_checkpoint("quantization-aware training")
    cfg = read_model_config(ckpt)
    io = ModelIO.from_dict(cfg["io"], repr(str(ckpt)))
    out = check_replaceable(out)  # before calibration and training, not after them
    ensure_writable_dir(out.parent if str(out.parent) else Path("."))
    dataset = PairedFoldersDataset(data, transform=PairTransform(load_size=size, crop_size=size, flip=False))
    net = load_model(ckpt).eval()
    calib_inputs = [torch.from_numpy(x) for x in calibration_set(calib, size, io.in_channels)]
    t0 = time.perf_counter()
    # The edge students' global gates (mean/std statistics -> 1x1 convolutions) stay in float: they are a
    # few hundred MACs, and NNCF strips the quantizer it unifies across their Concat to its own
    # FakeQuantize op, which only OpenVINO reads.
    ignored = nncf.IgnoredScope(patterns=[".*gate.*"], validate=False)
    qnet = nncf.quantize(net, nncf.Dataset(calib_inputs), subset_size=len(calib_inputs), ignored_scope=ignored)
    qnet.eval()  # frozen batch-norm statistics; the quantizers' scales and the weights still learn
    opt = torch.optim.Adam([p for p in qnet.parameters() if p.requires_grad], lr=lr)
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True, drop_last=True, num_workers=0)
    if len(loader) == 0:
        raise EdgeganError(f"QAT needs at least {batch_size} pairs in {data!r}, found {len(dataset)}")
    losses, it = [], iter(loader)
    for _ in progress(range(steps), desc="QAT", unit="step", disable=not show_progress):
        try:
            batch = next(it)
        except StopIteration:
            it = iter(loader)
            batch = next(it)
        loss = F.l1_loss(qnet(batch["A"]), batch["B"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    example = torch.zeros(1, 3, size, size)
    stripped = nncf.strip(qnet, do_copy=True, strip_format=nncf.StripFormat.NATIVE, example_input=example).eval()
    report = {
        "mode": "int8",
        "method": "qat",
        "steps": steps,
        "lr": lr,
        "batch_size": batch_size,
        "pairs": len(dataset),
        "calibration_samples": len(calib_inputs),
        "l1_first_50": float(np.mean(losses[:50])) if losses else None,
        "l1_last_50": float(np.mean(losses[-50:])) if losses else None,
        "opset": QAT_OPSET,
        "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(),
        "deploy_backend": "openvino",
    }
    with work_dir(out) as tmpdir, atomic_dir(out) as tmp:
        work = Path(tmpdir)
        path = tmp / "model.onnx"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                stripped,
                (example,),
                str(path),
                dynamo=False,
                opset_version=QAT_OPSET,
                input_names=["image"],
                output_names=["stylized"],
                dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}},
            )
        proto = onnx.load(str(path))
        custom = sorted({n.op_type for n in proto.graph.node if n.domain not in ("", "ai.onnx")})
        if custom:
            raise EdgeganError(f"the QAT export holds non-standard ops {custom}; not written")
        add_metadata(proto, cfg, io)
        onnx.checker.check_model(proto)
        onnx.save(proto, str(path))
        diff, db = _check(stripped, path, size)
        if db < EXPORT_MIN_PSNR:
            raise EdgeganError(f"QAT export is {db:.1f} dB from the PyTorch model (< {EXPORT_MIN_PSNR}); not written")
        report["max_abs_diff_vs_torch"], report["psnr_vs_torch"] = diff, db
        report["seconds"] = round(time.perf_counter() - t0, 1)
        write_json(tmp / "quantize.json", report)
        write_lineage(
            tmp,
            parent=ckpt,
            weights=path,
            created_by=f"edgegan quantize --int8 --qat --steps {steps}",
            settings=report,
        )
        float_onnx = work / "float.onnx"
        export_onnx(ckpt, float_onnx)
        write_metrics(
            tmp,
            path,
            float_checkpoint=ckpt,
            parent=float_onnx,
            teacher=teacher,
            photos=val,
            size=size,
            backend="openvino",
            parent_backend="onnxruntime",
            threads=threads,
            extra={"step": "int8-qat"},
        )
    return out


def _check(model: torch.nn.Module, path: Path, size: int) -> tuple[float, float]:
    import onnxruntime as ort

    x = (np.random.default_rng(0).uniform(-1, 1, (1, 3, size, size))).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(x)).numpy()
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"image": x})[0]
    return max_abs_diff(got, ref), min(psnr(got, ref, peak=2.0), 200.0)  # [-1, 1] outputs: peak-to-peak 2
