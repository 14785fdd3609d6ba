"""U-GAT-IT (Kim et al. 2020): unsupervised image-to-image translation with attention (CAM) and AdaLIN.

Generator, top to bottom (C = ``base_channels``, B = ``n_blocks``, S = H = W for the full version)::

    encoder   pad3 conv7 C, IN, ReLU; 2 x (pad1 conv3/2 -> 2C, 4C, IN, ReLU); B x residual(IN)   (N, 4C, H/4, W/4)
    CAM       auxiliary classifier on global average and max pooling of the features: two logits
              "is this the source domain?"; its weights rescale the feature channels (attention),
              a 1x1 conv fuses the two rescaled copies, ReLU; heatmap = channel sum   (N, 1, H/4, W/4)
    MLP       features -> gamma, beta (N, 4C): the full version flattens the whole map into one
              fully connected layer ((S/4)^2 * 4C inputs: 268 M weights at 256, hence a fixed input
              size); the light version average-pools first (any size)
    decoder   B x residual(AdaLIN(gamma, beta)); 2 x (nearest x2, pad1 conv3, ILN, ReLU);
              pad3 conv7 -> out_channels, tanh

Convolutions have no bias (every one is followed by a norm, or is the last layer), as in the reference.
``unbiased_variance=True`` makes AdaLIN and ILN divide by n - 1 like the reference's ``torch.var`` (set by
``edgegan import ugatit``; edgegan's own training keeps the default, the biased variance).
``forward`` returns ``(image, cam_logit, heatmap)`` like the reference; :meth:`export_module` gives the
image-only module that ONNX and the runtimes see.

Discriminator: spectral-normalised PatchGAN-like convs (stride 2, then one stride 1), the same CAM
block (leaky ReLU), and a 4x4 conv to one logit map. U-GAT-IT trains a global one (7 layers: a
~286-pixel field at 256) and a local one (5 layers: ~70 pixels) per domain.

Reference sizes (znxlwm/UGATIT-pytorch, networks.py at 256x256, ngf 64, n_res 4 from main.py),
computed from its layer layout: full G 278,959,808 parameters (268,435,456 in the first MLP layer),
light G 10,589,888; global D 53,130,176 and local D 3,290,560 (spectral norm's u/v are buffers).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.parametrizations import spectral_norm

from edgegan.errors import EdgeganError
from edgegan.nn.adalin import ILN, AdaLIN
from edgegan.registry import DISCRIMINATORS, MODELS

SIZE_MULTIPLE = 4  # two stride-2 stages
SOURCE = "znxlwm/UGATIT-pytorch networks.py (ngf=64, n_res=4 as in its main.py, img_size=256), counted from its layout"


def _conv(cin: int, cout: int, k: int, stride: int = 1, bias: bool = False) -> list[nn.Module]:
    """Reflection pad (k // 2, or 1 for 4x4) then an unpadded conv: no zero border artefacts."""
    return [nn.ReflectionPad2d(k // 2 if k % 2 else 1), nn.Conv2d(cin, cout, k, stride=stride, bias=bias)]


class ResidualIN(nn.Module):
    """Encoder block: x + [conv3, IN, ReLU, conv3, IN](x)."""

    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(
            *_conv(channels, channels, 3),
            nn.InstanceNorm2d(channels),
            nn.ReLU(True),
            *_conv(channels, channels, 3),
            nn.InstanceNorm2d(channels),
        )

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


class ResidualAdaLIN(nn.Module):
    """Decoder block: x + [conv3, AdaLIN, ReLU, conv3, AdaLIN](x), gamma/beta from the MLP."""

    def __init__(self, channels: int, unbiased: bool = False):
        super().__init__()
        self.conv1 = nn.Sequential(*_conv(channels, channels, 3))
        self.norm1 = AdaLIN(channels, unbiased=unbiased)
        self.conv2 = nn.Sequential(*_conv(channels, channels, 3))
        self.norm2 = AdaLIN(channels, unbiased=unbiased)

    def forward(self, x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """x: (N, C, h, w); gamma, beta: (N, C)."""
        out = F.relu(self.norm1(self.conv1(x), gamma, beta))
        return x + self.norm2(self.conv2(out), gamma, beta)


class CAMAttention(nn.Module):
    """Class activation map attention (Zhou et al. 2016, as used by U-GAT-IT).

    Two bias-free linear classifiers on the average- and max-pooled features give the auxiliary logits;
    their weight vectors (one weight per channel: how much the channel says "source domain") rescale
    the feature map, and a 1x1 conv fuses the two rescaled copies back to ``channels``.
    """

    def __init__(self, channels: int, spectral: bool = False, leaky: float = 0.0):
        super().__init__()
        sn = spectral_norm if spectral else (lambda m: m)
        self.avg_fc = sn(nn.Linear(channels, 1, bias=False))
        self.max_fc = sn(nn.Linear(channels, 1, bias=False))
        self.fuse = nn.Conv2d(2 * channels, channels, 1, bias=True)
        self.leaky = leaky

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """x: (N, C, h, w) -> (features (N, C, h, w), cam_logit (N, 2), heatmap (N, 1, h, w))."""
        # Read each weight once: under spectral norm every read is one power iteration.
        w_avg, w_max = self.avg_fc.weight, self.max_fc.weight  # (1, C)
        cam_logit = torch.cat([F.linear(x.mean(dim=(2, 3)), w_avg), F.linear(x.amax(dim=(2, 3)), w_max)], 1)
        x = torch.cat([x * w_avg[:, :, None, None], x * w_max[:, :, None, None]], 1)
        x = self.fuse(x)
        x = F.leaky_relu(x, self.leaky) if self.leaky else F.relu(x)
        return x, cam_logit, x.sum(dim=1, keepdim=True)


class UGATITGenerator(nn.Module):
    """x: (N, in_channels, H, W) float32 in [-1, 1] -> (image (N, out_channels, H, W) in [-1, 1],
    cam_logit (N, 2), heatmap (N, 1, H/4, W/4)).

    ``light=False`` (the paper's full model) needs H = W = ``image_size``; ``light=True`` takes any
    H and W that are multiples of 4. ``image_size`` is unused by the light version.
    """

    size_multiple = SIZE_MULTIPLE

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        base_channels: int = 64,
        n_blocks: int = 4,
        light: bool = False,
        image_size: int = 256,
        unbiased_variance: bool = False,
    ):
        super().__init__()
        if not light and (image_size < SIZE_MULTIPLE or image_size % SIZE_MULTIPLE):
            raise EdgeganError(f"image_size must be a positive multiple of {SIZE_MULTIPLE}, got {image_size}")
        C, D = base_channels, base_channels * 4
        self.light, self.image_size = light, image_size
        enc: list[nn.Module] = [*_conv(in_channels, C, 7), nn.InstanceNorm2d(C), nn.ReLU(True)]
        for cin in (C, 2 * C):
            enc += [*_conv(cin, 2 * cin, 3, stride=2), nn.InstanceNorm2d(2 * cin), nn.ReLU(True)]
        enc += [ResidualIN(D) for _ in range(n_blocks)]
        self.encoder = nn.Sequential(*enc)
        self.cam = CAMAttention(D)
        mlp_in = D if light else (image_size // SIZE_MULTIPLE) ** 2 * D
        self.mlp = nn.Sequential(
            nn.Linear(mlp_in, D, bias=False), nn.ReLU(True), nn.Linear(D, D, bias=False), nn.ReLU(True)
        )
        self.gamma = nn.Linear(D, D, bias=False)
        self.beta = nn.Linear(D, D, bias=False)
        self.blocks = nn.ModuleList(ResidualAdaLIN(D, unbiased_variance) for _ in range(n_blocks))
        up: list[nn.Module] = []
        for cin in (D, D // 2):
            iln = ILN(cin // 2, unbiased=unbiased_variance)
            up += [nn.Upsample(scale_factor=2, mode="nearest"), *_conv(cin, cin // 2, 3), iln, nn.ReLU(True)]
        up += [*_conv(C, out_channels, 7), nn.Tanh()]
        self.decoder = nn.Sequential(*up)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        if not self.light and tuple(x.shape[2:]) != (self.image_size, self.image_size):
            raise EdgeganError(
                f"full U-GAT-IT takes {self.image_size}x{self.image_size} inputs only (its MLP is fully "
                f"connected over the feature map), got {tuple(x.shape[2:])}; resize, or use ugatit_light"
            )
        feats, cam_logit, heatmap = self.cam(self.encoder(x))
        style = feats.mean(dim=(2, 3)) if self.light else feats.flatten(1)
        style = self.mlp(style)
        gamma, beta = self.gamma(style), self.beta(style)
        for block in self.blocks:
            feats = block(feats, gamma, beta)
        return self.decoder(feats), cam_logit, heatmap

    def export_module(self) -> nn.Module:
        """The image-in/image-out module (same weights) for ONNX and the runtimes."""
        return ImageOnly(self)


class ImageOnly(nn.Module):
    """Wraps a U-GAT-IT generator; forward returns the translated image only."""

    def __init__(self, generator: UGATITGenerator):
        super().__init__()
        self.generator = generator
        self.size_multiple = generator.size_multiple

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, 3, H, W) in [-1, 1] -> (N, 3, H, W) in [-1, 1]."""
        return self.generator(x)[0]


class UGATITDiscriminator(nn.Module):
    """x: (N, in_channels, H, W) -> (patch logits (N, 1, h, w), cam_logit (N, 2), heatmap (N, 1, h', w')).

    ``n_layers - 2`` stride-2 convs, one stride-1 conv, CAM, a 4x4 logit conv; widths double each
    layer from ``base_channels``. Spectral norm on every conv and CAM classifier (not on the 1x1 fuse),
    as in the reference. Raw logits: the objective uses least squares.
    """

    def __init__(self, in_channels: int = 3, base_channels: int = 64, n_layers: int = 7):
        super().__init__()
        if n_layers < 3:
            raise EdgeganError(f"n_layers must be at least 3, got {n_layers}")
        C = base_channels
        layers: list[nn.Module] = []
        cin, cout = in_channels, C
        for _ in range(n_layers - 2):
            pad, conv = _conv(cin, cout, 4, stride=2, bias=True)
            layers += [pad, spectral_norm(conv), nn.LeakyReLU(0.2, True)]
            cin, cout = cout, cout * 2
        pad, conv = _conv(cin, cout, 4, stride=1, bias=True)
        layers += [pad, spectral_norm(conv), nn.LeakyReLU(0.2, True)]
        self.features = nn.Sequential(*layers)
        self.cam = CAMAttention(cout, spectral=True, leaky=0.2)
        pad, conv = _conv(cout, 1, 4, bias=False)
        self.head = nn.Sequential(pad, spectral_norm(conv))

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        feats, cam_logit, heatmap = self.cam(self.features(x))
        return self.head(feats), cam_logit, heatmap


def _full_size(args: dict[str, Any]) -> int:
    return int(args["image_size"])


def _meta(parameters: int | None = None, **extra) -> dict[str, Any]:
    meta = {"family": "ugatit", "size_multiple": SIZE_MULTIPLE, "role": "generator", **extra}
    if parameters:
        meta["reference"] = {"parameters": parameters, "source": SOURCE}
    return meta


# Full = light - 256*256 + (64*64*256)*256: only the first MLP layer differs (65,536 -> 268,435,456 weights).
MODELS.register("ugatit_full", UGATITGenerator, light=False, meta=_meta(278_959_808, fixed_size=_full_size))
MODELS.register("ugatit_light", UGATITGenerator, light=True, meta=_meta(10_589_888))
# Tiny, for tests and CPU smoke runs: same graph (light), a few thousand times cheaper.
MODELS.register("test_ugatit", UGATITGenerator, light=True, base_channels=8, n_blocks=2, meta=_meta())

_D_SOURCE = "znxlwm/UGATIT-pytorch networks.py Discriminator (ndf=64), counted from its layout"


def _d_meta(parameters: int) -> dict[str, Any]:
    return {"family": "ugatit", "reference": {"parameters": parameters, "source": _D_SOURCE}}


DISCRIMINATORS.register("ugatit_global", UGATITDiscriminator, n_layers=7, meta=_d_meta(53_130_176))
DISCRIMINATORS.register("ugatit_local", UGATITDiscriminator, n_layers=5, meta=_d_meta(3_290_560))
# For 64-pixel smoke crops: the 7-layer global D would shrink a 64x64 input below its 4x4 kernels.
DISCRIMINATORS.register("test_ugatit_global", UGATITDiscriminator, base_channels=8, n_layers=5)
DISCRIMINATORS.register("test_ugatit_local", UGATITDiscriminator, base_channels=8, n_layers=3)
