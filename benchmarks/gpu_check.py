"""What edgegan does on an NVIDIA GPU, measured in one run: TensorRT engines of the shipped students and CUDA AMP
training of every family's tiny variant.

    bash benchmarks/gpu_check.sh                     # on a machine with a CUDA GPU (and TensorRT for the engines)
    python benchmarks/gpu_check.py --dry-run         # the same code path on the CPU: ONNX Runtime, fp32, 5 steps

1. For each shipped real-time model (the vintage student vintage_guided, the painting network magenta_style_19 at its
   own INT8 bound): `edgegan export --format tensorrt` in FP16 (from the float
   graph) and INT8 (NNCF Q/DQ rewritten for TensorRT), the engine built here (TensorRT present), then each engine
   against the float model on ONNX Runtime on the held-out sample photos: PSNR/SSIM drift and latency, interleaved.
2. 50 CUDA AMP steps of each family's smoke recipe (tiny variants): first and last logged losses, seconds per step.
Writes every figure with the machine to --json. Without a CUDA GPU (and without --dry-run) it prints one line saying
why it skipped and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

STUDENTS = ("vintage_guided", "magenta_style_19")  # what ships for real time: the vintage student, the painting net
SMOKE = Path(__file__).resolve().parent.parent / "train" / "configs" / "smoke"


def _engines(work: Path, size: int, dry_run: bool, threads: int) -> dict:
    import numpy as np

    from edgegan.data.samples import validation_images
    from edgegan.evaluation.bench import interleaved_latency
    from edgegan.importers import open_model
    from edgegan.metrics.drift import drift
    from edgegan.pipelines.deploy import export
    from edgegan.runtime.backends import load_backend
    from edgegan.runtime.stylizer import Stylizer

    images = validation_images(None, size)
    out: dict = {}
    for name in STUDENTS:
        row: dict = {}
        open_model(name)  # the painting network is converted from its wheel once
        float_onnx = work / f"{name}.onnx"
        export(name, "onnx", float_onnx, size=size, threads=threads)
        runners = {"onnxruntime fp32": load_backend(float_onnx, "onnxruntime", threads)}
        for precision in ("fp16", "int8"):
            target = work / f"{name}.{precision}.trt.onnx"
            report = export(
                name, "tensorrt", target, int8=precision == "int8", fp16=precision == "fp16", size=size,
                threads=threads,
            )  # fmt: skip
            trt = report["tensorrt"]
            row[precision] = {"compatibility_changes": trt["compatibility_changes"], "engine": trt["engine"]}
            if trt["engine"]:
                runners[f"tensorrt {precision}"] = load_backend(target.with_name(trt["engine"]), "tensorrt")
            elif dry_run:  # the TensorRT-ready graph on ONNX Runtime: checks everything but the engine build
                runners[f"onnxruntime {precision} (TensorRT graph)"] = load_backend(target, "onnxruntime", threads)
            else:
                row[precision]["note"] = trt["note"]
        reference = Stylizer(runners["onnxruntime fp32"]).many(images)[0]
        for label, backend in runners.items():
            outs, _ = Stylizer(backend).many(images)
            row.setdefault("drift_vs_float", {})[label] = drift(outs, reference)
        x = np.zeros((1, 3, size, size), np.float32)
        lat = interleaved_latency({k: b.run for k, b in runners.items()}, x, runs=30 if not dry_run else 5)
        row["latency_ms"] = {k: round(v["median_ms"], 3) for k, v in lat.items()}
        row["parameters_bytes"] = open_model(float_onnx).bytes
        out[name] = row
    return out


def _amp(work: Path, steps: int, device: str, amp: bool) -> dict:
    import yaml

    from edgegan.config import load_yaml_tree
    from edgegan.data.samples import write_samples
    from edgegan.importers import open_model
    from edgegan.pipelines.generate import pseudo_pairs
    from edgegan.training import train

    samples = write_samples(work / "samples")
    out: dict = {}
    for config in sorted(SMOKE.glob("*.yaml")):
        tree = load_yaml_tree(config)
        root = str(tree.get("data", {}).get("root", ""))
        if "outputs/samples" in root:
            root = root.replace("outputs/samples", str(samples))
        else:  # a student's recipe on a teacher's pairs: the shipped vintage_guided labels the sample photos
            root = pseudo_pairs(open_model("vintage_guided"), work / "pairs", [str(samples / "photos")], size=64)
        overrides = [
            f"data.root={root}",
            f"train.steps={steps}", f"train.device={device}", f"train.amp={str(amp).lower()}",
            "train.log_every=1", f"train.sample_every={steps}", f"train.ckpt_every={steps}", "train.decay_steps=0",
        ]  # fmt: skip
        run = work / "runs" / config.stem
        t0 = time.perf_counter()
        train(str(config), overrides, str(run))
        seconds = time.perf_counter() - t0
        rows = [json.loads(line) for line in (run / "stats.jsonl").read_text().splitlines() if line.strip()]
        skip = ("step", "lr", "seconds", "epoch")
        losses = [k for k in rows[0] if isinstance(rows[0][k], (int, float)) and not k.startswith(skip)]
        out[config.stem] = {
            "model": yaml.safe_load(config.read_text()).get("model", {}).get("name"),
            "steps": steps,
            "seconds_per_step": round(seconds / steps, 4),
            "first": {k: rows[0][k] for k in losses},
            "last": {k: rows[-1][k] for k in losses},
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", default="docs/results/gpu_check.json")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true", help="run the same code on the CPU (no engine, no AMP)")
    a = ap.parse_args()

    import torch

    if not torch.cuda.is_available() and not a.dry_run:
        print("gpu_check: skipped: no CUDA GPU here (torch.cuda.is_available() is False); nothing written")
        return 0
    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.runtime.tensorrt import gpu_identity

    result: dict = {"machine": machine(), "dry_run": a.dry_run, "command": "python " + " ".join(sys.argv)}
    if torch.cuda.is_available():
        result["gpu"] = torch.cuda.get_device_name(0)
    result["tensorrt"] = gpu_identity()
    with tempfile.TemporaryDirectory(prefix="edgegan-gpu-check-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        result["engines"] = _engines(work, a.size, a.dry_run, a.threads)
        result["engines_seconds"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        cuda = torch.cuda.is_available() and not a.dry_run
        result["amp_training"] = _amp(work, a.steps if not a.dry_run else 5, "cuda" if cuda else "cpu", cuda)
        result["amp_seconds"] = round(time.perf_counter() - t0, 1)
    write_json(a.json, result)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1)[:4000])
    print(f"figures: {a.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
