"""``make demo``: the whole pipeline on the embedded default, from a pretrained teacher to a report.

1. the offline sample set (real photos and clips from installed wheels);
2. the teacher: the vintagify CycleGAN (11.4 M parameters, 49.5 GMACs at 256x256), imported, exported to
   ONNX (checked against PyTorch);
3. the shipped student ``vintage_edge`` (distilled from it, 30x fewer MACs), exported to ONNX;
4. INT8: ``edgegan export vintage_edge --int8 --format openvino`` (NNCF post-training quantization,
   accuracy-controlled against the float student, OpenVINO IR with real INT8 kernels);
5. bench: teacher, student and INT8 student interleaved in one run (latency, cost, drift);
6. a temporally stabilized sample video (INT8 student, flow-guided blending);
7. the evaluation report: quality against the teacher, FD/KID on EfficientNet-Lite0 features, warping
   error of per-frame and stabilized video, cost -- ``outputs/demo/report/report.md``.
"""

from __future__ import annotations

import time

from edgegan.checkpoint import is_checkpoint
from edgegan.data.samples import video_paths, write_samples
from edgegan.evaluation.bench import format_table, pareto_plot, run_bench
from edgegan.evaluation.eval import label, run_eval
from edgegan.export import export_onnx
from edgegan.importers import import_checkpoint
from edgegan.io import ensure_writable_dir, read_json, write_json
from edgegan.pipelines.deploy import export
from edgegan.runtime.video import stylize_video


def run_demo(out: str = "outputs/demo", size: int = 256, threads: int = 2) -> dict:

    out = ensure_writable_dir(out)
    deploy = out / "deploy"
    t_start = time.perf_counter()
    timings: dict[str, float] = {}

    def step(name: str, text: str):
        timings[name] = time.perf_counter()
        print(f"\n[{len(timings)}/7] {text}", flush=True)

    step("samples", "sample set: photos and clips from installed wheels")
    samples = write_samples(out / "samples")
    photos = [str(samples / "photos")]

    step("teacher", "teacher: import the vintagify CycleGAN, export to ONNX (checked against PyTorch)")
    teacher = out / "vintagify"
    if not is_checkpoint(teacher):
        import_checkpoint("vintagify", None, teacher)
    teacher_onnx = deploy / "vintagify.onnx"
    if not teacher_onnx.is_file():
        export_onnx(teacher, teacher_onnx)

    step("student", "student: the shipped vintage_edge, exported to ONNX")
    student_onnx = deploy / "vintage_edge.onnx"
    if not student_onnx.is_file():
        export_onnx("vintage_edge", student_onnx)

    step("int8", "INT8: edgegan export vintage_edge --int8 --format openvino (NNCF, accuracy-controlled)")
    int8 = deploy / "vintage_edge.int8.xml"
    if not int8.is_file():
        export("vintage_edge", "openvino", int8, int8=True, calib=photos, threads=threads)
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

    step("video", "video: the INT8 student on a sample clip, temporally stabilized")
    clip = video_paths()["bikes.mp4"]
    video = stylize_video(str(int8), str(clip), str(out / "video" / "bikes.vintage.mp4"), size=size, temporal=True,
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
    ends = list(timings.values()) + [time.perf_counter()]
    summary = {
        "seconds_total": round(time.perf_counter() - t_start, 1),
        "seconds_per_step": {k: round(ends[i + 1] - ends[i], 1) for i, k in enumerate(timings)},
        "teacher": str(teacher),
        "deploy": sorted(p.name for p in deploy.iterdir()),
        "bench": str(out / "bench.json"),
        "video": video,
        "report": str(out / "report" / "report.md"),
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
    print(f"done in {summary['seconds_total']:.0f} s")
    print(f"report: {summary['report']}")
