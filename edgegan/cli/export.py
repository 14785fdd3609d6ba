"""``edgegan export``: a checkpoint exported for deployment, optionally for a device profile (``--target``)."""

from __future__ import annotations

from edgegan.cli.options import add_model, add_out, add_size, add_style, add_threads
from edgegan.compress.quantize import min_psnr_help
from edgegan.export.targets import TARGETS
from edgegan.pipelines.deploy import export


def add_arguments(parser) -> None:
    add_model(parser, "checkpoint directory or shipped name")
    # no default here: the library chooses (onnx, or the --target's format) and refuses a contradiction
    parser.add_argument("--format", help="onnx | openvino | tensorrt")
    parser.add_argument("--target", help="a device profile that sets format and precision: x86 | nano | xavier | orin")
    prec = parser.add_mutually_exclusive_group()
    prec.add_argument("--int8", action="store_true", help="NNCF INT8 first (Q/DQ), accuracy-controlled")
    prec.add_argument("--fp16", action="store_true", help="FP16 (TensorRT: built with --fp16 from the float graph)")
    parser.add_argument("--calib", nargs="+", help="calibration images for --int8 (default: the sample photos)")
    parser.add_argument("--min-psnr", type=float, help=min_psnr_help("--int8"))
    add_size(parser, help="calibration/validation and optimal shape")
    parser.add_argument("--strongly-typed", action="store_true", help="TensorRT 10: trtexec --stronglyTyped")
    add_style(parser)
    parser.add_argument(
        "--style-input",
        action="store_true",
        help="a conditional model (magenta_style): every style in one file, "
        "the style a second input (webcam: n cycles styles)",
    )
    add_threads(parser)
    add_out(parser, help=".onnx (onnx, tensorrt) or .xml (openvino)")


def run(a) -> None:
    if a.target in TARGETS:  # before the work; an unknown name or a contradiction is the library's one-line error
        print(f"target {a.target}: {TARGETS[a.target]['note']}")
    r = export(
        a.model,  # export checks the target and the options first, then opens the model (once)
        a.format,
        a.out,
        int8=a.int8,
        fp16=a.fp16,
        calib=a.calib,
        size=a.size,
        min_psnr=a.min_psnr,
        strongly_typed=a.strongly_typed,
        threads=a.threads,
        target=a.target,
        style_input=a.style_input,
        style=a.style,
    )
    parts = [f"wrote {a.out} ({r['format']}, {r['precision']})"]
    if a.style_input:
        parts[0] = parts[0][:-1] + ", the style an input)"
    if "check" in r.get("onnx_export", {}):
        parts.append(f"max |ONNX Runtime - PyTorch| = {r['onnx_export']['check']['max_abs_diff_vs_torch']:.1e}")
    if "openvino" in r and "max_abs_diff_vs_source" in r["openvino"]:
        ov = r["openvino"]
        parts.append(f"max |OpenVINO - {ov['checked_against']}| = {ov['max_abs_diff_vs_source']:.1e}")
    if "metrics" in r:
        parts.append(f"drift vs float {r['metrics']['vs_parent']['psnr_mean']:.2f} dB")
    if "tensorrt" in r:
        t = r["tensorrt"]
        parts.append(f"TensorRT pass: {t['compatibility_changes'] or 'no changes'}")
        parts.append(f"engine {t['engine']}" if t["engine"] else t["note"])
    print("; ".join(parts))
