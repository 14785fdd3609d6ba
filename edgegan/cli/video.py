"""``edgegan video``: a video file restyled (decode, infer, encode overlapped), optionally stabilized."""

from __future__ import annotations

from edgegan.cli.options import (
    add_backend,
    add_carrier,
    add_model,
    add_size,
    add_style,
    add_threads,
    blend_weight,
    output_file,
    positive_int,
)
from edgegan.cli.resolve import resolve
from edgegan.io import write_json
from edgegan.machine import machine
from edgegan.runtime.video import stylize_video


def add_arguments(parser) -> None:
    p = parser
    add_model(p, "name, checkpoint, .onnx/.xml or export/quantize directory")
    p.add_argument("input", help="video file")
    p.add_argument("output", help="output video (.mp4, .avi, .mov, .mkv); written atomically")
    add_size(p, None, help="network resolution, long side (default: the frame's own resolution)")
    add_carrier(p)
    add_style(p)
    p.add_argument("--temporal", action="store_true", help="flow-guided blending against flicker")
    p.add_argument("--alpha", type=blend_weight, default=0.8, help="weight of the warped previous frame (--temporal)")
    add_backend(p, "torch | onnxruntime | openvino | ... (default: by the model's file)")
    add_threads(p)
    p.add_argument("--frames", type=positive_int, help="stop after this many frames")
    p.add_argument("--network-size", action="store_true", help="write frames at the network's size, not the input's")
    p.add_argument("--json", type=output_file, help="write the run's figures here")


def run(a) -> None:
    r = stylize_video(
        resolve(a.model), a.input, a.output, size=a.size, temporal=a.temporal, alpha=a.alpha, backend=a.backend,
        threads=a.threads, limit=a.frames, keep_size=not a.network_size, style=a.style,
        carrier=a.carrier,
    )  # fmt: skip
    print(
        f"wrote {a.output}: {r['frames']} frames {r['output_size'][0]}x{r['output_size'][1]} "
        f"at {r['video_fps']:g} fps; "
        f"network {r['network_size'][0]}x{r['network_size'][1]}, {r['network_ms_median']:.1f} ms/frame; "
        f"end to end {r['fps']:.1f} FPS"
        + (f", temporal alpha {r['alpha']}" if r["temporal"] else "")
        + (", detail carrier" if r["carrier"] == "detail" else "")
    )
    if a.json:
        write_json(a.json, dict(r, machine=machine()))
