"""Where a camera-resolution frame's time goes: every stage of ``edgegan video --temporal``, timed alone.

    python benchmarks/pipeline_profile.py vintage_guided --size 1280x720 --json docs/results/pipeline_profile.json

The stages run one after the other on one thread of Python (the network on ``--threads``), on the first
``--frames`` frames of a clip at the target size (the sample set's Big Buck Bunny, centre-cropped and resized, as
``edgegan compress`` makes it): decode, BGR->RGB, the network's input (resize to ``--side``, to float planes), the
network, its output back to uint8, the stabilizer (flow at 320 px, its checks, the full-size warp and blend), its
output carried to the frame size (``--carrier``), RGB->BGR and encode. Each stage's median ms a frame, and their
sum: what one frame costs with nothing overlapped. ``edgegan video`` runs decode, the network and stabilize+encode
in three threads, so on a machine with cores to spare a frame takes about its slowest thread's share; here the
network's own threads take the same cores. Prints a table and saves the figures (JSON) with the machine and its
instruction set.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="?", default="vintage_guided", help="a name, checkpoint, or exported .onnx/.xml")
    ap.add_argument("--size", default="1280x720", help="the camera frame, WIDTHxHEIGHT")
    ap.add_argument("--side", type=int, default=None, help="the network's long side (default: the frame's)")
    ap.add_argument("--carrier", default="bilinear", help="bilinear | detail: how the output returns to the frame")
    ap.add_argument("--backend", default="onnxruntime")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--json", default="outputs/pipeline_profile.json")
    a = ap.parse_args()

    from edgegan.data.samples import video_paths
    from edgegan.importers import open_model
    from edgegan.io import write_json
    from edgegan.machine import describe, machine
    from edgegan.media import VideoWriter, carry, open_capture, resize_long_side, write_camera_clip
    from edgegan.media.images import pad_to_multiple, to_image, to_tensor
    from edgegan.pipelines.deploy import cached_export
    from edgegan.runtime.backends import load_backend
    from edgegan.runtime.stabilize import FlowBlend
    from edgegan.sizes import parse_frame_size

    width, height = parse_frame_size(a.size)
    side = a.side or max(width, height)
    ref = open_model(a.model)
    stages: dict[str, list[float]] = {}

    def timed(name, fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        stages.setdefault(name, []).append((time.perf_counter() - t0) * 1e3)
        return out

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # a checkpoint runs as its float ONNX export (or in PyTorch); an exported file (an INT8 .xml) as it is
        model = (
            cached_export(ref, "onnx", tmp / "model.onnx")
            if ref.kind == "checkpoint" and a.backend != "pytorch"
            else ref
        )
        net = load_backend(model, a.backend, a.threads)
        multiple = max(int(getattr(net, "size_multiple", 1) or 1), 1)
        clip = write_camera_clip(video_paths()["bigbuckbunny.mp4"], tmp / "clip.mp4", (width, height), a.frames + 2)
        cap, _ = open_capture(str(clip))
        writer = VideoWriter(str(tmp / "out.mp4"), 25.0, (width, height))
        blend = FlowBlend()
        n = 0
        while n < a.frames:
            ok, bgr = timed("decode", cap.read)
            if not ok:
                break
            rgb = timed("bgr->rgb", cv2.cvtColor, bgr, cv2.COLOR_BGR2RGB)
            small = timed("resize to the network", resize_long_side, rgb, side) if side != max(width, height) else rgb
            x, hw = timed("to float planes", lambda s: pad_to_multiple(to_tensor(s), multiple), small)
            y = timed("network", net.run, x)
            out = timed("to uint8", lambda y, h, w: to_image(y[:, :, :h, :w]), y, *hw)
            out = timed("stabilize", blend, small, out)
            if out.shape[1::-1] != (width, height):
                out = timed(f"carry to the frame ({a.carrier})", carry, out, small, rgb, a.carrier)
            bgr_out = timed("rgb->bgr", cv2.cvtColor, out, cv2.COLOR_RGB2BGR)
            timed("encode", writer.write, bgr_out)
            n += 1
        cap.release()
        writer.close()
    warm = {k: v[2:] if len(v) > 4 else v for k, v in stages.items()}  # the first frames warm caches and pools
    median = {k: round(float(np.median(v)), 2) for k, v in warm.items()}
    total = round(sum(median.values()), 2)
    result = {
        "model": a.model,
        "frame": [width, height],
        "network_side": side,
        "backend": a.backend,
        "threads": a.threads,
        "carrier": a.carrier,
        "frames": n,
        "stage_ms_median": median,
        "sum_ms": total,
        "machine": machine(),
        "command": f"python benchmarks/pipeline_profile.py {a.model} --size {a.size} --backend {a.backend} "
        f"--threads {a.threads}"
        + (f" --side {a.side}" if a.side else "")
        + (f" --carrier {a.carrier}" if a.carrier != "bilinear" else ""),
    }
    print(describe(result["machine"]))
    for k, v in median.items():
        print(f"  {k:24s} {v:8.2f} ms")
    print(
        f"  {'sum':24s} {total:8.2f} ms  ({1000 / total:.1f} FPS, nothing overlapped; network on {a.threads} threads)"
    )
    write_json(a.json, result)
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
