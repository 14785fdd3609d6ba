"""DualGAN (Yi et al. 2017): two U-Net translators trained as duals, A -> B and B -> A.

The networks are pix2pix's U-Net (:mod:`edgegan.models.pix2pix`) in the configuration of DualGAN's
reference code (duxingren14/DualGAN, TensorFlow): 5x5 kernels, a per-image normalization with learned
scale and shift (its ``batch_norm`` takes moments over H and W, which is instance norm), biases on every
convolution, and dropout on the three deepest decoder levels starting at the bottleneck. One deliberate
difference: the reference also normalizes the 1x1 bottleneck, which zeroes it (instance statistics of a
single pixel); here the bottleneck is not normalized, as in pix2pix (1,024 parameters fewer).

:class:`DualGANTFGenerator` (``dualgan_tf``) is the reference's ``fcn()`` exactly, for checkpoints imported from
it (``edgegan import dualgan``): TensorFlow's "SAME" padding (which puts the odd pixel of an odd padding after
the image, where PyTorch's symmetric padding cannot), the normalized 1x1 bottleneck, eps 1e-6, and a kernel size
per layer (5x5 everywhere in the 2017 code, 3x3 inside with 5x5 first and last layers in the 2020 code).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.models.discriminators import PatchDiscriminator
from edgegan.models.pix2pix import UnetGenerator
from edgegan.registry import DISCRIMINATORS, MODELS

_DUAL = dict(kernel_size=5, norm="instance_affine", dropout=0.5, dropout_at_bottleneck=True)
# Counted from the reference's layer list (e1-e8, d1-d8 with weights and biases, 14 scale/center pairs):
# 85,022,787; without the bottleneck's scale/center pair: 85,021,763.
_REF = {"parameters": 85_022_787, "source": "duxingren14/DualGAN model.py fcn() at image_size 256, fcn_filter_dim 64"}
MODELS.register(
    "dualgan_unet256",
    UnetGenerator,
    n_down=8,
    **_DUAL,
    meta={"family": "dualgan", "size_multiple": 256, "role": "generator", "reference": _REF},
)
MODELS.register(
    "test_dualgan_unet",
    UnetGenerator,
    base_channels=8,
    n_down=5,
    **_DUAL,
    meta={"family": "dualgan", "size_multiple": 32, "role": "generator"},
)
# The reference critic: 5x5 convs, widths 64-128-256-512, the last two at stride 1, per-image norm.
DISCRIMINATORS.register("dualgan_critic", PatchDiscriminator, kernel_size=5, norm="instance_affine")
DISCRIMINATORS.register(
    "test_dualgan_critic", PatchDiscriminator, base_channels=8, n_layers=2, kernel_size=5, norm="instance_affine"
)


class SameConv2d(nn.Conv2d):
    """A stride-2 convolution padded like TensorFlow's "SAME" on even sizes: k - 2 zeros in all, the larger
    half after the image (bottom/right). ``tf_same=False`` pads (k - 1) // 2 on both sides, as PyTorch does."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, tf_same: bool = True):
        total = max(kernel_size - 2, 0)
        before, after = (total // 2, total - total // 2) if tf_same else ((kernel_size - 1) // 2,) * 2
        super().__init__(in_channels, out_channels, kernel_size, 2, padding=before if before == after else 0)
        self.side_pads = (before, after, before, after) if before != after else None

    def forward(self, x: Tensor) -> Tensor:
        return super().forward(F.pad(x, self.side_pads) if self.side_pads else x)


class SameConvTranspose2d(nn.ConvTranspose2d):
    """A stride-2 transposed convolution that doubles H and W like TensorFlow's ``conv2d_transpose`` with
    "SAME" padding: the adjoint of :class:`SameConv2d`. TF drops (k - 2) // 2 pixels of the full output before
    and the rest after; PyTorch's ``padding`` drops the same number on both sides, so an odd kernel leaves
    one extra pixel at the end, cropped here (``crop``). ``tf_same=False``: PyTorch's symmetric convention
    with ``output_padding`` (pix2pix's U-Net)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, tf_same: bool = True):
        if kernel_size < 2:
            raise ValueError(f"a stride-2 transposed convolution needs a kernel of at least 2, got {kernel_size}")
        if tf_same:
            pad, out_pad = (kernel_size - 2) // 2, 0
        else:
            pad, out_pad = (kernel_size - 1) // 2, kernel_size % 2
        super().__init__(in_channels, out_channels, kernel_size, 2, pad, output_padding=out_pad)
        # full output 2n - 2 + k, minus 2 * pad, minus 2n wanted
        self.crop = kernel_size - 2 - 2 * pad + out_pad if tf_same else 0

    def forward(self, x: Tensor) -> Tensor:
        y = super().forward(x)
        return y[:, :, : -self.crop, : -self.crop] if self.crop else y


class MomentNorm(nn.Module):
    """TensorFlow's ``(x - mean) * rsqrt(var + eps) * scale + center`` over H and W, written out so that it
    also takes the 1x1 bottleneck (which :class:`torch.nn.InstanceNorm2d` refuses; the result there is
    ``center``, as in the reference)."""

    def __init__(self, channels: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: Tensor) -> Tensor:
        mean = x.mean(dim=(2, 3), keepdim=True)
        var = (x - mean).square().mean(dim=(2, 3), keepdim=True)
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight[:, None, None] + self.bias[:, None, None]


class _Level(nn.Module):
    """activation -> (transposed) conv -> norm -> dropout, any of them optional but the conv."""

    def __init__(self, act: nn.Module | None, conv: nn.Module, norm: nn.Module | None, dropout: float = 0.0):
        super().__init__()
        self.act = act or nn.Identity()
        self.conv = conv
        self.norm = norm or nn.Identity()
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x: Tensor) -> Tensor:
        return self.drop(self.norm(self.conv(self.act(x))))


class DualGANTFGenerator(nn.Module):
    """duxingren14/DualGAN's ``fcn()`` generator, layer for layer.

    Encoder e1..e{n_down}: stride-2 convs (LeakyReLU 0.2 before all but e1), per-image norm after all but e1
    (the bottleneck included); decoder d1..d{n_down}: ReLU, stride-2 transposed conv, norm (not on the last),
    then the encoder features of the same resolution concatenated after; tanh out. Widths C, 2C, 4C, 8C, 8C...
    ``kernel_size`` for the inner layers, ``outer_kernel_size`` for e1 and the last decoder layer (default the
    same); ``dropout`` on d1-d3 (the reference's, active only when training here; 0 for imported weights).
    Input: NCHW RGB in [-1, 1], H and W multiples of 2**n_down.
    """

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 64,
        n_down: int = 8,
        kernel_size: int = 5,
        outer_kernel_size: int | None = None,
        eps: float = 1e-6,
        dropout: float = 0.0,
        tf_same: bool = True,
    ):
        super().__init__()
        if n_down < 2:
            raise ValueError(f"n_down must be at least 2, got {n_down}")
        self.size_multiple = 2**n_down
        C, k, k_out = base_channels, kernel_size, outer_kernel_size or kernel_size
        widths = [min(C * 2**i, C * 8) for i in range(n_down)]
        self.down = nn.ModuleList()
        for i, w in enumerate(widths):
            conv = SameConv2d(in_channels if i == 0 else widths[i - 1], w, k_out if i == 0 else k, tf_same)
            if i == 0:
                self.down.append(_Level(None, conv, None))
            else:
                norm = MomentNorm(w, eps) if i == n_down - 1 else nn.InstanceNorm2d(w, eps=eps, affine=True)
                self.down.append(_Level(nn.LeakyReLU(0.2), conv, norm))
        self.up = nn.ModuleList()
        for j in range(n_down):  # d1 .. d{n_down}; d{j+1} lands on the resolution of e{n_down - j - 1}
            level = n_down - 1 - j
            inner = widths[level] * (1 if j == 0 else 2)
            if level == 0:
                self.up.append(_Level(nn.ReLU(), SameConvTranspose2d(inner, out_channels, k_out, tf_same), None))
                continue
            w = widths[level - 1]
            norm = nn.InstanceNorm2d(w, eps=eps, affine=True)
            self.up.append(_Level(nn.ReLU(), SameConvTranspose2d(inner, w, k, tf_same), norm, dropout * (j < 3)))

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) in [-1, 1], H and W multiples of 2**n_down -> (N, out_channels, H, W)."""
        skips = []
        for level in self.down:
            x = level(x)
            skips.append(x)
        x = skips.pop()
        for level in self.up[:-1]:
            x = torch.cat([level(x), skips.pop()], dim=1)
        return torch.tanh(self.up[-1](x))


def _tf_meta(reference: dict | None = None) -> dict:
    meta = {"family": "dualgan", "size_multiple": lambda a: 2 ** a["n_down"], "role": "generator"}
    return {**meta, "reference": reference} if reference else meta


# The count in _REF above is this network's: 5x5 kernels, all 14 norms (the bottleneck's too).
MODELS.register("dualgan_tf", DualGANTFGenerator, meta=_tf_meta(_REF))
MODELS.register(
    "test_dualgan_tf",
    DualGANTFGenerator,
    base_channels=8,
    n_down=5,
    kernel_size=3,
    outer_kernel_size=5,
    meta=_tf_meta(),
)
