"""``edgegan eval``: one report of quality, temporal stability and cost for a set of models.

For every model (checkpoint, shipped name, .onnx/.xml, export/quantize directory; ``name@backend`` picks
the runtime) against a reference model (default: the first one, typically the teacher):

- **quality drift**: PSNR (mean, min) and SSIM of its outputs against the reference's on photos (centre
  squares at ``size``), optional LPIPS (user's ``vgg16.pt``);
- **distribution distance** between its outputs and the reference's: Fréchet distance and KID on
  EfficientNet-Lite0 features (``fd_lite0``, ``kid_lite0``: not FID), on the photos plus frames of the video;
  real FID/KID with the user's ``inception-2015-12-05.pt``;
- **temporal stability** on a video: warping error (Lai et al.) of the input itself, of per-frame
  stylization and of flow-blended stylization (``--temporal`` in ``edgegan video``), each by both
  implementations in :mod:`edgegan.metrics.temporal`, with the ratio to the input's;
- **cost**: parameters and MACs (when the float checkpoint is known), bytes on disk, median network latency
  on the photos in this run (sequential; ``edgegan bench`` gives interleaved figures), end-to-end video FPS.

Writes ``report.json``, ``report.md`` and the pictures it shows (photo grid, video strip, plots) into ``out``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgegan.artifact import open_model, split_backend
from edgegan.data.samples import validation_set
from edgegan.errors import EdgeganError
from edgegan.io import atomic_write, ensure_writable_dir, write_json
from edgegan.machine import describe, machine
from edgegan.media import center_square, image_grid, open_capture, read_frames, save_image
from edgegan.metrics import features as feat
from edgegan.metrics.cost import cost
from edgegan.metrics.drift import drift, gap_closed
from edgegan.metrics.temporal import WarpingError, WarpingErrorReference
from edgegan.progress import progress
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stylizer import Stylizer
from edgegan.runtime.video import stylize_video

VIDEO_METRICS = ("input", "per_frame", "temporal")
SELF_CONSISTENCY = {"mirror": "mirrored photo (mirrored back)", "shift8": "photo cropped by 8 px (on the overlap)"}


def run_eval(
    models: list[str],
    out: str,
    *,
    reference: str | None = None,
    photos: list[str] | None = None,
    video: str | None = None,
    frames: int = 120,
    dist_frames: int = 48,
    size: int = 256,
    alpha: float = 0.8,
    threads: int = 2,
    backend: str | None = None,
    inception: str | None = None,
    lpips_vgg: str | None = None,
    video_reference: bool = False,
    show_progress: bool = True,
) -> dict:

    if not models:
        raise EdgeganError("give at least one model to evaluate")
    if size < 16 or size % 8:
        raise EdgeganError(f"--size must be a multiple of 8 (at least 16), got {size}")
    if frames < 2:
        raise EdgeganError(f"--frames must be at least 2, got {frames}")
    for path, what in ((inception, "Inception (FID)"), (lpips_vgg, "LPIPS VGG16")):
        if path and not Path(path).is_file():
            raise EdgeganError(f"{what} weights not found: {path!r}")

    ref_spec = reference or models[0]
    specs = []  # (what the user wrote, the model resolved once, its backend)
    for spec in [ref_spec] * (ref_spec not in models) + list(models):
        path, be = split_backend(spec)
        specs.append((spec, open_model(path), be))
    if video:
        open_capture(video)[0].release()  # a bad video fails now, not after the photos
    out_dir = ensure_writable_dir(out)

    photo_names, photos_in = validation_set(photos, size)
    video_in = read_frames(video, size, frames) if video else []
    step = max(1, -(-len(video_in) // dist_frames)) if dist_frames else 0
    dist_in = photos_in + ([center_square(f, size) for f in video_in[::step]] if step else [])

    result: dict = {
        "machine": machine(),
        "threads": threads,
        "size": size,
        "reference": ref_spec,
        "photos": len(photos_in),
        "distribution_images": len(dist_in),
        "video": None,
        "models": {},
    }
    outs: dict[str, list[np.ndarray]] = {}
    bar = progress(specs, desc="eval: photos", unit="model", disable=not show_progress)
    for spec, ref, be in bar:
        b = load_backend(ref, be or backend, threads)
        stylizer = Stylizer(b)
        if spec == ref_spec:
            ref_stylizer = stylizer  # kept for its self-consistency below
        if dist_in:  # warm-up: a backend's first run at a shape (compilation, allocation) is not its latency
            stylizer(dist_in[0])
        outs[spec], times = stylizer.many(dist_in)
        ms = 1000 * float(np.median(times))
        row = {"model": ref.spec, "backend": b.name, "bytes": ref.bytes, "photo_latency_ms": round(ms, 2)}
        src = ref.source_checkpoint()
        if src is not None:
            row.update(cost(src, size))
        result["models"][spec] = row

    ref_out = outs[ref_spec]
    ref_feats = feat.lite0_features(ref_out)
    in_feats = feat.lite0_features(dist_in)
    n = len(photos_in)
    result["input_vs_reference"] = {
        **drift(photos_in, ref_out[:n]),
        "fd_lite0": feat.frechet_distance(in_feats, ref_feats),
        "kid_lite0": feat.kernel_inception_distance(in_feats, ref_feats)[0],
    }
    input_each = result["input_vs_reference"]["psnr_each"]
    result["photo_names"] = photo_names
    result["reference_self_consistency"] = _self_consistency(ref_stylizer, photos_in, ref_out[:n])
    inc_ref = feat.inception_features(ref_out, inception) if inception else None
    for spec, row in result["models"].items():
        f = feat.lite0_features(outs[spec])
        q = {**drift(outs[spec][:n], ref_out[:n])}
        q["gap_closed"] = gap_closed(outs[spec][:n], photos_in, ref_out[:n])
        worst = int(np.argmin(q["psnr_each"]))
        q["worst"] = {"photo": photo_names[worst], "psnr": q["psnr_each"][worst], "input_psnr": input_each[worst]}
        q["fd_lite0"] = feat.frechet_distance(f, ref_feats)
        q["kid_lite0"], q["kid_lite0_std"] = feat.kernel_inception_distance(f, ref_feats)
        if inception:
            fi = feat.inception_features(outs[spec], inception)
            q["fid"] = feat.frechet_distance(fi, inc_ref)
            q["kid"] = feat.kernel_inception_distance(fi, inc_ref)[0]
        if lpips_vgg:
            q["lpips"] = float(np.mean(feat.lpips(outs[spec][:n], ref_out[:n], lpips_vgg)))
        row["vs_reference"] = q

    grid_models = [s for s, *_ in specs]
    _photo_grid(out_dir / "photos.png", photos_in, {s: outs[s][:n] for s in grid_models})
    _worst_grid(out_dir / "worst.png", result, photos_in, {s: outs[s][:n] for s in grid_models})

    if video:
        result["video"] = _video_section(
            video, video_in, out_dir, specs, ref_spec, size, alpha, threads, backend, video_reference, show_progress
        )  # fmt: skip
    result["pictures"] = sorted(p.name for p in out_dir.glob("*.png"))
    write_json(out_dir / "report.json", result)
    _write_markdown(out_dir / "report.md", result)
    return result


def _video_section(
    video, video_in, out_dir, specs, ref_spec, size, alpha, threads, backend, video_reference, show_progress
) -> dict:  # fmt: skip
    """Warping errors of the input, per-frame and temporal stylization of every chosen model; writes the videos,
    the per-frame plot and the frame strip."""
    import cv2

    impls = [WarpingError(video_in), WarpingErrorReference(video_in)]
    section = {
        "path": str(video),
        "frames": len(video_in),
        "frame_size": list(video_in[0].shape[1::-1]),
        "alpha": alpha,
        "implementations": [m.name for m in impls],
        "unoccluded_fraction": impls[0].unoccluded_fraction(),
        "input": {m.name: m.of(video_in) for m in impls},
        "models": {},
    }
    curves = {"input": impls[0].per_pair(video_in)}
    strip = {}
    chosen = [(s, p, b) for s, p, b in specs if s != ref_spec or video_reference or len(specs) == 1]
    for k, (spec, ref, be) in enumerate(chosen):
        row = {}
        for mode in ("per_frame", "temporal"):
            dst = out_dir / "video" / f"{k}_{_slug(spec)}.{mode}.avi"  # two models may share a file name
            run = stylize_video(
                ref, video, str(dst), size=size, temporal=mode == "temporal", alpha=alpha,
                backend=be or backend, threads=threads, limit=len(video_in), show_progress=show_progress,
                keep_size=False,
            )  # fmt: skip
            h, w = video_in[0].shape[:2]  # the writer keeps sizes even: back to the input frames' exact size
            styl = [cv2.resize(f, (w, h), interpolation=cv2.INTER_AREA) for f in read_frames(str(dst))]
            scores = {m.name: m.of(styl) for m in impls}
            row[mode] = {
                "fps": run["fps"],
                "network_ms_median": run["network_ms_median"],
                "file": str(dst.relative_to(out_dir)),
                "warping_error": scores,
                "ratio_to_input": {k: v / section["input"][k] for k, v in scores.items()},
            }
            key = f"{label(spec)} {mode.replace('_', '-')}"
            curves[key if key not in curves else f"{key} ({k})"] = impls[0].per_pair(styl)
            strip[(spec, mode)] = styl
        section["models"][spec] = row
    _warp_plot(out_dir / "warping_error.png", curves, impls[0].name)
    last = chosen[-1][0]
    _video_strip(out_dir / "video_strip.png", video_in, strip[(last, "per_frame")], strip[(last, "temporal")], last)
    return section


def label(spec: str) -> str:
    """A model's short name for tables and pictures: file or folder name, and the backend if one was given."""
    path, backend = split_backend(spec)
    p = Path(path)
    name = f"{p.parent.name}/{p.name}" if p.name in ("student", "model") and p.parent.name else p.name
    return name + (f"@{backend}" if backend else "")


