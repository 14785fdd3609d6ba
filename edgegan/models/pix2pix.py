"""pix2pix's U-Net generator (Isola et al. 2017), also DualGAN's generator.

An encoder of ``n_down`` stride-2 4x4 convolutions (LeakyReLU 0.2) and a mirror decoder of stride-2 4x4
transposed convolutions (ReLU) in which every level concatenates the encoder features of the same
resolution (the skip connections that carry low-level detail straight across). Widths:
C, 2C, 4C, 8C, then 8C for every further level. Dropout 0.5 on the 8C decoder levels just above the
bottleneck (three of them in unet_256) is the GAN's only noise source, as in the paper. Batch norm
everywhere but the first encoder layer and the bottleneck.

BatchNorm statistics (``bn``, batch norm only): ``eval`` normalizes with the running statistics, as any
network in eval mode; ``instance`` normalizes every image by its own per-channel mean and variance and then
applies the learned BatchNorm scale and shift (an affine instance norm with the same two parameters per
channel, no running statistics). That is what the pix2pix reference's test script computes by default, where
BatchNorm stays in training mode at batch size 1, and what the paper prescribes ("test batch" statistics);
unlike training-mode BatchNorm it stays per image when edgegan batches several images.

Input and output: NCHW float32 RGB in [-1, 1]; H and W must be multiples of 2**n_down (256 for unet_256,
whose bottleneck is 1x1 at 256x256). unet_256 at base 64 with batch norm is the reference's 54,413,955
parameters (with either ``bn``).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from edgegan.nn.layers import conv_bias, make_norm
from edgegan.registry import MODELS

BN_STATS = ("eval", "instance")


def _norm(norm: str, bn: str, channels: int) -> nn.Module:
    """The norm layer; batch norm with ``bn="instance"`` becomes per-image normalization with the BatchNorm's
    scale and shift (parameters ``weight`` and ``bias``, as BatchNorm's)."""
    if norm == "batch" and bn == "instance":
        return nn.InstanceNorm2d(channels, affine=True, track_running_stats=False)
    return make_norm(norm, channels)


class UnetGenerator(nn.Module):
    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 64,
        n_down: int = 8,
        norm: str = "batch",
        dropout: float = 0.5,
        kernel_size: int = 4,
        dropout_at_bottleneck: bool = False,
        bn: str = "eval",
    ):
        super().__init__()
        if bn not in BN_STATS:
            raise ValueError(f"bn must be one of {', '.join(BN_STATS)}, got {bn!r}")
        if n_down < 5:
            raise ValueError(f"n_down must be at least 5 (the four widening levels and a bottleneck), got {n_down}")
        self.size_multiple = 2**n_down
        C, bias = base_channels, conv_bias(norm)
        # 4x4 (pix2pix) or 5x5 (DualGAN's reference): both halve/double the resolution exactly.
        k, pad = kernel_size, (kernel_size - 1) // 2
        out_pad = 1 if kernel_size % 2 else 0
        widths = [min(C * 2**i, C * 8) for i in range(n_down)]  # encoder output widths, level 0 .. n_down-1
        self.down = nn.ModuleList()
        for i, w in enumerate(widths):
            prev = in_channels if i == 0 else widths[i - 1]
            layers: list[nn.Module] = [] if i == 0 else [nn.LeakyReLU(0.2, True)]
            # The first layer sees raw pixels and the bottleneck is 1x1: neither is normalized (and, as in the
            # reference, neither has a bias when the norm is batch norm).
            layers.append(nn.Conv2d(prev, w, k, stride=2, padding=pad, bias=bias))
            if 0 < i < n_down - 1:
                layers.append(_norm(norm, bn, w))
            self.down.append(nn.Sequential(*layers))
        self.up = nn.ModuleList()
        for i in reversed(range(n_down)):
            # Decoder level i maps to the resolution of encoder level i-1 (or the output).
            inner = widths[i] if i == n_down - 1 else widths[i] * 2  # skip concatenation doubles the input
            if i == 0:
                self.up.append(
                    nn.Sequential(
                        nn.ReLU(True),
                        nn.ConvTranspose2d(inner, out_channels, k, 2, pad, output_padding=out_pad),
                        nn.Tanh(),
                    )
                )
                continue
            layers = [
                nn.ReLU(True),
                nn.ConvTranspose2d(inner, widths[i - 1], k, 2, pad, output_padding=out_pad, bias=bias),
                _norm(norm, bn, widths[i - 1]),
            ]
            # Dropout on three 8C levels: just above the bottleneck's own up-convolution (pix2pix) or starting
            # with it (DualGAN's reference code).
            first = n_down - 1 if dropout_at_bottleneck else n_down - 2
            if dropout > 0 and first - 2 <= i <= first and i >= 4:
                layers.append(nn.Dropout(dropout))
            self.up.append(nn.Sequential(*layers))

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) in [-1, 1], H and W multiples of 2**n_down -> (N, out_channels, H, W)."""
        skips = []
        for layer in self.down:
            x = layer(x)
            skips.append(x)
        x = self.up[0](skips.pop())
        for layer in self.up[1:]:
            x = layer(torch.cat([x, skips.pop()], dim=1))
        return x


def _meta(n_down: int, family: str, reference: dict | None = None) -> dict:
    meta = {"family": family, "size_multiple": 2**n_down, "role": "generator"}
    if reference:
        meta["reference"] = reference
    return meta


_REF = "junyanz/pytorch-CycleGAN-and-pix2pix --netG unet_256 --norm batch: 54,413,955 parameters (54.414 M)"
MODELS.register(
    "pix2pix_unet256", UnetGenerator, n_down=8, meta=_meta(8, "pix2pix", {"parameters": 54_413_955, "source": _REF})
)
MODELS.register(
    "pix2pix_unet128",
    UnetGenerator,
    n_down=7,
    meta=_meta(7, "pix2pix", {"parameters": 41_828_995, "source": "same reference, --netG unet_128"}),
)
MODELS.register("test_pix2pix_unet", UnetGenerator, base_channels=8, n_down=5, meta=_meta(5, "pix2pix"))
