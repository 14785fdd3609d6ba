"""Latency measured fairly on a shared, noisy machine.

Several models are timed *interleaved* (one run of each in turn, repeated), so a burst of load from
elsewhere hits them all alike and their ratios stay meaningful; each gets warm-up runs first. The machine's
own dense matrix-multiply rate is measured in the same run, so a model's achieved GFLOP/s reads as a
fraction of what this CPU can do.
"""

from __future__ import annotations

import time

import numpy as np

from edgegan.artifact import split_backend
from edgegan.data.samples import validation_images
from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import atomic_write
from edgegan.machine import describe, machine
from edgegan.metrics.cost import cost
from edgegan.metrics.drift import drift
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stylizer import stylize_images


def matmul_gflops(threads: int, n: int = 1024, seconds: float = 1.0) -> float:
    """Dense float32 matrix-multiply rate of this CPU on ``threads`` threads (PyTorch/oneDNN), GFLOP/s."""
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(n, n), torch.randn(n, n)
        for _ in range(3):
            a @ b
        runs, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            a @ b
            runs += 1
        return 2 * n**3 * runs / (time.perf_counter() - t0) / 1e9
    finally:
        torch.set_num_threads(old)


def interleaved_latency(runners: dict, x: np.ndarray, runs: int = 30, warmup: int = 3) -> dict[str, dict]:
    """Time every ``runners[name](x)`` ``runs`` times, interleaved; median / p90 in ms and FPS per name."""
    for fn in runners.values():
        for _ in range(warmup):
            fn(x)
    times: dict[str, list[float]] = {k: [] for k in runners}
    for _ in range(runs):
        for name, fn in runners.items():
            t0 = time.perf_counter()
            fn(x)
            times[name].append(time.perf_counter() - t0)
    out = {}
    for name, t in times.items():
        med = float(np.median(t))
        out[name] = {
            "median_ms": med * 1e3,
            "p90_ms": float(np.percentile(t, 90)) * 1e3,
            "fps": 1.0 / med,
            "runs": runs,
        }
    return out


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def run_bench(
    models: list[str],
    *,
    size: int = 256,
    backend: str | None = None,
    threads: int = 2,
    runs: int = 30,
    warmup: int = 3,
    reference: str | None = None,
    photos: list[str] | None = None,
    show_progress: bool = True,
) -> dict:
    """Latency (interleaved), cost and drift of ``models`` (names, checkpoints, .onnx/.xml files or
    export/quantize directories; ``name@backend`` picks a backend per model)."""

    if not models:
        raise EdgeganError("give at least one model to bench")
    if size < 16 or size % 16:
        raise EdgeganError(f"--size must be a multiple of 16, got {size}")
    entries = []
    for spec in models:
        path, be = split_backend(spec)
        entries.append((spec, open_model(path), be or backend))
    rows: dict[str, dict] = {}
    runners = {}
    for spec, ref, be in entries:
        before = _rss_mb()
        b = load_backend(ref, be, threads)
        x = np.zeros((1, 3, size, size), np.float32)
        b.run(x)
        rows[spec] = {
            "model": ref.spec,
            "backend": b.name,
            "bytes": ref.bytes,
            "memory_mb": round(max(_rss_mb() - before, 0.0), 1),
        }
        src = ref.source_checkpoint()
        if src is not None:
            rows[spec].update(cost(src, size))
        runners[spec] = b.run
    gflops = matmul_gflops(threads)
    lat = interleaved_latency(runners, np.zeros((1, 3, size, size), np.float32), runs=runs, warmup=warmup)
    for spec in rows:
        rows[spec].update(lat[spec])
        if "macs" in rows[spec]:
            achieved = 2 * rows[spec]["macs"] / (rows[spec]["median_ms"] / 1e3) / 1e9
            rows[spec]["achieved_gflops"] = achieved
            rows[spec]["fraction_of_matmul"] = achieved / gflops
    ref_spec = reference or entries[0][0]
    ref_path, ref_be = split_backend(ref_spec)
    ref_model = next((r for s, r, _ in entries if s == ref_spec), None) or open_model(ref_path)
    images = validation_images(photos, size)
    ref_out = stylize_images(ref_model, images, ref_be or backend, threads)
    for spec, ref, be in entries:
        rows[spec]["vs_reference"] = drift(stylize_images(ref, images, be, threads), ref_out)
    return {
        "machine": machine(),
        "threads": threads,
        "size": size,
        "runs": runs,
        "matmul_gflops": gflops,
        "reference": ref_spec,
        "photos": len(images),
        "models": rows,
    }


def format_table(result: dict) -> str:
    lines = [
        f"| model | backend | params | GMACs | MB | median ms | p90 ms | FPS | GFLOP/s (% of matmul) | "
        f"PSNR vs {result['reference']} | SSIM |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for spec, r in result["models"].items():
        params = f"{r['parameters']:,}" if "parameters" in r else "-"
        gmacs = f"{r['macs'] / 1e9:.2f}" if "macs" in r else "-"
        gf = f"{r['achieved_gflops']:.1f} ({100 * r['fraction_of_matmul']:.0f}%)" if "achieved_gflops" in r else "-"
        d = r["vs_reference"]
        lines.append(
            f"| {spec} | {r['backend']} | {params} | {gmacs} | {r['bytes'] / 1e6:.2f} | {r['median_ms']:.1f} | "
            f"{r['p90_ms']:.1f} | {r['fps']:.1f} | {gf} | {d['psnr_mean']:.2f} | {d['ssim_mean']:.4f} |"
        )
    lines.append(
        f"\nmatmul: {result['matmul_gflops']:.0f} GFLOP/s on {result['threads']} threads; "
        f"{result['size']}x{result['size']}, median of {result['runs']} interleaved runs; "
        f"{describe(result['machine']) if 'machine' in result else 'machine not recorded'}"
    )
    return "\n".join(lines)


def pareto_plot(result: dict, path) -> None:
    """Latency (log) against PSNR to the reference; the Pareto front (faster and closer) joined. The reference
    itself (and anything identical to it) is marked by a vertical line, so the y-axis spans the others."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    pts = [(r["median_ms"], r["vs_reference"]["psnr_mean"], spec) for spec, r in result["models"].items()]
    refs = [p for p in pts if p[1] >= 60.0]
    others = [p for p in pts if p[1] < 60.0] or pts
    fig, ax = plt.subplots(figsize=(8, 5))
    for k, (ms, db, spec) in enumerate(sorted(others)):
        ax.scatter(ms, db, s=45, zorder=3)
        ax.annotate(spec, (ms, db), textcoords="offset points", xytext=(7, 10 - 14 * (k % 3)), fontsize=8)
    for ms, _, spec in refs:
        ax.axvline(ms, color="gray", linestyle=":", linewidth=1)
        ax.annotate(
            f"{spec} ({ms:.0f} ms)",
            (ms, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize=8,
            color="gray",
        )
    front, best = [], -1.0
    for ms, db, _ in sorted(others):
        if db > best:
            front.append((ms, db))
            best = db
    if len(front) > 1:
        ax.plot(*zip(*front, strict=True), "--", color="gray", alpha=0.7, label="Pareto front (faster and closer)")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_xscale("log")
    lo, hi = ax.get_xlim()
    ax.set_xticks([t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if lo <= t <= hi])
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(f"median latency per {result['size']}x{result['size']} image, ms ({result['threads']} threads, log)")
    ax.set_ylabel(f"PSNR vs {result['reference']}, dB")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:
        fig.savefig(f, format="png", dpi=120)
    plt.close(fig)
