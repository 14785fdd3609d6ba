"""What a compression step cost and what it kept: ``metrics.json`` beside every compressed model.

Cost: parameters and MACs (real arithmetic, at ``size`` x ``size``; a quantized model has its float
parent's counts), bytes on disk. Quality: PSNR (dB) and SSIM of the model's output against its parent's
and against the original teacher's, on validation photos (centre squares at ``size``), each model run on
the backend it is meant for. Drift is what a step changed, not a score of the style: the teacher is the
reference, and the photos should be ones no step was fitted on.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from edgegan.data.samples import validation_images
from edgegan.importers import open_model
from edgegan.io import write_json
from edgegan.metrics.cost import cost
from edgegan.metrics.drift import drift
from edgegan.runtime.stylizer import stylize_images


def write_metrics(
    out_dir: str | os.PathLike,
    model: str | os.PathLike,
    *,
    float_checkpoint: str | os.PathLike | None,
    parent: str | os.PathLike | None,
    teacher: str | os.PathLike | None,
    photos: list[str] | None = None,
    size: int = 256,
    backend: str | None = None,
    parent_backend: str | None = None,
    threads: int | None = None,
    extra: dict | None = None,
) -> dict:
    """Measure ``model`` against ``parent`` and ``teacher`` and write ``out_dir/metrics.json``."""
    images = validation_images(photos, size)
    mine = stylize_images(model, images, backend, threads)
    metrics: dict = {"size": size, "photos": len(images)}
    if float_checkpoint is not None:  # a quantized model has its float parent's parameters and MACs
        metrics.update(cost(float_checkpoint, size))
    metrics["bytes"] = open_model(model).bytes
    metrics["backend"] = backend or "default for the file"
    seen: dict[tuple[str, str | None], list[np.ndarray]] = {}  # a distilled student's parent is its teacher
    for label, ref, ref_backend in (("parent", parent, parent_backend), ("teacher", teacher, None)):
        if ref is not None:
            key = (str(ref), ref_backend)
            if key not in seen:
                seen[key] = stylize_images(ref, images, ref_backend, threads)
            metrics[f"vs_{label}"] = {"model": getattr(ref, "spec", str(ref)), **drift(mine, seen[key])}
    metrics.update(extra or {})
    write_json(Path(out_dir) / "metrics.json", metrics)
    return metrics
