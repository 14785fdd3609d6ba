"""CycleGAN's ResNet generator (Zhu et al. 2017, after Johnson et al. 2016).

    c7s1-C, d2C, d4C, R4C x n_blocks, u2C, uC, c7s1-3, tanh

Input and output: NCHW float32 RGB in [-1, 1]. Two stride-2 stages, so H and W must be multiples of 4
(``edgegan stylize`` pads and crops back). At base 64 with 9 blocks and instance norm without affine
parameters this is the reference's 11.378 M parameters; 49.5 GMACs at 256x256 in real arithmetic.
"""

from __future__ import annotations

from torch import Tensor, nn

from edgegan.nn.layers import conv_bias, make_norm, make_pad
from edgegan.registry import MODELS

SIZE_MULTIPLE = 4


class ResidualBlock(nn.Module):
    """x + body(x), body = pad, conv3x3, norm, ReLU, [dropout], pad, conv3x3, norm."""

    def __init__(self, channels: int, norm: str, padding: str, dropout: float):
        super().__init__()
        bias = conv_bias(norm)
        layers: list[nn.Module] = []
        for second in (False, True):
            pad, conv_pad = make_pad(padding, 1)
            layers += [pad, nn.Conv2d(channels, channels, 3, padding=conv_pad, bias=bias), make_norm(norm, channels)]
            if not second:
                layers.append(nn.ReLU(inplace=True))
                if dropout > 0:
                    layers.append(nn.Dropout(dropout))
        self.body = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class ResnetGenerator(nn.Module):
    """Encoder (two stride-2 convs), ``n_blocks`` residual blocks, decoder (two stride-2 transposed convs)."""

    size_multiple = SIZE_MULTIPLE

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 64,
        n_blocks: int = 9,
        norm: str = "instance",
        padding: str = "reflect",
        dropout: float = 0.0,
    ):
        super().__init__()
        C, bias = base_channels, conv_bias(norm)
        pad, conv_pad = make_pad(padding, 3)
        self.stem = nn.Sequential(
            pad, nn.Conv2d(in_channels, C, 7, padding=conv_pad, bias=bias), make_norm(norm, C), nn.ReLU(True)
        )
        down: list[nn.Module] = []
        for mult in (1, 2):
            down += [
                nn.Conv2d(C * mult, C * mult * 2, 3, stride=2, padding=1, bias=bias),
                make_norm(norm, C * mult * 2),
                nn.ReLU(True),
            ]
        self.down = nn.Sequential(*down)
        self.blocks = nn.Sequential(*[ResidualBlock(C * 4, norm, padding, dropout) for _ in range(n_blocks)])
        up: list[nn.Module] = []
        for mult in (4, 2):
            up += [
                nn.ConvTranspose2d(C * mult, C * mult // 2, 3, stride=2, padding=1, output_padding=1, bias=bias),
                make_norm(norm, C * mult // 2),
                nn.ReLU(True),
            ]
        self.up = nn.Sequential(*up)
        pad, conv_pad = make_pad(padding, 3)
        self.head = nn.Sequential(pad, nn.Conv2d(C, out_channels, 7, padding=conv_pad), nn.Tanh())

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) in [-1, 1], H and W multiples of 4 -> (N, out_channels, H, W) in [-1, 1]."""
        return self.head(self.up(self.blocks(self.down(self.stem(x)))))


_META = {"family": "cyclegan", "size_multiple": SIZE_MULTIPLE, "role": "generator"}
_SRC = "junyanz/pytorch-CycleGAN-and-pix2pix --netG resnet_{}blocks --norm instance (printed as {} M)"
MODELS.register(
    "cyclegan_resnet9",
    ResnetGenerator,
    n_blocks=9,
    meta=dict(_META, reference={"parameters": 11_378_179, "source": _SRC.format(9, "11.378")}),
)
MODELS.register(
    "cyclegan_resnet6",
    ResnetGenerator,
    n_blocks=6,
    meta=dict(_META, reference={"parameters": 7_837_699, "source": _SRC.format(6, "7.838")}),
)
# A tiny variant for tests and CPU smoke runs: same graph, a few thousand times cheaper.
MODELS.register("test_cyclegan_resnet", ResnetGenerator, base_channels=8, n_blocks=2, meta=_META)
