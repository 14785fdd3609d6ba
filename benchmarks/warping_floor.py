"""The warping error's floor for a textured style: what a video that is temporally consistent *by construction*
scores, next to the real input video (the denominator of the "at most 1x the input's" bar).

    python benchmarks/warping_floor.py --video data/heldout_video/vtest.avi --model magenta_style_19 \
        --json docs/results/warping_floor.json

The first frame (the input's, and the model's output of it) is carried along an optical flow of the input frames
that the metric does not use (Farneback; the metric uses DIS), frame after frame, with bicubic warping: no flicker
at all, only the metric's own flow error. Scored by :class:`edgegan.metrics.temporal.WarpingError` at --size px on
the long side, as ``benchmarks/realtime.py`` scores its videos. A style whose texture is finer than the input's
(brush strokes) is charged more for the same flow error, so its consistent video scores above the photo's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--video", required=True)
    ap.add_argument("--model", default="magenta_style_19", help="a model, name or exported file (INT8 if a name)")
    ap.add_argument("--camera", default="640x480", help="the video is centre-cropped and resized to this first")
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="outputs/warping_floor")
    ap.add_argument("--json", default="outputs/warping_floor/warping_floor.json")
    a = ap.parse_args()

    import cv2

    from edgegan.evaluation.bench import machine
    from edgegan.flow import warp_with_flow
    from edgegan.io import write_json
    from edgegan.media import read_frames, resize_long_side, write_camera_clip
    from edgegan.metrics.temporal import WarpingError
    from edgegan.runtime.stylizer import Stylizer

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    w, h = (int(v) for v in a.camera.split("x"))
    clip = write_camera_clip(a.video, work / f"camera_{w}x{h}.mp4", (w, h), a.frames)
    frames = read_frames(str(clip), limit=a.frames)
    model = a.model
    if Path(model).suffix not in (".xml", ".onnx", ".engine"):
        from edgegan.pipelines.deploy import int8_openvino

        model = str(int8_openvino(model, work, threads=a.threads))
    styled0 = Stylizer.open(model, threads=a.threads)(frames[0])
    small = [resize_long_side(f, a.size) for f in frames]
    grays = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in small]

    def carried(first):
        out = [first]
        for prev, cur in zip(grays[:-1], grays[1:], strict=True):
            back = cv2.calcOpticalFlowFarneback(cur, prev, None, 0.5, 3, 15, 3, 5, 1.2, 0)
            out.append(warp_with_flow(out[-1], back, cv2.INTER_CUBIC))
        return out

    metric = WarpingError(small)
    real = metric.of(small)
    photo = metric.of(carried(small[0]))
    painted = metric.of(carried(resize_long_side(styled0, a.size)))
    result = {
        "command": "python benchmarks/warping_floor.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "video": str(clip),
        "model": model,
        "frames": len(frames),
        "size": a.size,
        "input_warping_error": real,
        "consistent_photo": {"warping_error": photo, "ratio_to_input": photo / real},
        "consistent_painting": {"warping_error": painted, "ratio_to_input": painted / real},
    }
    print(
        f"input {real:.6f}; the first photo carried along the flow {photo:.6f} ({photo / real:.2f}x the input's); "
        f"its stylized frame carried {painted:.6f} ({painted / real:.2f}x)"
    )
    write_json(a.json, result)
    print(f"figures: {a.json}")


if __name__ == "__main__":
    main()
