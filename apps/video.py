#!/usr/bin/env python
"""Stylize a video file: ``python apps/video.py MODEL IN OUT [--temporal]`` (the same as ``edgegan video``).

Decoding, inference and encoding run overlapped; ``--temporal`` blends each stylized frame with the previous
one warped along the input's optical flow, against flicker.
"""

import sys

from edgegan.cli import main

if __name__ == "__main__":
    sys.exit(main(["video", *sys.argv[1:]]))
