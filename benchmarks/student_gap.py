"""Where a student's distance from its teacher lies: global colour, regional tone, or detail.

    python benchmarks/student_gap.py --photos data/heldout --models vintage_guided \
        --json outputs/student_gap.json   # docs/results/student_gap.json holds the figures docs/compression.md cites

For each model (and for the input photo itself) on held-out photos at --size, against the teacher's output:

- ``psnr``: the plain figure (what the compression issue's bar reads);
- ``psnr_blur_s``: both images Gaussian-blurred with sigma s (errors at scales above s pixels);
- ``psnr_affine_oracle``: after the best per-photo 3x4 colour-affine map (least squares, fitted on that photo
  against the teacher: an oracle, not a model) — what is left when the global colour decision is right;
- ``teacher_detail_psnr_s``: the teacher's output against its own blur: the ceiling of a model that gets
  everything coarser than s right and nothing finer;
- ``teacher_consistency``: the teacher against itself on an input changed in ways that do not change the
  picture (mirrored and its output mirrored back; JPEG quality 90; +-2 levels of noise; shifted 4 px, compared
  away from the borders): how idiosyncratic the decisions a student must copy are.

All are means over the photos of per-photo PSNR (8-bit RGB). Figures are printed and saved with the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from edgegan.metrics.drift import psnr

BLURS = (1.0, 2.0, 4.0, 8.0)


def affine_oracle(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``src`` mapped by the 3x4 colour-affine transform that brings it closest to ``dst`` (least squares)."""
    x = np.concatenate([src.reshape(-1, 3) / 255.0, np.ones((src.size // 3, 1))], axis=1)
    m, *_ = np.linalg.lstsq(x, dst.reshape(-1, 3) / 255.0, rcond=None)
    return np.clip(np.rint(x @ m * 255.0), 0, 255).reshape(src.shape).astype(np.uint8)


def gap(outputs: list[np.ndarray], teacher: list[np.ndarray]) -> dict:
    import cv2

    row = {"psnr": float(np.mean([psnr(o, t) for o, t in zip(outputs, teacher)]))}
    for s in BLURS:
        row[f"psnr_blur_{s:g}"] = float(
            np.mean(
                [psnr(cv2.GaussianBlur(o, (0, 0), s), cv2.GaussianBlur(t, (0, 0), s)) for o, t in zip(outputs, teacher)]
            )
        )
    row["psnr_affine_oracle"] = float(np.mean([psnr(affine_oracle(o, t), t) for o, t in zip(outputs, teacher)]))
    row["per_photo_psnr"] = [round(psnr(o, t), 2) for o, t in zip(outputs, teacher)]
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teacher", default="vintagify")
    ap.add_argument(
        "--models", nargs="+", default=["vintage_guided"], help="checkpoints, shipped names or exported files"
    )
    ap.add_argument("--photos", nargs="+", required=True, help="held-out photos (files or folders)")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default="outputs/student_gap.json")
    a = ap.parse_args()

    import cv2

    from edgegan.data.samples import validation_images
    from edgegan.importers import open_model
    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.runtime.stylizer import stylize_images

    photos = validation_images(a.photos, a.size)

    teacher_path = open_model(a.teacher)
    teacher = stylize_images(teacher_path, photos, None, a.threads)
    rows = {"input photo": gap(photos, teacher)}
    for spec in a.models:
        rows[spec] = gap(stylize_images(open_model(spec), photos, None, a.threads), teacher)
    ceiling = {
        f"teacher_detail_psnr_{s:g}": float(np.mean([psnr(t, cv2.GaussianBlur(t, (0, 0), s)) for t in teacher]))
        for s in BLURS
    }
    rng = np.random.default_rng(0)
    variants = {
        "mirrored": ([np.ascontiguousarray(p[:, ::-1]) for p in photos], lambda y: y[:, ::-1], lambda t: t),
        "jpeg_q90": (
            [
                cv2.imdecode(cv2.imencode(".jpg", p, [cv2.IMWRITE_JPEG_QUALITY, 90])[1], cv2.IMREAD_UNCHANGED)
                for p in photos
            ],
            lambda y: y,
            lambda t: t,
        ),
        "noise_2_levels": (
            [np.clip(p.astype(np.int16) + rng.integers(-2, 3, p.shape), 0, 255).astype(np.uint8) for p in photos],
            lambda y: y,
            lambda t: t,
        ),
        "shift_4px": (
            [np.ascontiguousarray(np.roll(p, 4, axis=1)) for p in photos],
            lambda y: y[16:-16, 20:-12],
            lambda t: t[16:-16, 16:-16],
        ),
    }
    # one teacher session for every variant: the outputs come back in order, len(photos) per variant
    changed = stylize_images(teacher_path, [x for inputs, _, _ in variants.values() for x in inputs], None, a.threads)
    consistency = {}
    for k, (name, (_, undo, crop)) in enumerate(variants.items()):
        ys = changed[k * len(photos) : (k + 1) * len(photos)]
        consistency[name] = float(np.mean([psnr(undo(y), crop(t)) for y, t in zip(ys, teacher)]))
    keys = ["psnr", *(f"psnr_blur_{s:g}" for s in BLURS), "psnr_affine_oracle"]
    print(f"{'':24s}" + "".join(f"{k:>20s}" for k in keys))
    for name, row in rows.items():
        print(f"{name:24s}" + "".join(f"{row[k]:20.2f}" for k in keys))
    print(
        "teacher vs its own blur: "
        + ", ".join(f"sigma {s:g}: {ceiling[f'teacher_detail_psnr_{s:g}']:.2f} dB" for s in BLURS)
    )
    print("teacher vs itself: " + ", ".join(f"{k} {v:.2f} dB" for k, v in consistency.items()))
    write_json(
        a.json,
        {
            "machine": machine(),
            "photos": len(photos),
            "size": a.size,
            "teacher": a.teacher,
            "rows": rows,
            **ceiling,
            "teacher_consistency": consistency,
        },
    )
    print(f"saved {a.json}")


if __name__ == "__main__":
    main()
