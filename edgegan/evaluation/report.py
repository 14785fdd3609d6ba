"""The pictures and the Markdown of an ``edgegan eval`` report: photo and worst-case grids, the video strip, the
warping-error plot, and ``report.md`` from the report's JSON. :mod:`edgegan.evaluation.eval` measures; this module
only draws and writes what it measured.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgegan.artifact import split_backend
from edgegan.io import atomic_write
from edgegan.machine import describe
from edgegan.media import image_grid, save_image

SELF_CONSISTENCY = {"mirror": "mirrored photo (mirrored back)", "shift8": "photo cropped by 8 px (on the overlap)"}


def label(spec: str) -> str:
    """A model's short name for tables and pictures: file or folder name, and the backend if one was given."""
    path, backend = split_backend(spec)
    p = Path(path)
    name = f"{p.parent.name}/{p.name}" if p.name in ("student", "model") and p.parent.name else p.name
    return name + (f"@{backend}" if backend else "")


def save_png(path: Path, fig) -> None:
    import matplotlib.pyplot as plt

    with atomic_write(path) as f:
        fig.savefig(f, format="png", dpi=110)
    plt.close(fig)


def photo_grid(path: Path, inputs: list[np.ndarray], outs: dict[str, list[np.ndarray]], cols: int = 6) -> None:

    k = min(cols, len(inputs))
    rows = [inputs[:k]] + [o[:k] for o in outs.values()]
    labels = ["input"] + [label(s).replace("@", "\n@") for s in outs]
    save_image(path, image_grid(rows, row_labels=labels, cell=160))


def worst_grid(path: Path, r: dict, inputs: list[np.ndarray], outs: dict[str, list[np.ndarray]]) -> None:
    """For every model, its worst photo: the input, the reference's output, the model's, and their difference."""

    ref = r["reference"]
    rows, labels = [], []
    for spec, row in r["models"].items():
        if spec == ref:
            continue
        w = row["vs_reference"]["worst"]
        i = r["photo_names"].index(w["photo"])
        diff = np.abs(outs[spec][i].astype(np.int16) - outs[ref][i].astype(np.int16)) * 4
        rows.append([inputs[i], outs[ref][i], outs[spec][i], np.clip(diff, 0, 255).astype(np.uint8)])
        labels.append(f"{label(spec)}\n{w['photo'][:22]}\n{w['psnr']:.1f} dB\n(input {w['input_psnr']:.1f})")
    if rows:
        cols = ["input", "reference", "model", "|model - ref| x4"]
        save_image(path, image_grid(rows, row_labels=labels, col_labels=cols, cell=200))


