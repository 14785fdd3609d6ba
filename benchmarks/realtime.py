"""Real time, measured: video FPS end to end, temporal stability, webcam memory (the real-time issue's bars).

    python train/data/fetch.py debian_images    # writes data/heldout_video/vtest.avi, data/heldout
    python benchmarks/realtime.py --video data/heldout_video/vtest.avi --photos data/heldout \
        --json docs/results/realtime.json

1. the vintage student (--student, default vintage_guided), INT8 (``edgegan export STUDENT --int8 --format
   openvino``, made in --work);
2. ``edgegan video`` of the whole street video at 256 px on the long side, per-frame and ``--temporal``:
   decode + infer + encode, end-to-end FPS, output at the video's own size;
3. ``edgegan eval`` against the teacher: quality on the photos, warping error of the input, per-frame and
   temporal output by both implementations (report in --work/report);
4. ``edgegan webcam --headless`` on the video as the camera (it loops) for --webcam-frames frames: FPS and
   resident memory every 100 frames;
5. camera resolution, end to end at the frame's own resolution, per-frame and ``--temporal``, with the warping
   error of each output against the input video's: the vintage student (--student, ONNX Runtime, --hd-threads
   threads, 2: both cores of this machine, as `edgegan video` uses here; the stabilizer runs beside it) on
   --hd-video (default: the sample set's 1280x720 clip); with --painting MODEL, that model on --video resized to
   640x480 (a checkpoint or name is first exported to OpenVINO INT8 with --painting-min-psnr). ``--only-hd`` runs
   this part alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edgegan.runtime.video import stylize_video  # noqa: E402


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
    ap.add_argument("--hd-threads", type=int, default=2)
    ap.add_argument("--only-hd", action="store_true", help="run part 5 alone")
    ap.add_argument("--painting", help="a painting model to run at 640x480 (--video resized to it) in part 5")
    ap.add_argument("--painting-backend", default="openvino")
    ap.add_argument(
        "--painting-min-psnr",
        type=float,
        help="a painting checkpoint or name is exported to OpenVINO INT8 with this "
        "--min-psnr first (default: the name's own bound, magenta_style_19: 27; an exported file runs as it is)",
    )
    ap.add_argument(
        "--student", default="vintage_guided", help="the vintage student (all parts; float ONNX at camera resolution)"
    )
    a = ap.parse_args()
    if a.only_hd:
        from edgegan.io import write_json
        from edgegan.machine import machine

        result = {"machine": machine(), "camera": camera_runs(a), "command": "python " + " ".join(sys.argv)}
        write_json(a.json, result)
        print(f"figures: {a.json}")
        return

    from edgegan.evaluation.eval import run_eval
    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.pipelines.deploy import cached_export, int8_openvino
    from edgegan.runtime.live import run_webcam

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    int8 = int8_openvino(a.student, work, threads=a.threads)
    teacher = cached_export("vintagify", "onnx", work / "vintagify.onnx")
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
    result["camera"] = camera_runs(a)
    print(f"webcam: {cam['frames']} frames, {cam['fps']:.1f} FPS, memory {cam['rss_mb'][0]} -> {cam['rss_mb'][-1]}")
    result["command"] = "python " + " ".join(sys.argv)
    write_json(a.json, result)
    print(f"figures: {a.json}; report: {result['eval']['report']}")


def warping_errors(src: str, outputs: dict[str, str], size: int = 320, frames: int = 120) -> dict:
    """Warping error (flow and occlusions from the input frames) of the input and of each output video, on the
    first ``frames`` frames at ``size`` px on the long side; ratios to the input's."""
    from edgegan.media import read_frames
    from edgegan.metrics.temporal import WarpingError

    inp = read_frames(src, size, frames)
    w = WarpingError(inp)
    base = w.of(inp)
    res = {"input": base}
    for name, path in outputs.items():
        res[name] = w.of(read_frames(path, size, len(inp)))
        res[f"{name}_ratio"] = res[name] / base
    return res


def camera_runs(a) -> dict:
    """Each case at camera resolution, end to end: per-frame and ``--temporal`` (the frame's own resolution, no
    --size), the end-to-end FPS and the warping error of the output against the input video's."""
    from edgegan.data.samples import video_paths
    from edgegan.media import write_camera_clip
    from edgegan.pipelines.deploy import cached_export, export_stem, int8_openvino

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    cases = {}
    student_onnx = cached_export(a.student, "onnx", work / f"{export_stem(a.student)}.onnx")
    hd = a.hd_video or str(video_paths()["bigbuckbunny.mp4"])
    cases[f"{export_stem(a.student)}_hd"] = (str(student_onnx), hd, "onnxruntime", a.hd_threads)
    if a.painting:
        vga = str(write_camera_clip(a.video, work / "camera_640x480.mp4", (640, 480), 300))
        painting = a.painting
        if Path(painting).suffix not in (".xml", ".onnx", ".engine"):  # a checkpoint or a name: its INT8 export
            painting = str(int8_openvino(painting, work, min_psnr=a.painting_min_psnr, threads=a.threads))
        cases["painting_640x480"] = (painting, vga, a.painting_backend, a.threads)
    runs = {}
    for name, (model, video, backend, threads) in cases.items():
        row, outs = {"model": model, "video": video, "backend": backend, "threads": threads}, {}
        for mode in ("per_frame", "temporal"):
            dst = work / f"{name}.{mode}.mp4"
            r = stylize_video(model, video, str(dst), temporal=mode == "temporal", backend=backend, threads=threads)
            row[mode] = {k: r[k] for k in ("frames", "fps", "network_ms_median", "network_size", "output_size")}
            outs[mode] = str(dst)
            print(f"{name} {mode}: {r['network_size']} {r['frames']} frames, {r['fps']:.1f} FPS end to end")
        row["warping_error"] = warping_errors(video, outs)
        print(f"{name} warping error / input's: per-frame {row['warping_error']['per_frame_ratio']:.2f}, "
              f"temporal {row['warping_error']['temporal_ratio']:.2f}")  # fmt: skip
        runs[name] = row
    return runs


if __name__ == "__main__":
    main()