def _slug(spec: str) -> str:
    path, backend = split_backend(spec)
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(path).name) + (f"_{backend}" if backend else "")


def _save_png(path: Path, fig) -> None:
    import matplotlib.pyplot as plt

    with atomic_write(path) as f:
        fig.savefig(f, format="png", dpi=110)
    plt.close(fig)


def _photo_grid(path: Path, inputs: list[np.ndarray], outs: dict[str, list[np.ndarray]], cols: int = 6) -> None:

    k = min(cols, len(inputs))
    rows = [inputs[:k]] + [o[:k] for o in outs.values()]
    labels = ["input"] + [label(s).replace("@", "\n@") for s in outs]
    save_image(path, image_grid(rows, row_labels=labels, cell=160))


def _self_consistency(ref: Stylizer, photos: list[np.ndarray], ref_out: list[np.ndarray], shift: int = 8) -> dict:
    """The reference against itself: on the mirrored photo (mirrored back) and on the photo cropped by
    ``shift`` pixels at the top and left (compared on the overlap). No student can be expected to be closer
    to the reference than the reference is to itself under such changes: the ceiling of the PSNR columns."""
    mirrored = [y[:, ::-1] for y in ref.many([np.ascontiguousarray(p[:, ::-1]) for p in photos])[0]]
    shifted = ref.many([np.ascontiguousarray(p[shift:, shift:]) for p in photos])[0]
    return {
        "mirror": drift(mirrored, ref_out),
        f"shift{shift}": drift(shifted, [np.ascontiguousarray(y[shift:, shift:]) for y in ref_out]),
    }


def _worst_grid(path: Path, r: dict, inputs: list[np.ndarray], outs: dict[str, list[np.ndarray]]) -> None:
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


def _video_strip(path: Path, inp, per_frame, temporal, spec: str, count: int = 4) -> None:
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


def _warp_plot(path: Path, curves: dict[str, list[float]], impl: str) -> None:
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
    _save_png(path, fig)


def _fmt(v, digits=2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _write_markdown(path: Path, r: dict) -> None:
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
