"""Teacher / student / pruned / INT8 / FP16: cost, speed and drift in one run (the compression issue's table).

    python benchmarks/compress.py --photos data/heldout --pruned runs/prune_edge/model \
        --json docs/results/compress.json --plot docs/images/compress_pareto.png

Every model is exported (float ONNX) or quantized (``edgegan quantize``) into --work unless given; latency is
the median of interleaved runs of every model on ONNX Runtime and OpenVINO (same thread count, one
256x256 image); drift is PSNR / SSIM against the teacher's float output on the photos (use photos no step
was fitted on), each model on its own runtime (INT8 on OpenVINO, where its INT8 kernels run).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teacher", default="vintagify")
    ap.add_argument("--student", default="vintage_edge")
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

    import numpy as np

    from edgegan.bench import interleaved_latency, machine, matmul_gflops
    from edgegan.compress.quantize import quantize
    from edgegan.compress.report import cost, drift, model_bytes, outputs, validation_images
    from edgegan.export.to_onnx import export_onnx
    from edgegan.io import write_json
    from edgegan.pretrained import resolve_model
    from edgegan.runtime.backends import load_backend

    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    teacher, student = resolve_model(a.teacher), resolve_model(a.student)
    float_ckpts = {"teacher": teacher, "student": student}
    if a.pruned:
        float_ckpts["pruned"] = Path(a.pruned)
    onnx = {}
    for name, ckpt in float_ckpts.items():
        onnx[name] = work / f"{name}.onnx"
        if not onnx[name].is_file():
            export_onnx(ckpt, onnx[name])
    int8 = Path(a.int8) if a.int8 else work / "int8"
    fp16 = Path(a.fp16) if a.fp16 else work / "fp16"
    if not (int8 / "model.onnx").is_file():
        quantize(student, int8, mode="int8", size=a.size, threads=a.threads)
    if not (fp16 / "model.onnx").is_file():
        quantize(student, fp16, mode="fp16", size=a.size, threads=a.threads)
    rows = {
        "teacher": {"file": onnx["teacher"], "cost": teacher, "parent": None, "deploy": "onnxruntime"},
        "student": {"file": onnx["student"], "cost": student, "parent": "teacher", "deploy": "onnxruntime"},
    }
    if a.pruned:
        rows["pruned"] = {"file": onnx["pruned"], "cost": float_ckpts["pruned"], "parent": "student",
                          "deploy": "onnxruntime"}
    rows["int8"] = {"file": int8 / "model.onnx", "cost": student, "parent": "student", "deploy": "openvino"}
    rows["fp16"] = {"file": fp16 / "model.onnx", "cost": student, "parent": "student", "deploy": "onnxruntime"}

    images = validation_images(a.photos, a.size)
    outs = {name: outputs(r["file"], images, r["deploy"], a.threads) for name, r in rows.items()}
    runners = {}
    x = np.zeros((1, 3, a.size, a.size), np.float32)
    for name, r in rows.items():
        for backend in ("onnxruntime", "openvino"):
            runners[f"{name}/{backend}"] = load_backend(r["file"], backend, a.threads).run
    gflops = matmul_gflops(a.threads)
    lat = interleaved_latency(runners, x, runs=a.runs)
    table = {}
    for name, r in rows.items():
        c = cost(r["cost"], a.size)
        row = {**c, "bytes": model_bytes(r["file"]), "deploy_backend": r["deploy"]}
        for backend in ("onnxruntime", "openvino"):
            row[f"{backend}_ms"] = lat[f"{name}/{backend}"]["median_ms"]
            row[f"{backend}_p90_ms"] = lat[f"{name}/{backend}"]["p90_ms"]
        row["achieved_gflops_deploy"] = 2 * c["macs"] / (row[f"{r['deploy']}_ms"] / 1e3) / 1e9
        row["vs_teacher"] = drift(outs[name], outs["teacher"])
        if r["parent"]:
            row["vs_parent"] = {"parent": r["parent"], **drift(outs[name], outs[r["parent"]])}
        table[name] = row
    t_ms = table["teacher"]["onnxruntime_ms"]
    ratios = {
        "teacher_macs_over_student": table["teacher"]["macs"] / table["student"]["macs"],
        "student_ort_float_over_int8_openvino": table["student"]["onnxruntime_ms"] / table["int8"]["openvino_ms"],
        "teacher_ort_float_over_int8_openvino": t_ms / table["int8"]["openvino_ms"],
    }
    result = {"machine": machine(), "matmul_gflops": gflops, "threads": a.threads, "size": a.size,
              "photos": len(images), "runs": a.runs, "models": table, "ratios": ratios,
              "command": " ".join(sys.argv)}
    write_json(a.json, result)
    _print(table, ratios, gflops)
    _plot(table, a.plot)
    print(f"\nwrote {a.json} and {a.plot}")


def _print(table: dict, ratios: dict, gflops: float) -> None:
    print("| model | params | GMACs | MB | ORT ms | OpenVINO ms | PSNR vs teacher | SSIM | PSNR vs parent |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in table.items():
        par = f"{r['vs_parent']['psnr_mean']:.2f}" if "vs_parent" in r else "-"
        print(f"| {name} | {r['parameters']:,} | {r['macs'] / 1e9:.2f} | {r['bytes'] / 1e6:.2f} | "
              f"{r['onnxruntime_ms']:.1f} | {r['openvino_ms']:.1f} | {r['vs_teacher']['psnr_mean']:.2f} | "
              f"{r['vs_teacher']['ssim_mean']:.4f} | {par} |")
    print(f"matmul {gflops:.0f} GFLOP/s; " + "; ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))


def _plot(table: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from edgegan.io import atomic_write

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, r in table.items():
        ms = r[f"{r['deploy_backend']}_ms"]
        ax.scatter(ms, r["vs_teacher"]["psnr_mean"], s=40)
        ax.annotate(f"{name} ({r['deploy_backend']})", (ms, r["vs_teacher"]["psnr_mean"]),
                    textcoords="offset points", xytext=(6, 4), fontsize=9)
    ax.set_xscale("log")
    ax.set_xlabel("latency per 256x256 image, ms (log; median, 2 threads)")
    ax.set_ylabel("PSNR vs teacher output, dB (held-out photos)")
    ax.set_title("Compression: drift against latency")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:
        fig.savefig(f, format="png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
