"""Layer-instance norms of U-GAT-IT (Kim et al. 2020): AdaLIN and ILN.

Both mix an instance-normalised map (statistics per sample and channel, over H x W) with a
layer-normalised one (statistics per sample, over C x H x W) by a learned per-channel ratio rho:

    a_I = (a - mu_I) / sqrt(var_I + eps),   a_L = (a - mu_L) / sqrt(var_L + eps)
    out = gamma * (rho * a_I + (1 - rho) * a_L) + beta,   rho in [0, 1]

AdaLIN takes gamma and beta per sample from the generator's attention MLP (the "adaptive" part); ILN
learns them as ordinary parameters. The paper keeps rho in [0, 1] by clipping it after every optimizer
step (:func:`clip_rho`), not by a sigmoid, so the parameter itself is what the layer uses.

Variances are the biased (population) ones by default, as in ``nn.InstanceNorm2d``; ``unbiased=True``
divides by n - 1 instead, which is what znxlwm/UGATIT-pytorch computes (``torch.var``'s default), so that
imported generators match it exactly. Everything is written with mean/sum/sub/mul/sqrt so it exports to
plain ONNX ops with dynamic H and W (n - 1 is read from the input's shape at run time, not baked in).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def _reduce(x: Tensor, dims: tuple[int, ...], op: str) -> Tensor:
    """Mean or sum over ``dims`` (``(2, 3)`` or ``(1, 2, 3)``), over H x W first, then over C: two short
    float32 accumulations instead of one of C*H*W terms (ONNX Runtime sums plainly, not pairwise)."""
    out = getattr(x, op)(dim=(2, 3), keepdim=True)
    return getattr(out, op)(dim=1, keepdim=True) if 1 in dims else out


def _normalise(x: Tensor, dims: tuple[int, ...], eps: float, unbiased: bool = False) -> Tensor:
    centred = x - _reduce(x, dims, "mean")
    if unbiased:  # shape-derived count: symbolic under torch.export, so dynamic sizes stay exact in ONNX
        var = _reduce(centred.square(), dims, "sum") / (math.prod(x.shape[d] for d in dims) - 1)
    else:
        var = _reduce(centred.square(), dims, "mean")
    return centred / torch.sqrt(var + eps)


def layer_instance_mix(x: Tensor, rho: Tensor, eps: float, unbiased: bool = False) -> Tensor:
    """x: (N, C, H, W); rho: (1, C, 1, 1) -> rho * IN(x) + (1 - rho) * LN(x), same shape as x."""
    return rho * _normalise(x, (2, 3), eps, unbiased) + (1.0 - rho) * _normalise(x, (1, 2, 3), eps, unbiased)


class AdaLIN(nn.Module):
    """Adaptive layer-instance norm. rho starts at 0.9 (mostly instance norm), the reference's value."""

    def __init__(self, channels: int, eps: float = 1e-5, rho_init: float = 0.9, unbiased: bool = False):
        super().__init__()
        self.eps, self.unbiased = eps, unbiased
        self.rho = nn.Parameter(torch.full((1, channels, 1, 1), rho_init))

    def forward(self, x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """x: (N, C, H, W); gamma, beta: (N, C) -> (N, C, H, W)."""
        out = layer_instance_mix(x, self.rho, self.eps, self.unbiased)
        return out * gamma[:, :, None, None] + beta[:, :, None, None]


class ILN(nn.Module):
    """Layer-instance norm with learned affine parameters; rho starts at 0 (layer norm), as in the
    reference, for the up-sampling blocks where the paper wants layer norm's global statistics."""

    def __init__(self, channels: int, eps: float = 1e-5, rho_init: float = 0.0, unbiased: bool = False):
        super().__init__()
        self.eps, self.unbiased = eps, unbiased
        self.rho = nn.Parameter(torch.full((1, channels, 1, 1), rho_init))
        self.gamma = nn.Parameter(torch.ones(1, channels, 1, 1))
        self.beta = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, C, H, W) -> (N, C, H, W)."""
        return layer_instance_mix(x, self.rho, self.eps, self.unbiased) * self.gamma + self.beta


@torch.no_grad()
def clip_rho(module: nn.Module, low: float = 0.0, high: float = 1.0) -> None:
    """Clamp every AdaLIN/ILN rho inside ``module`` to [low, high], in place (after each G step)."""
    for m in module.modules():
        if isinstance(m, (AdaLIN, ILN)):
            m.rho.clamp_(low, high)
