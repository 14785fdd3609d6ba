"""Fast feed-forward students (after Johnson et al. 2016, "fast neural style"): the target of distillation,
pruning and quantization.

    c9s1-W, d2W, d4W, R4W x n_blocks, up(2) c3-2W, up(2) c3-W, c9s1-3, tanh

with W = ``base_channels`` (32 in the reference, 1.68 M parameters with affine instance norm). Up-sampling
is nearest-neighbour resize then convolution (no transposed-convolution checkerboards, and ONNX Resize is
supported by every runtime). Options matter for the hardware: ``norm="batch"`` folds into the convolutions
at export and ``padding="zeros"`` pads inside them, which is what lets INT8 kernels fuse on a CPU
(../shared/design/DEPLOY.md); ``instance_affine`` + ``reflect`` is the reference form.

Input and output: NCHW float32 RGB in [-1, 1]; H and W multiples of 4.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.nn.layers import conv_bias, make_norm, make_pad
from edgegan.registry import MODELS


def _conv(cin: int, cout: int, k: int, stride: int, norm: str, padding: str, act: bool = True) -> nn.Sequential:
    pad, conv_pad = make_pad(padding, k // 2)
    layers: list[nn.Module] = [pad, nn.Conv2d(cin, cout, k, stride=stride, padding=conv_pad, bias=conv_bias(norm))]
    layers.append(make_norm(norm, cout))
    if act:
        layers.append(nn.ReLU(True))
    return nn.Sequential(*layers)


class FastBlock(nn.Module):
    def __init__(self, channels: int, norm: str, padding: str):
        super().__init__()
        self.body = nn.Sequential(
            _conv(channels, channels, 3, 1, norm, padding), _conv(channels, channels, 3, 1, norm, padding, act=False)
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class Upsample(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return F.interpolate(x, scale_factor=2.0, mode="nearest")


class FastGenerator(nn.Module):
    size_multiple = 4

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 32,
        n_blocks: int = 5,
        norm: str = "instance_affine",
        padding: str = "reflect",
    ):
        super().__init__()
        W = base_channels
        self.encoder = nn.Sequential(
            _conv(in_channels, W, 9, 1, norm, padding),
            _conv(W, 2 * W, 3, 2, norm, padding),
            _conv(2 * W, 4 * W, 3, 2, norm, padding),
        )
        self.blocks = nn.Sequential(*[FastBlock(4 * W, norm, padding) for _ in range(n_blocks)])
        self.decoder = nn.Sequential(
            Upsample(), _conv(4 * W, 2 * W, 3, 1, norm, padding), Upsample(), _conv(2 * W, W, 3, 1, norm, padding)
        )
        pad, conv_pad = make_pad(padding, 4)
        self.head = nn.Sequential(pad, nn.Conv2d(W, out_channels, 9, padding=conv_pad), nn.Tanh())

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) in [-1, 1], H and W multiples of 4 -> (N, out_channels, H, W) in [-1, 1]."""
        return self.head(self.decoder(self.blocks(self.encoder(x))))


_META = {"family": "fast", "size_multiple": 4, "role": "student"}
MODELS.register(
    "fast_w32",
    FastGenerator,
    base_channels=32,
    meta=dict(
        _META, reference={"parameters": 1_679_235, "source": "pytorch/examples fast_neural_style TransformerNet"}
    ),
)
# Deployment-shaped students: batch norm (folded at export) and zero padding, at several widths.
MODELS.register("fast_w16", FastGenerator, base_channels=16, norm="batch", padding="zeros", meta=_META)
MODELS.register("fast_w8", FastGenerator, base_channels=8, norm="batch", padding="zeros", meta=_META)
MODELS.register("test_fast", FastGenerator, base_channels=4, n_blocks=2, meta=_META)
