#!/usr/bin/env python
"""The webcam app: ``python apps/webcam.py MODEL [MODEL ...] [--source 0|FILE] [--headless --frames N --out FILE]``.

A thin entry script over :func:`edgegan.runtime.live.run_webcam` (the same as ``edgegan webcam``). Hotkeys in
the window: n next model, s side by side, t temporal stabilization, p snapshot, q or Esc quit. The window needs
opencv-python (see the README, "The webcam window"); ``--headless`` works with the default headless OpenCV.

    python apps/webcam.py vintage_edge                       # camera 0, window
    python apps/webcam.py runs/vintage_edge_int8 --backend openvino --source street.avi --headless \\
        --frames 2000 --out webcam.mp4                         # no display: a file as the camera
"""

import sys

from edgegan.cli import main

if __name__ == "__main__":
    sys.exit(main(["webcam", *sys.argv[1:]]))
