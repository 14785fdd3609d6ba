"""Discriminators shared by the image-to-image families.

PatchGAN (Isola et al. 2017): a fully convolutional net whose every output logit judges one receptive
field; with ``n_layers=3`` that field is 70x70 pixels. Outputs raw logits (the loss applies the sigmoid).
"""

from __future__ import annotations

from torch import Tensor, nn

from edgegan.nn.layers import conv_bias, make_norm
from edgegan.registry import DISCRIMINATORS


class PatchDiscriminator(nn.Module):
    def __init__(self, in_channels: int = 3, base_channels: int = 64, n_layers: int = 3, norm: str = "instance"):
        super().__init__()
        bias = conv_bias(norm)
        layers: list[nn.Module] = [
            nn.Conv2d(in_channels, base_channels, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2, True),
        ]
        ch = base_channels
        for i in range(1, n_layers + 1):
            out = base_channels * min(2**i, 8)
            stride = 2 if i < n_layers else 1  # the last hidden layer keeps resolution
            layers += [
                nn.Conv2d(ch, out, 4, stride=stride, padding=1, bias=bias),
                make_norm(norm, out),
                nn.LeakyReLU(0.2, True),
            ]
            ch = out
        layers.append(nn.Conv2d(ch, 1, 4, stride=1, padding=1))
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) -> (N, 1, h, w) patch logits."""
        return self.net(x)


DISCRIMINATORS.register("patchgan", PatchDiscriminator)
DISCRIMINATORS.register("test_patchgan", PatchDiscriminator, base_channels=8, n_layers=2)
