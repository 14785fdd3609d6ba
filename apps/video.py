#!/usr/bin/env python
"""Stylize a video file with the runtime's video pipeline: ``python apps/video.py MODEL IN OUT [--temporal]``.

A thin script over :func:`edgegan.runtime.video.stylize_video` (the library, not the command line): decoding,
inference and encoding run overlapped; ``--temporal`` blends each stylized frame with the previous one warped
along the input's optical flow, against flicker. ``edgegan video`` is the same with every option.
"""

import argparse
import sys

from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.runtime.video import stylize_video


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model", help="name, checkpoint, .onnx/.xml or export/quantize directory")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--size", type=int, help="network resolution, long side (default: the frame's)")
    p.add_argument("--temporal", action="store_true")
    p.add_argument("--backend")
    a = p.parse_args()
    try:
        r = stylize_video(open_model(a.model), a.input, a.output, size=a.size, temporal=a.temporal, backend=a.backend)
    except EdgeganError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {r['output']}: {r['frames']} frames, {r['fps']:.1f} FPS end to end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
