"""``edgegan webcam``: live restyling of a camera (or a video file), in a window or ``--headless``."""

from __future__ import annotations

from edgegan.cli.options import (
    add_carrier,
    add_out,
    add_runtime,
    add_style,
    blend_weight,
    output_file,
    output_folder,
    positive_int,
)
from edgegan.cli.resolve import prepare
from edgegan.io import write_json
from edgegan.machine import machine
from edgegan.runtime.live import run_webcam


def add_arguments(parser) -> None:
    p = parser
    p.add_argument("models", nargs="+", help="models; hotkey m: next model, n: next style")
    p.add_argument("--source", default="0", help="camera index (default 0) or a video file (loops)")
    add_runtime(
        p,
        size_default=None,
        size_help="network resolution, long side (default: the frame's own resolution)",
        backend="torch | onnxruntime | openvino | ... (default: by the model's file)",
    )
    add_carrier(p)
    add_style(p)
    p.add_argument("--temporal", action="store_true", help="start with flow-guided blending on (hotkey t)")
    p.add_argument("--alpha", type=blend_weight, default=0.8, help="temporal blending weight")
    p.add_argument("--side-by-side", action="store_true", help="start side by side (hotkey s)")
    p.add_argument("--headless", action="store_true", help="no window: for servers, CI and tests")
    p.add_argument("--frames", type=positive_int, help="stop after this many frames")
    add_out(p, help="record the stylized frames to this video file", required=False)
    p.add_argument("--realtime", action="store_true", help="pace a video file at its frame rate, dropping frames")
    p.add_argument("--snapshots", type=output_folder, help="folder for snapshots (hotkey p; default: ./snapshots)")
    p.add_argument("--json", type=output_file, help="write the run's figures here")


def run(a) -> None:
    r = run_webcam(
        prepare(a.models), a.source,
        size=a.size, backend=a.backend, threads=a.threads, temporal=a.temporal, alpha=a.alpha,
        headless=a.headless, frames=a.frames, out=a.out, realtime=a.realtime, side_by_side=a.side_by_side,
        snapshots=a.snapshots or "snapshots", style=a.style, carrier=a.carrier,
    )  # fmt: skip
    mem = r["rss_mb"]
    memory = (
        f"; memory {mem[0][1]:.0f} MB at frame {mem[0][0]} -> {mem[-1][1]:.0f} MB at frame {mem[-1][0]}" if mem else ""
    )
    print(
        f"{r['frames']} frames in {r['seconds']:.1f} s: {r['fps']:.1f} FPS, network {r['network_ms_median']:.1f} ms "
        f"(median), {r['dropped_frames']} dropped{memory}" + (f"; wrote {r['output']}" if r["output"] else "")
    )
    if a.json:
        write_json(a.json, dict(r, machine=machine()))
