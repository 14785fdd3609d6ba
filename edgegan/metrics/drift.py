"""Drift: how far one rendering of a picture is from another (PSNR, SSIM), the one copy every report uses."""

from __future__ import annotations

import numpy as np

from edgegan.errors import EdgeganError


def psnr(a: np.ndarray, b: np.ndarray, peak: float = 255.0) -> float:
    """PSNR in dB between two uint8 (peak 255) or float arrays of equal shape; inf when identical.
    Network tensors in [-1, 1] take ``peak=2``."""
    if a.shape != b.shape:
        raise ValueError(f"psnr: shapes differ {a.shape} vs {b.shape}")
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(peak**2 / mse)


def max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())


def drift(a: list[np.ndarray], b: list[np.ndarray]) -> dict[str, float]:
    """Mean and minimum PSNR (dB, capped at 100 for identical pictures) and mean SSIM between two lists of
    uint8 images."""
    from skimage.metrics import structural_similarity

    if len(a) != len(b) or not a:
        raise EdgeganError("drift needs two equally long, non-empty lists of images")
    p = [min(psnr(x, y), 100.0) for x, y in zip(a, b, strict=True)]
    s = [structural_similarity(x, y, channel_axis=2, data_range=255) for x, y in zip(a, b, strict=True)]
    return {
        "psnr_mean": float(np.mean(p)),
        "psnr_min": float(np.min(p)),
        "ssim_mean": float(np.mean(s)),
        "psnr_each": [round(v, 3) for v in p],
    }


def gap_closed(model: list[np.ndarray], inputs: list[np.ndarray], reference: list[np.ndarray]) -> float:
    """The share of the distance from the input photos to the reference's outputs that a model's outputs
    close: 1 - sum of squared errors (model vs reference) / sum (input vs reference). 1: the reference
    itself; 0: no better than handing back the input; negative: worse than doing nothing."""
    num = sum(float(np.sum((m.astype(np.float64) - r) ** 2)) for m, r in zip(model, reference, strict=True))
    den = sum(float(np.sum((i.astype(np.float64) - r) ** 2)) for i, r in zip(inputs, reference, strict=True))
    return float("nan") if den == 0 else 1.0 - num / den
