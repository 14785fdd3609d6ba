"""Test-only stand-in for Yijunmaverick/CartoonGAN-Test-Pytorch-Torch's ``network/Transformer.py``.

Written from reading that file and its test.py (commit e0414a3), not copied. The released
``{Hayao,Hosoda,Paprika,Shinkai}_net_G_float.pth`` are plain state dicts of this module, whose every layer is
a flat attribute:

    refpad01_1, conv01_1, in01_1                      7x7 conv after a reflection pad of 3
    conv02_1 (s2), conv02_2, in02_1                   3x3 convs with zero padding 1
    conv03_1 (s2), conv03_2, in03_1
    refpadKK_1, convKK_1, inKK_1, refpadKK_2, convKK_2, inKK_2   for KK = 04 .. 11: residual blocks
    deconv01_1 (transposed, s2, output padding 1), deconv01_2, in12_1
    deconv02_1 (transposed, s2, output padding 1), deconv02_2, in13_1
    refpad12_1, deconv03_1                            7x7 conv to 3 channels, tanh

Its instance norm is its own: parameters ``scale`` and ``shift``, biased variance, epsilon 1e-9 inside the
square root. test.py feeds BGR in [-1, 1] (ToTensor of the BGR array, then 2x - 1) and flips the output back
to RGB before ``* 0.5 + 0.5``: the network's output is BGR in [-1, 1].
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class InstanceNormalization(nn.Module):
    def __init__(self, dim, eps=1e-9):
        super().__init__()
        self.scale = nn.Parameter(torch.empty(dim).uniform_())
        self.shift = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        n, c, h, w = x.shape
        flat = x.reshape(n, c, h * w)
        mean = flat.mean(2).reshape(n, c, 1, 1)
        # unbiased variance rescaled to the biased one, as the original does
        var = flat.var(2).reshape(n, c, 1, 1) * ((h * w - 1) / float(h * w))
        y = (x - mean) / torch.sqrt(var + self.eps)
        return y * self.scale.reshape(1, c, 1, 1) + self.shift.reshape(1, c, 1, 1)


RES_BLOCKS = range(4, 12)  # convKK_1 / convKK_2 for KK = 04 .. 11


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.refpad01_1 = nn.ReflectionPad2d(3)
        self.conv01_1 = nn.Conv2d(3, 64, 7)
        self.in01_1 = InstanceNormalization(64)
        self.conv02_1 = nn.Conv2d(64, 128, 3, 2, 1)
        self.conv02_2 = nn.Conv2d(128, 128, 3, 1, 1)
        self.in02_1 = InstanceNormalization(128)
        self.conv03_1 = nn.Conv2d(128, 256, 3, 2, 1)
        self.conv03_2 = nn.Conv2d(256, 256, 3, 1, 1)
        self.in03_1 = InstanceNormalization(256)
        for k in RES_BLOCKS:
            for j in (1, 2):
                setattr(self, f"refpad{k:02d}_{j}", nn.ReflectionPad2d(1))
                setattr(self, f"conv{k:02d}_{j}", nn.Conv2d(256, 256, 3))
                setattr(self, f"in{k:02d}_{j}", InstanceNormalization(256))
        self.deconv01_1 = nn.ConvTranspose2d(256, 128, 3, 2, 1, 1)
        self.deconv01_2 = nn.Conv2d(128, 128, 3, 1, 1)
        self.in12_1 = InstanceNormalization(128)
        self.deconv02_1 = nn.ConvTranspose2d(128, 64, 3, 2, 1, 1)
        self.deconv02_2 = nn.Conv2d(64, 64, 3, 1, 1)
        self.in13_1 = InstanceNormalization(64)
        self.refpad12_1 = nn.ReflectionPad2d(3)
        self.deconv03_1 = nn.Conv2d(64, 3, 7)

    def _half(self, k, j, x):
        return getattr(self, f"in{k:02d}_{j}")(
            getattr(self, f"conv{k:02d}_{j}")(getattr(self, f"refpad{k:02d}_{j}")(x))
        )

    def forward(self, x):
        y = F.relu(self.in01_1(self.conv01_1(self.refpad01_1(x))))
        y = F.relu(self.in02_1(self.conv02_2(self.conv02_1(y))))
        y = F.relu(self.in03_1(self.conv03_2(self.conv03_1(y))))
        for k in RES_BLOCKS:
            y = y + self._half(k, 2, F.relu(self._half(k, 1, y)))
        y = F.relu(self.in12_1(self.deconv01_2(self.deconv01_1(y))))
        y = F.relu(self.in13_1(self.deconv02_2(self.deconv02_1(y))))
        return torch.tanh(self.deconv03_1(self.refpad12_1(y)))
