"""Real time, measured: video FPS end to end, temporal stability, webcam memory (the real-time issue's bars).

    bash train/data/fetch_debian_images.sh data          # writes data/heldout_video/vtest.avi, data/heldout
    python benchmarks/realtime.py --video data/heldout_video/vtest.avi --photos data/heldout \
        --json docs/results/realtime.json

1. the shipped student, INT8 (``edgegan export vintage_edge --int8 --format openvino``, made in --work);
2. ``edgegan video`` of the whole street video at 256 px on the long side, per-frame and ``--temporal``:
   decode + infer + encode, end-to-end FPS, output at the video's own size;
3. ``edgegan eval`` against the teacher: quality on the photos, warping error of the input, per-frame and
   temporal output by both implementations (report in --work/report);
4. ``edgegan webcam --headless`` on the video as the camera (it loops) for --webcam-frames frames: FPS and
   resident memory every 100 frames;
5. camera resolution: the colour-operator student ``vintage_grid`` (ONNX Runtime) on --hd-video (default: the
   sample set's 1280x720 clip) at the frame's own resolution, per-frame and ``--temporal``, network on
   --hd-threads threads (the stabilizer runs beside it). ``--only-hd`` runs this part alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--video", required=True, help="a real video no model was trained on")
    ap.add_argument("--photos", nargs="+", help="held-out photos for the quality part (default: sample photos)")
    ap.add_argument("--work", default="outputs/bench_realtime")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-frames", type=int, default=300)
    ap.add_argument("--webcam-frames", type=int, default=2000)
    ap.add_argument("--json", default="outputs/bench_realtime/realtime.json")
    ap.add_argument("--hd-video", help="a camera-resolution video (default: the sample set's 1280x720 clip)")
    ap.add_argument("--hd-threads", type=int, default=1)
    ap.add_argument("--only-hd", action="store_true", help="run part 5 alone")
    a = ap.parse_args()
    if a.only_hd:
        from edgegan.evaluation.bench import machine
        from edgegan.io import write_json

        result = {"machine": machine(), "runs": hd_runs(a), "command": "python " + " ".join(sys.argv)}
        write_json(a.json, result)
        print(f"figures: {a.json}")
        return

    from edgegan.evaluation.bench import machine
    from edgegan.evaluation.eval import run_eval
    from edgegan.export import export_onnx
    from edgegan.io import write_json
    from edgegan.pipelines.deploy import export
    from edgegan.runtime.live import run_webcam
    from edgegan.runtime.video import stylize_video

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    int8, teacher = work / "vintage_edge.int8.xml", work / "vintagify.onnx"
    if not int8.is_file():
        export("vintage_edge", "openvino", int8, int8=True, threads=a.threads)
    if not teacher.is_file():
        from edgegan.importers import ensure_pretrained

        ensure_pretrained("vintagify")
        export_onnx("vintagify", teacher)
    result = {"machine": machine(), "threads": a.threads, "size": a.size, "video": a.video, "runs": {}}
    for mode in ("per_frame", "temporal"):
        r = stylize_video(
            str(int8), a.video, str(work / f"video.{mode}.mp4"), size=a.size, temporal=mode == "temporal",
            backend="openvino", threads=a.threads,
        )  # fmt: skip
        result["runs"][f"video_{mode}"] = r
        print(f"video {mode}: {r['frames']} frames, {r['fps']:.1f} FPS end to end, network {r['network_ms_median']} ms")
    report = run_eval(
        [f"{teacher}@onnxruntime", f"{int8}@openvino"], str(work / "report"), photos=a.photos, video=a.video,
        frames=a.eval_frames, size=a.size, threads=a.threads,
    )  # fmt: skip
    result["eval"] = {"report": str(work / "report" / "report.md"), "video": report["video"],
                      "quality": {k: v["vs_reference"] for k, v in report["models"].items()}}  # fmt: skip
    cam = run_webcam(
        [str(int8)], a.video, size=a.size, backend="openvino", threads=a.threads, temporal=True, headless=True,
        frames=a.webcam_frames, out=str(work / "webcam.mp4"),
    )  # fmt: skip
    result["runs"]["webcam"] = cam
    result["runs"].update(hd_runs(a))
    print(f"webcam: {cam['frames']} frames, {cam['fps']:.1f} FPS, memory {cam['rss_mb'][0]} -> {cam['rss_mb'][-1]}")
    result["command"] = "python " + " ".join(sys.argv)
    write_json(a.json, result)
    print(f"figures: {a.json}; report: {result['eval']['report']}")


def hd_runs(a) -> dict:
    """``vintage_grid`` at the frame's own resolution: the grid of colour-affine maps predicted at 128x128 and
    applied to every pixel of the frame, with and without the stabilizer."""
    import cv2

    from edgegan.data.samples import video_paths
    from edgegan.export import export_onnx
    from edgegan.runtime.video import stylize_video

    video = a.hd_video or str(video_paths()["bigbuckbunny.mp4"])
    cap = cv2.VideoCapture(video)
    long_side = int(max(cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    grid = work / "vintage_grid.onnx"
    if not grid.is_file():
        export_onnx("vintage_grid", grid)
    runs = {}
    for mode in ("per_frame", "temporal"):
        r = stylize_video(
            str(grid), video, str(work / f"hd.{mode}.mp4"), size=long_side, temporal=mode == "temporal",
            threads=a.hd_threads,
        )  # fmt: skip
        runs[f"hd_{mode}"] = r
        print(f"hd {mode}: {r['network_size']} {r['frames']} frames, {r['fps']:.1f} FPS end to end")
    return runs


if __name__ == "__main__":
    main()