def video_strip(path: Path, inp, per_frame, temporal, spec: str, count: int = 4) -> None:
    """Consecutive frames (input, per-frame, temporal) and the change from each frame to the next, amplified:
    flicker shows as bright speckle where the input barely moved."""

    mid = max(1, len(inp) // 2)
    idx = list(range(mid, min(mid + count, len(inp))))

    def change(frames, i):
        d = np.abs(frames[i].astype(np.int16) - frames[i - 1].astype(np.int16)).mean(axis=2)
        return np.repeat(np.clip(d * 8, 0, 255).astype(np.uint8)[..., None], 3, axis=2)

    rows = [[f[i] for i in idx] + [change(f, idx[-1])] for f in (inp, per_frame, temporal)]
    labels = ["input", "per-frame", "temporal"]
    cols = [f"frame {i}" for i in idx] + ["|change| x8"]
    save_image(path, image_grid(rows, row_labels=labels, col_labels=cols, cell=200))


def warp_plot(path: Path, curves: dict[str, list[float]], impl: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    for label, ys in curves.items():
        ax.plot(range(1, len(ys) + 1), ys, label=f"{label} (mean {np.mean(ys):.4f})", linewidth=1)
    ax.set_xlabel("frame t (pair t-1 -> t)")
    ax.set_ylabel("warping error (sum of squared RGB in [0,1])")
    ax.set_title(f"Temporal stability, {impl}: lower is steadier")
    ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_png(path, fig)


def _fmt(v, digits=2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def write_markdown(path: Path, r: dict) -> None:
    m = r["machine"]
    lines = [
        "# edgegan evaluation report",
        "",
        f"Reference: `{label(r['reference'])}`; {r['photos']} photos at {r['size']}x{r['size']} (centre squares), "
        f"{r['distribution_images']} images for the distribution distances; {r['threads']} threads on "
        f"{describe(m)}.",
        "",
        "## Quality against the reference",
        "",
        "| model | backend | PSNR dB (mean / min) | worst photo | gap closed | SSIM | FD-Lite0 | KID-Lite0 x1e3 | "
        "extra | params M | GMACs | MB | latency ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    iv = r["input_vs_reference"]
    worst_in = int(np.argmin(iv["psnr_each"]))
    lines.append(
        f"| *the input photo itself* | - | {iv['psnr_mean']:.2f} / {iv['psnr_min']:.2f} | "
        f"{r['photo_names'][worst_in]} | 0 | {iv['ssim_mean']:.3f} | "
        f"{iv['fd_lite0']:.2f} | {1e3 * iv['kid_lite0']:.2f} | | | | | |"
    )
    for kind, sc in r["reference_self_consistency"].items():
        lines.append(
            f"| *the reference on the {SELF_CONSISTENCY.get(kind, kind)}* "
            f"| - | {sc['psnr_mean']:.2f} / {sc['psnr_min']:.2f} | | | {sc['ssim_mean']:.3f} | | | | | | | |"
        )
    for spec, row in r["models"].items():
        q = row["vs_reference"]
        extra = ", ".join(f"{k} {q[k]:.3f}" for k in ("fid", "kid", "lpips") if k in q)
        if spec == r["reference"]:
            psnr, worst, gap, fd, kid = "reference", "-", "1", "-", "-"
        else:
            psnr = f"{q['psnr_mean']:.2f} / {q['psnr_min']:.2f}"
            worst = f"{q['worst']['photo']} ({q['worst']['psnr']:.1f} dB, input {q['worst']['input_psnr']:.1f})"
            gap = f"{q['gap_closed']:.2f}"
            fd, kid = f"{q['fd_lite0']:.2f}", f"{1e3 * q['kid_lite0']:.2f}"
        lines.append(
            f"| `{label(spec)}` | {row['backend']} | {psnr} | {worst} | {gap} | {q['ssim_mean']:.3f} | {fd} | {kid} | "
            f"{extra} | "
            f"{_fmt(row['parameters'] / 1e6 if 'parameters' in row else None)} | "
            f"{_fmt(row['macs'] / 1e9 if 'macs' in row else None)} | {row['bytes'] / 2**20:.2f} | "
            f"{row['photo_latency_ms']:.1f} |"
        )
    lines += [
        "",
        "FD-Lite0 / KID-Lite0: Fréchet distance and KID on EfficientNet-Lite0 features between the model's outputs "
        "and the reference's (not FID: Inception weights are not shipped; pass `--inception` for real FID/KID). "
        + (
            f"With {r['distribution_images']} images these two are noise (KID is unbiased, so it can come out "
            "below 0 even for the reference against itself): use 50 or more, e.g. with a --video. "
            if r["distribution_images"] < 50
            else ""
        )
        + "Latency: median network call in this run, sequential (`edgegan bench` measures interleaved). "
        "Gap closed: 1 - squared error to the reference / the input photo's squared error to it (1: the reference, "
        "0: no better than the untouched photo, below 0: worse). The reference on the mirrored or shifted photo is "
        "its own consistency: the ceiling no model is expected to pass.",
        "",
        "![photos](photos.png)",
        "",
        "Each model's worst photo (lowest PSNR against the reference):",
        "",
        "![worst photos](worst.png)",
        "",
    ]
    v = r.get("video")
    if v:
        names = v["implementations"]
        lines += [
            "## Temporal stability",
            "",
            f"Video `{Path(v['path']).name}`, {v['frames']} frames at {v['frame_size'][0]}x{v['frame_size'][1]}; "
            f"warping error (Lai et al. 2018; flow and occlusion mask from the input frames, "
            f"{100 * v['unoccluded_fraction']:.1f}% of pixels unoccluded), two independent implementations; "
            f"temporal = flow-guided blending, alpha {v['alpha']}.",
            "",
            f"| video | {names[0]} | ratio to input | {names[1]} | ratio to input | FPS end to end |",
            "|---|---|---|---|---|---|",
            f"| *input* | {v['input'][names[0]]:.5f} | 1.00 | {v['input'][names[1]]:.5f} | 1.00 | |",
        ]
        for spec, row in v["models"].items():
            for mode, s in row.items():
                w, rt = s["warping_error"], s["ratio_to_input"]
                lines.append(
                    f"| `{label(spec)}` {mode.replace('_', '-')} | {w[names[0]]:.5f} | {rt[names[0]]:.2f} | "
                    f"{w[names[1]]:.5f} | {rt[names[1]]:.2f} | {s['fps']:.1f} |"
                )
        lines += ["", "![warping error](warping_error.png)", "", "![video strip](video_strip.png)", ""]
    with atomic_write(path, "w") as f:
        f.write("\n".join(lines) + "\n")
