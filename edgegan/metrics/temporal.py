"""Temporal stability: the warping error of Lai et al. (ECCV 2018), two independent implementations.

Warping error of a video V given the input video I it was made from::

    E_warp = 1/(T-1) * sum_t [ sum_x M_t(x) * ||V_t(x) - W_t(V_{t-1})(x)||^2 / sum_x M_t(x) ]

``W_t`` pulls frame t-1 into frame t along the optical flow of the *input* frames (t -> t-1), ``M_t`` is 0 at
occlusions, found by forward-backward consistency of the input's flow (|f + b(x+f)|^2 <= 0.01 (|f|^2 +
|b(x+f)|^2) + 0.5), colours are in [0, 1] and ||.||^2 sums the three channels. Computed for the input video
itself it measures what the flow cannot explain (noise, lighting); the ratio output/input is how much a
stylization adds.

- :class:`WarpingError` -- OpenCV's DIS flow (medium preset), ``cv2.remap`` warping and the consistency mask of
  :mod:`edgegan.flow`, numpy.
- :class:`WarpingErrorReference` -- a second implementation sharing no code with the first: Farneback flow,
  warping by ``torch.nn.functional.grid_sample``, the mask and the reduction written in torch. Different flow
  estimators give different absolute numbers; the ratios to the input video should agree, and
  ``edgegan eval`` reports both.

The stabilizer in :mod:`edgegan.runtime.stabilize` uses DIS flow too (fast preset, network resolution): the
reference implementation's independent flow keeps the stabilizer from grading its own homework.
"""

from __future__ import annotations

import cv2
import numpy as np

from edgegan.flow import consistency_mask, flow_warp, warp_with_flow


def _as_float(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) / 255.0


class WarpingError:
    """Flows of ``inputs`` (RGB uint8 frames) computed once; :meth:`of` scores any video of the same frames."""

    name = "dis+remap (OpenCV)"

    def __init__(self, inputs: list[np.ndarray]):
        if len(inputs) < 2:
            raise ValueError("the warping error needs at least two frames")

        self.shape = inputs[0].shape
        dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
        grays = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in inputs]
        self.pairs = []  # (backward flow t -> t-1, mask at t)
        for prev, cur in zip(grays[:-1], grays[1:], strict=True):
            back = dis.calc(cur, prev, None)
            fwd = dis.calc(prev, cur, None)
            self.pairs.append((back, consistency_mask(back, fwd)))

    def unoccluded_fraction(self) -> float:
        return float(np.mean([m.mean() for _, m in self.pairs]))

    def per_pair(self, frames: list[np.ndarray]) -> list[float]:

        if len(frames) != len(self.pairs) + 1 or frames[0].shape != self.shape:
            raise ValueError(
                f"expected {len(self.pairs) + 1} frames of shape {self.shape}, got {len(frames)} of {frames[0].shape}"
            )
        errors = []
        for (back, mask), prev, cur in zip(self.pairs, frames[:-1], frames[1:], strict=True):
            diff = _as_float(cur) - warp_with_flow(_as_float(prev), back)
            errors.append(float(np.sum(np.sum(diff**2, axis=2) * mask) / max(mask.sum(), 1.0)))
        return errors

    def of(self, frames: list[np.ndarray]) -> float:
        return float(np.mean(self.per_pair(frames)))


class WarpingErrorReference:
    """The same definition, implemented independently (Farneback flow, torch grid_sample); see the module doc."""

    name = "farneback+grid_sample (torch)"

    def __init__(self, inputs: list[np.ndarray]):
        import torch

        if len(inputs) < 2:
            raise ValueError("the warping error needs at least two frames")
        self.torch = torch
        grays = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in inputs]
        self.shape = inputs[0].shape
        self.flows, self.masks = [], []
        opts = dict(pyr_scale=0.5, levels=4, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0)
        for prev, cur in zip(grays[:-1], grays[1:], strict=True):
            b = torch.from_numpy(cv2.calcOpticalFlowFarneback(cur, prev, None, **opts))[None]
            f = torch.from_numpy(cv2.calcOpticalFlowFarneback(prev, cur, None, **opts))[None]
            f_at = flow_warp(f.permute(0, 3, 1, 2), b).permute(0, 2, 3, 1)
            err = ((b + f_at) ** 2).sum(-1)
            tol = 0.01 * ((b**2).sum(-1) + (f_at**2).sum(-1)) + 0.5
            self.flows.append(b)
            self.masks.append((err <= tol).float()[0])

    def per_pair(self, frames: list[np.ndarray]) -> list[float]:
        torch = self.torch
        if len(frames) != len(self.flows) + 1 or frames[0].shape != self.shape:
            raise ValueError(
                f"expected {len(self.flows) + 1} frames of shape {self.shape}, got {len(frames)} of {frames[0].shape}"
            )
        t = [torch.from_numpy(np.ascontiguousarray(f)).permute(2, 0, 1)[None].float() / 255 for f in frames]
        out = []
        for flow, mask, prev, cur in zip(self.flows, self.masks, t[:-1], t[1:], strict=True):
            sq = ((cur - flow_warp(prev, flow)) ** 2).sum(1)[0]
            out.append(float((sq * mask).sum() / mask.sum().clamp(min=1)))
        return out

    def of(self, frames: list[np.ndarray]) -> float:
        return float(np.mean(self.per_pair(frames)))


def sharpness(frames: list[np.ndarray]) -> float:
    """Mean gradient magnitude of RGB uint8 frames (Sobel on the gray image, 0-255 scale): what a temporal filter
    that smears loses. A stabilized video's ratio to the same model's per-frame video is its loss of detail."""
    total = 0.0
    for f in frames:
        g = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32)
        gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
        total += float(cv2.magnitude(gx, gy).mean())
    return total / max(len(frames), 1)
