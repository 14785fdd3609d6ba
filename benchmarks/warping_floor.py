"""The warping error's floor for a textured style: what a video that is temporally consistent *by construction*
scores, next to the real input video (the denominator of the "at most 1x the input's" bar).

    python benchmarks/warping_floor.py --video data/heldout_video/vtest.avi --model magenta_style_19 \
        --json docs/results/warping_floor.json

The first frame (the input's, and the model's output of it) is carried along an optical flow of the input frames
that the metric does not use (Farneback; the metric uses DIS), frame after frame, with bicubic warping: no flicker
at all, only the metric's own flow error. Scored by :class:`edgegan.metrics.temporal.WarpingError` at --size px on
the long side, as ``benchmarks/realtime.py`` scores its videos. A style whose texture is finer than the input's
(brush strokes) is charged more for the same flow error, so its consistent video scores above the photo's.

Then where the shipped stabilizer's error comes from: the model's per-frame output stabilized by ``FlowBlend`` at
its defaults (and at looser photometric tolerances), scored as it leaves the stabilizer (lossless) and after the
video writer ``edgegan video`` uses (mp4v, 4:2:0 chroma) and reading back; the share of the error that falls on
pixels the metric counts as tracked but the stabilizer does not trust (it keeps the fresh, flickering frame there);
and what a 4:2:0 chroma round trip alone costs the painted frames and the photo (PSNR).
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
    ap.add_argument("--tolerances", default="12,24,48", help="FlowBlend photo_tol values (the default first)")
    ap.add_argument("--json", default="outputs/warping_floor/warping_floor.json")
    a = ap.parse_args()

    import cv2

    from edgegan.flow import flow_map, remap
    from edgegan.io import write_json
    from edgegan.machine import machine
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
    stylizer = Stylizer.open(model, threads=a.threads)
    styled0 = stylizer(frames[0])
    small = [resize_long_side(f, a.size) for f in frames]
    grays = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in small]
    flows = [  # the input's backward flow, Farneback (not the metric's DIS), once for every carried video
        cv2.calcOpticalFlowFarneback(cur, prev, None, 0.5, 3, 15, 3, 5, 1.2, 0)
        for prev, cur in zip(grays[:-1], grays[1:], strict=True)
    ]

    def carried(first):  # at any resolution: the flow scaled to it as FlowBlend does (unchanged at --size)
        out = [first]
        for back in flows:
            out.append(remap(out[-1], flow_map(back, first.shape[1::-1]), cv2.INTER_CUBIC))
        return out

    metric = WarpingError(small)
    real = metric.of(small)
    photo = metric.of(carried(small[0]))
    painted = metric.of(carried(resize_long_side(styled0, a.size)))
    steady = written(carried(styled0), work / "consistent_painting.mp4")
    painted_written = metric.of([resize_long_side(f, a.size) for f in steady])
    budget = stabilizer_budget(frames, stylizer, metric, real, a, work)
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
        "consistent_painting_written": {
            "what": "carried at the camera's resolution, through the mp4v writer, read back, scored at --size",
            "warping_error": painted_written,
            "ratio_to_input": painted_written / real,
        },
        "stabilizer": budget,
    }
    print(
        f"input {real:.6f}; the first photo carried along the flow {photo:.6f} ({photo / real:.2f}x the input's); "
        f"its stylized frame carried {painted:.6f} ({painted / real:.2f}x); carried at {w}x{h} and written "
        f"{painted_written / real:.2f}x"
    )
    write_json(a.json, result)
    print(f"figures: {a.json}")


def written(video, path: Path) -> list:
    """``video`` through the writer ``edgegan video`` uses (the suffix picks the codec), read back."""
    import cv2

    from edgegan.media import VideoWriter, read_frames

    writer = VideoWriter(str(path), 25.0, video[0].shape[1::-1])
    for f in video:
        writer.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    writer.close()
    return read_frames(str(path), limit=len(video))


def stabilizer_budget(frames, stylizer, metric, real: float, a, work: Path) -> dict:
    """Warping error of the model's output stabilized by FlowBlend, lossless and through the video writer, and
    its share on pixels the metric tracks and the stabilizer does not trust."""
    import cv2
    import numpy as np
    from tqdm import tqdm

    from edgegan.flow import warp_with_flow
    from edgegan.media import resize_long_side
    from edgegan.runtime.stabilize import FlowBlend

    def scored(video):
        return [resize_long_side(f, a.size) for f in video]

    def chroma_420(video):
        back = [cv2.cvtColor(cv2.cvtColor(f, cv2.COLOR_RGB2YUV_I420), cv2.COLOR_YUV2RGB_I420) for f in video]
        return float(np.mean([cv2.PSNR(f, b) for f, b in zip(video, back, strict=True)]))

    per_frame = [stylizer(f) for f in tqdm(frames, desc="per-frame", unit="frame")]
    out = {
        "per_frame": {
            "lossless_ratio": metric.of(scored(per_frame)) / real,
            "written_ratio": metric.of(scored(written(per_frame, work / "per_frame.mp4"))) / real,
        },
        "chroma_420_psnr": {"painted": chroma_420(per_frame), "photo": chroma_420(frames)},
        "photo_tol": {},
    }
    for tol in (float(t) for t in a.tolerances.split(",")):
        blend, video, untrusted = FlowBlend(photo_tol=tol), [], []
        for f, p in zip(frames, per_frame, strict=True):
            video.append(blend(f, p))
            untrusted.append(cv2.resize(blend.trust, metric.shape[1::-1]) < 0.5)
        small_u8 = scored(video)
        small = [f.astype(np.float32) / 255 for f in small_u8]
        err_all = err_untrusted = tracked = tracked_untrusted = 0.0
        for (back, mask), prev, cur, off in zip(metric.pairs, small[:-1], small[1:], untrusted[1:], strict=True):
            sq = np.sum((cur - warp_with_flow(prev, back)) ** 2, axis=2) * mask
            err_all += sq.sum()
            err_untrusted += sq[off].sum()
            tracked += mask.sum()
            tracked_untrusted += mask[off].sum()
        row = {
            "lossless_ratio": metric.of(small_u8) / real,
            "written_ratio": metric.of(scored(written(video, work / f"temporal_tol{tol:g}.mp4"))) / real,
            "untrusted_share_of_tracked_pixels": tracked_untrusted / tracked,
            "untrusted_share_of_error": err_untrusted / err_all,
        }
        out["photo_tol"][f"{tol:g}"] = row
        print(
            f"FlowBlend photo_tol {tol:g}: {row['lossless_ratio']:.2f}x lossless, {row['written_ratio']:.2f}x written; "
            f"{100 * row['untrusted_share_of_tracked_pixels']:.1f}% of tracked pixels untrusted carry "
            f"{100 * row['untrusted_share_of_error']:.0f}% of the error"
        )
    print(
        f"per-frame {out['per_frame']['lossless_ratio']:.2f}x lossless, {out['per_frame']['written_ratio']:.2f}x "
        f"written; 4:2:0 chroma round trip: painted {out['chroma_420_psnr']['painted']:.1f} dB, photo "
        f"{out['chroma_420_psnr']['photo']:.1f} dB"
    )
    return out


if __name__ == "__main__":
    main()
