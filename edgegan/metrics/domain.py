"""A cheap, weight-free distance between two sets of images' low-level statistics.

Used to check that a translator moves its outputs toward the target domain (e.g. photos -> cartoons:
flatter regions, dark edges, fewer colours). It is not FID and is not called that: it compares the
batch means of nine hand-picked statistics per image.
"""

from __future__ import annotations

import torch
from torch import Tensor


def low_level_stats(x: Tensor) -> Tensor:
    """x: (N, 3, H, W) in [-1, 1] -> (N, 9): channel means (3), channel stds (3), mean gradient
    magnitude, fraction of flat pixels (gradient < 0.02), fraction of dark pixels (luma < -0.8)."""
    x = x.float()
    mean = x.mean(dim=(2, 3))
    std = x.std(dim=(2, 3))
    gray = 0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]
    gx = (gray[:, :, 1:] - gray[:, :, :-1])[:, :-1]
    gy = (gray[:, 1:, :] - gray[:, :-1, :])[:, :, :-1]
    grad = (gx.square() + gy.square()).sqrt()
    return torch.cat(
        [
            mean,
            std,
            grad.mean(dim=(1, 2))[:, None],
            (grad < 0.02).float().mean(dim=(1, 2))[:, None],
            (gray < -0.8).float().mean(dim=(1, 2))[:, None],
        ],
        dim=1,
    )


def stats_distance(a: Tensor, b: Tensor) -> float:
    """L2 distance between the mean statistics of image batches ``a`` and ``b``."""
    return float((low_level_stats(a).mean(0) - low_level_stats(b).mean(0)).norm())
