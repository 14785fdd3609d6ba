"""``edgegan quantize``: an INT8 (NNCF, accuracy-controlled, or QAT) or FP16 model from a float one."""

from __future__ import annotations

from edgegan.cli.options import add_model, add_out, add_size, add_threads, add_val, positive_int, print_metrics
from edgegan.cli.resolve import resolve
from edgegan.compress.qat import quantize_aware
from edgegan.compress.quantize import min_psnr_help, quantize
from edgegan.errors import EdgeganError


def add_arguments(parser) -> None:
    p = parser
    add_model(p, "checkpoint directory, shipped name or float .onnx")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--int8", action="store_true", help="NNCF post-training INT8 (Q/DQ ONNX)")
    kind.add_argument("--fp16", action="store_true", help="float16 weights and arithmetic (GPU / Jetson)")
    add_out(p, help="output directory (model.onnx, metrics.json, lineage.json)")
    p.add_argument("--calib", nargs="+", help="calibration images or .npy inputs (default: the sample photos)")
    add_val(p, help="validation photos for the drift (default: the sample photos)", guard=False)  # no overrides here
    p.add_argument("--min-psnr", type=float, help=min_psnr_help("INT8"))
    p.add_argument("--no-accuracy-control", action="store_true", help="fail instead of keeping layers in float")
    p.add_argument("--teacher", help="also measure drift against this original teacher")
    add_size(p)
    p.add_argument("--qat", action="store_true", help="quantization-aware fine-tuning against the teacher")
    p.add_argument("--steps", type=positive_int, help="QAT steps (default 200)")
    p.add_argument("--qat-data", help="QAT pairs: a distillation cache (paired_folders) of the teacher")
    add_threads(p)


def _check(a) -> None:
    """Options that would be ignored in this combination are refused: the user meant something by them."""
    ptq = {"--min-psnr": a.min_psnr is not None, "--no-accuracy-control": a.no_accuracy_control}
    qat = {"--qat": a.qat, "--steps": a.steps is not None, "--qat-data": a.qat_data}
    int8 = [k for k, v in {"--calib": a.calib, **ptq, **qat}.items() if v]
    if a.fp16 and int8:
        raise EdgeganError(f"{int8[0]} is an INT8 option; it does nothing with --fp16")
    if a.qat and any(ptq.values()):
        raise EdgeganError(f"{next(k for k, v in ptq.items() if v)} is for post-training INT8; --qat does not use it")
    qat_only = [k for k, v in qat.items() if v and k != "--qat"]
    if qat_only and not a.qat:
        raise EdgeganError(f"{qat_only[0]} is for quantization-aware training: add --qat")


def run(a) -> None:
    _check(a)
    if a.qat:
        out = quantize_aware(
            resolve(a.model),
            a.out,
            data=a.qat_data,
            steps=a.steps or 200,
            calib=a.calib,
            val=a.val,
            size=a.size,
            teacher=a.teacher and resolve(a.teacher),
            threads=a.threads,
        )
    else:
        out = quantize(
            a.model,  # quantize checks its options first, then opens the model
            a.out,
            mode="fp16" if a.fp16 else "int8",
            calib=a.calib,
            val=a.val,
            min_psnr=a.min_psnr,
            size=a.size,
            accuracy_control=not a.no_accuracy_control,
            teacher=a.teacher and resolve(a.teacher),
            threads=a.threads,
        )
    print_metrics(out)
