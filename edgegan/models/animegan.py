"""AnimeGANv2 and CartoonGAN generators, and the discriminator they share.

AnimeGANv2 (Chen, Liu & Chen 2020; TachibanaYoshino/AnimeGANv2), in the layout of the PyTorch port
bryandlee/animegan2-pytorch. A light encoder-decoder of conv-norm-LeakyReLU blocks and MobileNetV2-style
inverted residual blocks, with GroupNorm(1 group) (TensorFlow's layer norm over C, H, W)::

    block_a   c7s1-32, d3s2-64, c3s1-64                               (H/2)
    block_b   d3s2-128, c3s1-128                                      (H/4)
    block_c   c3s1-128, IRB(128->256), 3 x IRB(256->256), c3s1-128     (H/4)
    resize    bilinear to block_a's size (align_corners), block_d: 2 x c3s1-128
    resize    bilinear to the input size, block_e: c3s1-64, c3s1-64, c7s1-32
    out       1x1 conv to 3, tanh

Every stride-2 conv pads only right and bottom (TensorFlow "SAME"). The port's history has two decoder
resizes, both kept (``align_corners``): True (its ``Generator.forward`` default since Feb 2021, what its
torch.hub entry point and face2paint run) resizes bilinearly with aligned corners to the *measured* encoder
sizes, so any H, W >= 8 comes back at its own size (size_multiple 1); False (its first version, and its
test.py's default) doubles the size with half-pixel bilinear resizes, which needs H and W multiples of 4.
The published port has 2,143,552 parameters; ``animeganv2`` builds exactly that graph, with the port's
state-dict layout (``block_a.0.1.weight``, ...), so its released ``.pt`` files load with ``strict=True``.
Most of its 26 GMACs at 256x256 are in block_e and the 7x7 conv at full resolution.

CartoonGAN (Chen, Lai & Liu, CVPR 2018), as released in Yijunmaverick/CartoonGAN-Test-Pytorch-Torch
(network/Transformer.py)::

    c7s1-64, IN, ReLU | c3s2-128, c3s1-128, IN, ReLU | c3s2-256, c3s1-256, IN, ReLU
    8 residual blocks (reflect pad, c3-256, IN, ReLU, reflect pad, c3-256, IN, + x)
    t3s2-128, c3s1-128, IN, ReLU | t3s2-64, c3s1-64, IN, ReLU | c7s1-3, tanh

with affine instance norm (its own, epsilon 1e-9: ``eps``); 11,129,667 parameters (the reference's count).
Two stride-2 stages and transposed convs with output padding: H and W must be multiples of 4. The release
takes and returns BGR; ``edgegan import cartoongan`` folds that channel swap into the first and last convs.

Both: input and output NCHW float32 RGB in [-1, 1], output the input's size.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.nn.layers import make_norm, make_pad
from edgegan.registry import DISCRIMINATORS, MODELS

# --------------------------------------------------------------------------------------------------
# AnimeGANv2
# --------------------------------------------------------------------------------------------------


def _conv_norm_lrelu(
    in_ch: int, out_ch: int, kernel: int = 3, stride: int = 1, groups: int = 1, bias: bool = False
) -> nn.Sequential:
    """Reflect pad, conv, GroupNorm(1), LeakyReLU(0.2); index 1 is the conv and 2 the norm, as in the port.

    A stride-2 conv pads (left 0, right 1, top 0, bottom 1): TensorFlow's "SAME" for a 3x3 kernel at
    stride 2, which the released weights were trained with.
    """
    pad = (0, 1, 0, 1) if stride == 2 else kernel // 2
    return nn.Sequential(
        nn.ReflectionPad2d(pad),
        nn.Conv2d(in_ch, out_ch, kernel, stride=stride, groups=groups, bias=bias),
        nn.GroupNorm(1, out_ch, affine=True),
        nn.LeakyReLU(0.2, inplace=True),
    )


class InvertedResidual(nn.Module):
    """MobileNetV2's block (Sandler et al. 2018) with GroupNorm: 1x1 expand, 3x3 depthwise, 1x1 project.

    (N, in_ch, H, W) -> (N, out_ch, H, W); the skip connection only when in_ch == out_ch.
    """

    def __init__(self, in_ch: int, out_ch: int, expansion: float = 2.0):
        super().__init__()
        hidden = int(round(in_ch * expansion))
        layers: list[nn.Module] = []
        if expansion != 1:
            layers.append(_conv_norm_lrelu(in_ch, hidden, kernel=1))
        layers += [
            _conv_norm_lrelu(hidden, hidden, groups=hidden, bias=True),  # the port's depthwise conv has a bias
            nn.Conv2d(hidden, out_ch, 1, bias=False),
            nn.GroupNorm(1, out_ch, affine=True),  # linear bottleneck: no activation after the projection
        ]
        self.layers = nn.Sequential(*layers)
        self.residual = in_ch == out_ch

    def forward(self, x: Tensor) -> Tensor:
        out = self.layers(x)
        return x + out if self.residual else out


class AnimeGANv2Generator(nn.Module):
    """AnimeGANv2's generator. x: (N, 3, H, W) in [-1, 1], H, W >= 8 -> (N, 3, H, W) in [-1, 1].

    ``base_channels`` is the width of the first conv (32 in the paper; the encoder doubles it twice);
    ``n_blocks`` inverted residual blocks (4 in the paper; the first widens to 8 x base_channels).
    ``align_corners`` picks the decoder's bilinear resize: True (the default, the port's ``forward``
    default) resizes with aligned corners to the measured encoder sizes, any H, W; False scales by 2 with
    ``align_corners=False`` (the port's test.py default), H and W multiples of 4 (``size_multiple``).
    """

    size_multiple = 1  # 4 on instances built with align_corners=False

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 32,
        n_blocks: int = 4,
        expansion: float = 2.0,
        align_corners: bool = True,
    ):
        super().__init__()
        c = base_channels
        self.align_corners = align_corners
        self.size_multiple = 1 if align_corners else 4
        self.block_a = nn.Sequential(
            _conv_norm_lrelu(in_channels, c, kernel=7),
            _conv_norm_lrelu(c, 2 * c, stride=2),
            _conv_norm_lrelu(2 * c, 2 * c),
        )
        self.block_b = nn.Sequential(_conv_norm_lrelu(2 * c, 4 * c, stride=2), _conv_norm_lrelu(4 * c, 4 * c))
        blocks = [InvertedResidual(4 * c if i == 0 else 8 * c, 8 * c, expansion) for i in range(n_blocks)]
        self.block_c = nn.Sequential(_conv_norm_lrelu(4 * c, 4 * c), *blocks, _conv_norm_lrelu(8 * c, 4 * c))
        self.block_d = nn.Sequential(_conv_norm_lrelu(4 * c, 4 * c), _conv_norm_lrelu(4 * c, 4 * c))
        self.block_e = nn.Sequential(
            _conv_norm_lrelu(4 * c, 2 * c), _conv_norm_lrelu(2 * c, 2 * c), _conv_norm_lrelu(2 * c, c, kernel=7)
        )
        self.out_layer = nn.Sequential(nn.Conv2d(c, out_channels, 1, bias=False), nn.Tanh())

    def _up(self, x: Tensor, like: Tensor) -> Tensor:
        if self.align_corners:
            # Resize to the measured size (not "x2"): odd sizes round down in the encoder and come back
            # here. Exports as ONNX Resize(align_corners) with sizes taken from Shape, i.e. dynamic.
            return F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=True)
        return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)

    def forward(self, x: Tensor) -> Tensor:
        half = self.block_a(x)
        out = self.block_c(self.block_b(half))
        out = self.block_d(self._up(out, half))
        out = self.block_e(self._up(out, x))
        return self.out_layer(out)


# --------------------------------------------------------------------------------------------------
# CartoonGAN
# --------------------------------------------------------------------------------------------------


class _Residual(nn.Module):
    def __init__(self, channels: int, norm: str):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1),
            nn.Conv2d(channels, channels, 3),
            make_norm(norm, channels),
            nn.ReLU(inplace=True),
            nn.ReflectionPad2d(1),
            nn.Conv2d(channels, channels, 3),
            make_norm(norm, channels),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class CartoonGANGenerator(nn.Module):
    """CartoonGAN's generator. x: (N, 3, H, W) in [-1, 1], H, W multiples of 4 -> same shape in [-1, 1].

    The reference keeps conv biases in front of its (affine) instance norms, where they cancel; they are
    kept so the parameter count and a weight import match it. ``eps`` is the instance norms' epsilon:
    PyTorch's 1e-5 by default; the released weights were trained with (and import with) 1e-9.
    """

    size_multiple = 4

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 64,
        n_blocks: int = 8,
        norm: str = "instance_affine",
        eps: float = 1e-5,
    ):
        super().__init__()
        c = base_channels

        def stage(cin: int, cout: int, first: nn.Module) -> nn.Sequential:
            # Two convs then a single norm, as in the reference (the first conv changes the resolution).
            return nn.Sequential(first, nn.Conv2d(cout, cout, 3, padding=1), make_norm(norm, cout), nn.ReLU(True))

        pad, conv_pad = make_pad("reflect", 3)
        self.flat = nn.Sequential(
            pad, nn.Conv2d(in_channels, c, 7, padding=conv_pad), make_norm(norm, c), nn.ReLU(True)
        )
        self.down = nn.Sequential(
            stage(c, 2 * c, nn.Conv2d(c, 2 * c, 3, stride=2, padding=1)),
            stage(2 * c, 4 * c, nn.Conv2d(2 * c, 4 * c, 3, stride=2, padding=1)),
        )
        self.blocks = nn.Sequential(*[_Residual(4 * c, norm) for _ in range(n_blocks)])
        self.up = nn.Sequential(
            stage(4 * c, 2 * c, nn.ConvTranspose2d(4 * c, 2 * c, 3, stride=2, padding=1, output_padding=1)),
            stage(2 * c, c, nn.ConvTranspose2d(2 * c, c, 3, stride=2, padding=1, output_padding=1)),
        )
        pad, conv_pad = make_pad("reflect", 3)
        self.head = nn.Sequential(pad, nn.Conv2d(c, out_channels, 7, padding=conv_pad), nn.Tanh())
        for m in self.modules():
            if isinstance(m, nn.InstanceNorm2d):
                m.eps = eps

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.up(self.blocks(self.down(self.flat(x)))))


# --------------------------------------------------------------------------------------------------
# Discriminator (CartoonGAN's; AnimeGANv2 adds spectral norm and layer norm)
# --------------------------------------------------------------------------------------------------


class AnimeDiscriminator(nn.Module):
    """k3n32s1, LReLU, [k3n64s2, LReLU, k3n128s1, norm, LReLU], [k3n128s2, ..., k3n256s1, norm, LReLU],
    k3n256s1, norm, LReLU, k3n1s1 (for base 32, ``n_downsample`` 2).

    x: (N, in_channels, H, W) -> (N, 1, H / 2**n_downsample, W / 2**n_downsample) raw logits.
    ``norm="layer"`` is TensorFlow's layer norm over (C, H, W) (GroupNorm with one group), AnimeGANv2's
    choice; ``spectral`` wraps every conv in spectral norm (AnimeGANv2's ``sn=True``), which then has no bias.
    """

    def __init__(
        self,
        in_channels: int = 3,
        base_channels: int = 32,
        n_downsample: int = 2,
        norm: str = "layer",
        spectral: bool = True,
    ):
        super().__init__()

        def conv(cin: int, cout: int, stride: int = 1) -> nn.Module:
            layer = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=not spectral)
            return nn.utils.parametrizations.spectral_norm(layer) if spectral else layer

        def norm_layer(ch: int) -> nn.Module:
            return nn.GroupNorm(1, ch) if norm == "layer" else make_norm(norm, ch)

        c = base_channels
        layers: list[nn.Module] = [conv(in_channels, c), nn.LeakyReLU(0.2, True)]
        cin = c
        for _ in range(n_downsample):
            # stride-2 conv to 2c, then a stride-1 conv to 4c; the next stage starts from 4c.
            layers += [conv(cin, 2 * c, 2), nn.LeakyReLU(0.2, True), conv(2 * c, 4 * c), norm_layer(4 * c)]
            layers.append(nn.LeakyReLU(0.2, True))
            cin, c = 4 * c, 2 * c
        layers += [conv(cin, 2 * c), norm_layer(2 * c), nn.LeakyReLU(0.2, True), conv(2 * c, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


# --------------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------------

# H, W: anything with the default aligned-corners resize, multiples of 4 with the x2 one.
_ANIME = {"family": "animegan", "size_multiple": lambda args: 1 if args["align_corners"] else 4, "role": "generator"}
MODELS.register(
    "animeganv2",
    AnimeGANv2Generator,
    meta={
        **_ANIME,
        "reference": {
            "parameters": 2_143_552,
            "source": "bryandlee/animegan2-pytorch model.py Generator (port of TachibanaYoshino/AnimeGANv2)",
        },
    },
)
MODELS.register("test_animeganv2", AnimeGANv2Generator, base_channels=8, n_blocks=2, meta=_ANIME)

# CartoonGAN is a variant within the animegan family (AnimeGAN grew out of it: same discriminator and
# edge-promoting adversarial loss), so `edgegan models` lists six families.
_CARTOON = {"family": "animegan", "variant": "cartoongan", "size_multiple": 4, "role": "generator"}
MODELS.register(
    "cartoongan",
    CartoonGANGenerator,
    meta={
        **_CARTOON,
        "reference": {
            "parameters": 11_129_667,
            "source": "Yijunmaverick/CartoonGAN-Test-Pytorch-Torch network/Transformer.py (authors' released model)",
        },
    },
)
MODELS.register("test_cartoongan", CartoonGANGenerator, base_channels=8, n_blocks=2, meta=_CARTOON)

DISCRIMINATORS.register("animegan_d", AnimeDiscriminator)
DISCRIMINATORS.register("cartoongan_d", AnimeDiscriminator, norm="instance_affine", spectral=False)
DISCRIMINATORS.register("test_animegan_d", AnimeDiscriminator, base_channels=8)
DISCRIMINATORS.register(
    "test_cartoongan_d", AnimeDiscriminator, base_channels=8, norm="instance_affine", spectral=False
)
