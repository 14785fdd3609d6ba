"""Discriminators shared by the image-to-image families.

PatchGAN (Isola et al. 2017): a fully convolutional net whose every output logit judges one receptive
field; with ``n_layers=3`` that field is 70x70 pixels. PixelGAN: the 1x1 case. Both output raw logits
(the loss applies the sigmoid, or none for a Wasserstein critic). Conditional GANs (pix2pix) feed the
input and the output concatenated: ``in_channels`` = input + output channels.
"""

from __future__ import annotations

from torch import Tensor, nn

from edgegan.nn.layers import conv_bias, make_norm
from edgegan.registry import DISCRIMINATORS


class PatchDiscriminator(nn.Module):
    def __init__(
        self,
        in_channels: int = 3,
        base_channels: int = 64,
        n_layers: int = 3,
        norm: str = "instance",
        kernel_size: int = 4,
    ):
        super().__init__()
        bias = conv_bias(norm)
        k, pad = kernel_size, (kernel_size - 1) // 2
        layers: list[nn.Module] = [
            nn.Conv2d(in_channels, base_channels, k, stride=2, padding=pad),
            nn.LeakyReLU(0.2, True),
        ]
        ch = base_channels
        for i in range(1, n_layers + 1):
            out = base_channels * min(2**i, 8)
            stride = 2 if i < n_layers else 1  # the last hidden layer keeps resolution
            layers += [
                nn.Conv2d(ch, out, k, stride=stride, padding=pad, bias=bias),
                make_norm(norm, out),
                nn.LeakyReLU(0.2, True),
            ]
            ch = out
        layers.append(nn.Conv2d(ch, 1, k, stride=1, padding=pad))
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) -> (N, 1, h, w) patch logits."""
        return self.net(x)


class PixelDiscriminator(nn.Module):
    """1x1 PatchGAN ("PixelGAN" in the pix2pix paper): judges every pixel's colour on its own."""

    def __init__(self, in_channels: int = 3, base_channels: int = 64, norm: str = "batch"):
        super().__init__()
        bias = conv_bias(norm)
        self.net = nn.Sequential(
            nn.Conv2d(in_channels, base_channels, 1),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(base_channels, base_channels * 2, 1, bias=bias),
            make_norm(norm, base_channels * 2),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(base_channels * 2, 1, 1, bias=bias),
        )

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) -> (N, 1, H, W) per-pixel logits."""
        return self.net(x)


DISCRIMINATORS.register("patchgan", PatchDiscriminator)
DISCRIMINATORS.register("pixelgan", PixelDiscriminator)
DISCRIMINATORS.register("test_patchgan", PatchDiscriminator, base_channels=8, n_layers=2)
