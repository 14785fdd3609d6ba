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

Writes ``report.json``, ``report.md`` and the pictures it shows (photo grid, video strip, plots) into ``out``; the
pictures and the Markdown are drawn by :mod:`edgegan.evaluation.report`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgegan.artifact import split_backend
from edgegan.data.samples import validation_set
from edgegan.errors import EdgeganError
from edgegan.evaluation.report import (
    label,
    photo_grid,
    video_strip,
    warp_plot,
    worst_grid,
    write_markdown,
)
from edgegan.importers import open_model
from edgegan.io import ensure_writable_dir, write_json
from edgegan.machine import machine
from edgegan.media import center_square, open_capture, read_frames
from edgegan.metrics import features as feat
from edgegan.metrics.cost import cost
from edgegan.metrics.drift import drift, gap_closed
from edgegan.metrics.temporal import WarpingError, WarpingErrorReference
from edgegan.progress import progress
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stylizer import Stylizer
from edgegan.runtime.video import stylize_video

VIDEO_METRICS = ("input", "per_frame", "temporal")


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
    photo_grid(out_dir / "photos.png", photos_in, {s: outs[s][:n] for s in grid_models})
    worst_grid(out_dir / "worst.png", result, photos_in, {s: outs[s][:n] for s in grid_models})

    if video:
        result["video"] = _video_section(
            video, video_in, out_dir, specs, ref_spec, size, alpha, threads, backend, video_reference, show_progress
        )  # fmt: skip
    result["pictures"] = sorted(p.name for p in out_dir.glob("*.png"))
    write_json(out_dir / "report.json", result)
    write_markdown(out_dir / "report.md", result)
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
    warp_plot(out_dir / "warping_error.png", curves, impls[0].name)
    last = chosen[-1][0]
    video_strip(out_dir / "video_strip.png", video_in, strip[(last, "per_frame")], strip[(last, "temporal")], last)
    return section


def _slug(spec: str) -> str:
    path, backend = split_backend(spec)
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(path).name) + (f"_{backend}" if backend else "")


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
