"""Test-only stand-in for bryandlee/animegan2-pytorch's ``model.py`` ``Generator`` (the AnimeGANv2 port).

Written from reading that file (commit 25d7b01 and its history), not copied: the same module tree, so the
same state-dict keys (``block_a.0.1.weight``, ``block_c.1.layers.1.1.bias``, ``out_layer.0.weight``, ...),
and the same forward, including both decoder resizes the repository has had:

- ``align_corners=True`` (``forward``'s default since commit 7e28180): bilinear with aligned corners to the
  size block_a produced, then to the input size;
- ``align_corners=False`` (the first commit; test.py's default): bilinear x2 with ``align_corners=False``.

Releases are ``torch.save(generator.state_dict(), "<name>.pt")``: one plain state dict.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn


class ConvNormLReLU(nn.Sequential):
    """[0] padding layer, [1] conv without padding of its own, [2] GroupNorm with one group, [3] LeakyReLU 0.2."""

    def __init__(self, cin, cout, kernel_size=3, stride=1, padding=1, pad_mode="reflect", groups=1, bias=False):
        pads = {"zero": nn.ZeroPad2d, "same": nn.ReplicationPad2d, "reflect": nn.ReflectionPad2d}
        super().__init__(
            pads[pad_mode](padding),
            nn.Conv2d(cin, cout, kernel_size, stride=stride, padding=0, groups=groups, bias=bias),
            nn.GroupNorm(1, cout, affine=True),
            nn.LeakyReLU(0.2, inplace=True),
        )


class InvertedResBlock(nn.Module):
    """1x1 expansion (ConvNormLReLU), depthwise 3x3 ConvNormLReLU with a bias, 1x1 projection + GroupNorm;
    the input is added back when the channel count does not change."""

    def __init__(self, cin, cout, expansion_ratio=2):
        super().__init__()
        self.use_res_connect = cin == cout
        mid = int(round(cin * expansion_ratio))
        seq = [ConvNormLReLU(cin, mid, kernel_size=1, padding=0)] if expansion_ratio != 1 else []
        seq.append(ConvNormLReLU(mid, mid, groups=mid, bias=True))
        seq.append(nn.Conv2d(mid, cout, kernel_size=1, padding=0, bias=False))
        seq.append(nn.GroupNorm(1, cout, affine=True))
        self.layers = nn.Sequential(*seq)

    def forward(self, x):
        y = self.layers(x)
        return x + y if self.use_res_connect else y


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        right_bottom = (0, 1, 0, 1)  # stride-2 convs are padded on the right and bottom only
        self.block_a = nn.Sequential(
            ConvNormLReLU(3, 32, kernel_size=7, padding=3),
            ConvNormLReLU(32, 64, stride=2, padding=right_bottom),
            ConvNormLReLU(64, 64),
        )
        self.block_b = nn.Sequential(ConvNormLReLU(64, 128, stride=2, padding=right_bottom), ConvNormLReLU(128, 128))
        self.block_c = nn.Sequential(
            ConvNormLReLU(128, 128),
            InvertedResBlock(128, 256, 2),
            *[InvertedResBlock(256, 256, 2) for _ in range(3)],
            ConvNormLReLU(256, 128),
        )
        self.block_d = nn.Sequential(ConvNormLReLU(128, 128), ConvNormLReLU(128, 128))
        self.block_e = nn.Sequential(
            ConvNormLReLU(128, 64), ConvNormLReLU(64, 64), ConvNormLReLU(64, 32, kernel_size=7, padding=3)
        )
        self.out_layer = nn.Sequential(nn.Conv2d(32, 3, kernel_size=1, stride=1, padding=0, bias=False), nn.Tanh())

    @staticmethod
    def _resize(x, size, align_corners):
        if align_corners:
            return F.interpolate(x, size, mode="bilinear", align_corners=True)
        return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)

    def forward(self, input, align_corners=True):
        half = self.block_a(input)
        y = self.block_c(self.block_b(half))
        y = self.block_d(self._resize(y, half.shape[-2:], align_corners))
        y = self.block_e(self._resize(y, input.shape[-2:], align_corners))
        return self.out_layer(y)
