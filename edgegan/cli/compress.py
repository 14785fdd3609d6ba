"""``edgegan compress``: a model brought to a frame-rate budget on this machine, each lever chosen by measurement."""

from __future__ import annotations

import argparse

from edgegan.cli.options import add_model, add_out, frame_size
from edgegan.pipelines.budget import compress_to_budget


def _positive(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return v


def add_arguments(parser) -> None:
    add_model(parser, "checkpoint directory or shipped name (an image-to-image generator)")
    parser.add_argument("--fps", type=_positive, required=True, help="the frame rate to reach, end to end")
    parser.add_argument("--size", type=frame_size, default=(1280, 720), help="camera frames, WxH (default 1280x720)")
    parser.add_argument("--photos", nargs="+", help="photos to measure fidelity on (default: the sample photos)")
    parser.add_argument("--video", help="the clip end-to-end rates are measured on (default: a sample clip at --size)")
    parser.add_argument("--min-psnr", type=_positive, help="the least fidelity to the float network, dB (mean)")
    parser.add_argument(
        "--min-worst", type=_positive, help="the least fidelity of the worst photo to the float network, dB"
    )
    parser.add_argument(
        "--minutes",
        type=_positive,
        help="the most this run may take (checked between steps, so it ends at most one step later; the same "
        "command with more minutes resumes)",
    )
    parser.add_argument(
        "--student",
        action="append",
        metavar="MODEL",
        help="a distilled student of MODEL to measure beside it, against MODEL (repeatable; students shipped with "
        "edgegan whose lineage names MODEL's weights are measured anyway)",
    )
    add_out(parser, help="directory: model.xml/.onnx (chosen), compress.json, report.md, pareto.png, work/")


def run(a) -> None:
    r = compress_to_budget(
        a.model,
        a.out,
        fps=a.fps,
        size=a.size,
        photos=a.photos,
        video=a.video,
        min_psnr=a.min_psnr,
        minutes=a.minutes,
        students=a.student,
        min_worst=a.min_worst,
    )
    c = r["chosen"]
    print(
        f"chosen {c['key']}: {c['e2e_fps']:.1f} FPS end to end, {c['psnr_mean']:.2f} dB mean "
        f"({c['psnr_worst']:.2f} worst) to {r['model']}'s float network; every candidate: {a.out}/compress.json"
    )
    print(f"run it: {c['run']}")
