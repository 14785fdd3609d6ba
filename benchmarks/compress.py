"""Teacher / student / pruned / INT8 / FP16: cost, speed and drift in one run (the compression issue's table).

    python benchmarks/compress.py --photos data/heldout --pruned runs/prune_edge/model \
        --json docs/results/compress.json --plot docs/images/compress_pareto.png

Float models are exported to ONNX, INT8 and FP16 made from the student with ``edgegan quantize`` (into --work,
unless given). Every model runs on ONNX Runtime and on OpenVINO, all interleaved in one ``edgegan bench`` run
(same threads, one 256x256 image); drift is PSNR / SSIM against the teacher's float output on ONNX Runtime,
on the photos (use photos no step was fitted on). Each model's row for its deployment runtime (INT8: OpenVINO,
where its INT8 kernels run) carries the verdict.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teacher", default="vintagify")
    ap.add_argument("--student", default="vintage_guided")
    ap.add_argument("--pruned", help="a pruned student checkpoint (edgegan prune ... --out DIR: DIR/model)")
    ap.add_argument("--int8", help="an INT8 directory (edgegan quantize --int8); made from --student if absent")
    ap.add_argument("--fp16", help="an FP16 directory (edgegan quantize --fp16); made from --student if absent")
    ap.add_argument("--photos", nargs="+", required=True, help="held-out photos (files or folders)")
    ap.add_argument("--work", default="outputs/bench_compress")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", default="outputs/bench_compress/compress.json")
    ap.add_argument("--plot", default="outputs/bench_compress/compress_pareto.png")
    a = ap.parse_args()

    from edgegan.compress.quantize import quantize
    from edgegan.evaluation.bench import format_table, pareto_plot, run_bench
    from edgegan.export.to_onnx import export_onnx
    from edgegan.importers import open_model
    from edgegan.io import write_json

    open_model(a.teacher)  # a wheel-shipped teacher (vintagify) is converted once
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, ckpt in (("teacher", a.teacher), ("student", a.student), ("pruned", a.pruned)):
        if ckpt:
            files[name] = work / f"{name}.onnx"
            if not files[name].is_file():
                export_onnx(ckpt, files[name])
    for mode, given in (("int8", a.int8), ("fp16", a.fp16)):
        files[mode] = Path(given) if given else work / mode
        if not (files[mode] / "model.onnx").is_file():
            quantize(a.student, files[mode], mode=mode, size=a.size, threads=a.threads)
    specs = [f"{files[n]}@{b}" for n in files for b in ("onnxruntime", "openvino")]
    result = run_bench(specs, size=a.size, threads=a.threads, runs=a.runs, reference=specs[0], photos=a.photos)
    names = {f"{files[n]}@{b}": f"{n}@{b}" for n in files for b in ("onnxruntime", "openvino")}
    result["models"] = {names[k]: v for k, v in result["models"].items()}
    result["reference"] = "teacher@onnxruntime"
    m = result["models"]
    result["ratios"] = {
        "teacher_macs_over_student": m["teacher@onnxruntime"]["macs"] / m["student@onnxruntime"]["macs"],
        "student_float_ort_over_int8_openvino": m["student@onnxruntime"]["median_ms"] / m["int8@openvino"]["median_ms"],
        "teacher_float_ort_over_int8_openvino": m["teacher@onnxruntime"]["median_ms"] / m["int8@openvino"]["median_ms"],
    }
    result["command"] = "python " + " ".join(sys.argv)
    write_json(a.json, result)
    print(format_table(result))
    print("; ".join(f"{k}: {v:.1f}x" for k, v in result["ratios"].items()))
    pareto_plot(result, a.plot)
    print(f"wrote {a.json} and {a.plot}")


if __name__ == "__main__":
    main()
