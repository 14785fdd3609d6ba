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

from edgegan.errors import EdgeganError


def model_bytes(path: str | os.PathLike) -> int:
    """Bytes a model takes on disk: the weights file of a checkpoint, or an ONNX / IR file with its data."""
    from edgegan.pretrained import resolve_model
    from edgegan.runtime.backends import resolve_artifact

    p = resolve_artifact(resolve_model(path))
    if p.is_dir():
        return (p / "model.safetensors").stat().st_size
    total = p.stat().st_size
    for extra in (p.with_suffix(".bin"), p.with_name(p.name + ".data")):
        if p.suffix in (".xml", ".onnx") and extra.is_file():
            total += extra.stat().st_size
    return total


def validation_images(photos: list[str] | None, size: int) -> list[np.ndarray]:
    """Centre squares at ``size`` of ``photos`` (files or folders); default: the bundled sample photos."""
    from edgegan.data.transforms import center_square
    from edgegan.io import load_image
    from edgegan.runtime.pipeline import collect_inputs

    if photos:
        files = collect_inputs(photos)
    else:
        from edgegan.data.samples import photo_paths

        files = list(photo_paths().values())
    return [np.asarray(center_square(load_image(p), size)) for p in files]


def outputs(
    model: str | os.PathLike, images: list[np.ndarray], backend: str | None = None, threads: int | None = None
) -> list[np.ndarray]:
    from edgegan.runtime.backends import load_backend
    from edgegan.runtime.pipeline import to_image, to_tensor

    be = load_backend(model, backend, threads)
    return [to_image(be.run(to_tensor(im))) for im in images]


def drift(a: list[np.ndarray], b: list[np.ndarray]) -> dict[str, float]:
    """Mean and minimum PSNR (dB) and mean SSIM between two lists of uint8 images."""
    from skimage.metrics import structural_similarity

    from edgegan.metrics.fidelity import psnr

    if len(a) != len(b) or not a:
        raise EdgeganError("drift needs two equally long, non-empty lists of images")
    p = [min(psnr(x, y), 100.0) for x, y in zip(a, b, strict=True)]
    s = [structural_similarity(x, y, channel_axis=2, data_range=255) for x, y in zip(a, b, strict=True)]
    return {"psnr_mean": float(np.mean(p)), "psnr_min": float(np.min(p)), "ssim_mean": float(np.mean(s))}


def cost(checkpoint: str | os.PathLike, size: int = 256) -> dict:
    """Parameters and real MACs at ``size`` x ``size`` of a checkpoint."""
    from edgegan.checkpoint import load_model
    from edgegan.metrics.cost import count_macs
    from edgegan.models import count_parameters

    model = load_model(checkpoint)
    return {"parameters": count_parameters(model), "macs": int(count_macs(model, size)), "macs_convention": "real"}


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
    from edgegan.io import write_json

    images = validation_images(photos, size)
    mine = outputs(model, images, backend, threads)
    metrics: dict = {"size": size, "photos": len(images)}
    if float_checkpoint is not None:  # a quantized model has its float parent's parameters and MACs
        metrics.update(cost(float_checkpoint, size))
    metrics["bytes"] = model_bytes(model)
    metrics["backend"] = backend or "default for the file"
    seen: dict[tuple[str, str | None], list[np.ndarray]] = {}  # a distilled student's parent is its teacher
    for label, ref, ref_backend in (("parent", parent, parent_backend), ("teacher", teacher, None)):
        if ref is not None:
            key = (str(ref), ref_backend)
            if key not in seen:
                seen[key] = outputs(ref, images, ref_backend, threads)
            metrics[f"vs_{label}"] = {"model": str(ref), **drift(mine, seen[key])}
    metrics.update(extra or {})
    write_json(Path(out_dir) / "metrics.json", metrics)
    return metrics
