"""Optical flow and warping, the one copy every temporal feature uses.

``warp_with_flow`` (NumPy/OpenCV, HxWxC) and ``flow_warp`` (torch, NCHW) both pull an image into the frame of
the flow: output(x) = image(x + flow(x)). ``consistency_mask`` is the forward-backward check that marks where
a flow can be trusted (occlusions and failures fail it).
"""

from __future__ import annotations

import functools

import cv2
import numpy as np


def dis_flow(preset: int = cv2.DISOPTICAL_FLOW_PRESET_FAST) -> cv2.DISOpticalFlow:
    return cv2.DISOpticalFlow_create(preset)


@functools.lru_cache(maxsize=8)
def _pixel_grid(h: int, w: int) -> np.ndarray:
    """(h, w, 2) float32 pixel coordinates (x, y): once per frame size."""
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return np.dstack([gx, gy])


def flow_map(flow: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
    """The sampling map of ``flow`` for ``cv2.remap`` (x + flow(x), one (H, W, 2) float32 array), at ``size`` =
    (width, height) if given: a flow computed on a small frame is scaled to full-frame pixels at the small size,
    resized bilinearly (the displacement, not the coordinates: exact at the borders too) and added to the
    full-size pixel grid."""
    h, w = flow.shape[:2]
    if size is None or size == (w, h):
        return _pixel_grid(h, w) + flow
    scale = np.array([size[0] / w, size[1] / h], np.float32)
    return _pixel_grid(size[1], size[0]) + cv2.resize(flow * scale, size, interpolation=cv2.INTER_LINEAR)


def warp_with_flow(image: np.ndarray, flow: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Sample ``image`` at ``x + flow(x)`` (border replicated): pulls ``image`` into flow's frame."""
    return remap(image, flow_map(flow), interpolation)


def remap(image: np.ndarray, mapping: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """``image`` sampled at ``mapping`` (a :func:`flow_map`), border replicated."""
    return cv2.remap(image, mapping, None, interpolation, borderMode=cv2.BORDER_REPLICATE)


def consistency_mask(fwd: np.ndarray, bwd: np.ndarray) -> np.ndarray:
    """1 where following ``fwd`` then ``bwd`` comes back to the start (Sundaram et al.'s criterion as used by
    Ruder et al. and Lai et al.): |f + b(x+f)|^2 <= 0.01 (|f|^2 + |b(x+f)|^2) + 0.5. float32 HxW."""
    fx, fy = cv2.split(fwd)
    bx, by = cv2.split(warp_with_flow(bwd, fwd))
    lhs = (fx + bx) ** 2 + (fy + by) ** 2
    rhs = 0.01 * (fx * fx + fy * fy + bx * bx + by * by) + 0.5
    return (lhs <= rhs).astype(np.float32)


def flow_warp(x, flow):
    """Bilinear sample of ``x`` (N, C, H, W torch tensor) at ``p + flow(p)``, ``flow`` (N, H, W, 2) in pixels,
    x first; the border value outside the image. Differentiable in ``x`` (the temporal training loss uses it)."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = x.shape
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=x.dtype, device=x.device), torch.arange(w, dtype=x.dtype, device=x.device), indexing="ij"
    )
    pos = torch.stack([xs, ys], dim=-1) + flow  # (N, H, W, 2)
    scale = torch.tensor([max(w - 1, 1), max(h - 1, 1)], dtype=x.dtype, device=x.device)
    return F.grid_sample(x, pos / scale * 2 - 1, mode="bilinear", padding_mode="border", align_corners=True)
