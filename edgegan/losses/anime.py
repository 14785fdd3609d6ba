"""AnimeGAN's image-space criteria and CartoonGAN's edge-smoothed cartoons.

- :func:`grayscale`: the grayscale cartoons AnimeGAN's style loss and discriminator see.
- :func:`color_loss`: AnimeGANv2's colour reconstruction in YUV: L1 on Y, Huber on U and V.
- :func:`total_variation`: AnimeGANv2's smoothness prior on the generated image.
- :func:`edge_smooth`: CartoonGAN's edge-promoting data (Chen et al. 2018, Sec. 3.2): detect edges with
  Canny, dilate them, Gaussian-blur the image inside the dilated region only. The result keeps the
  cartoon's flat colours but loses its crisp lines; the discriminator is taught to call it fake, which
  is what makes the generator draw clear edges. It is a data-side transform, computed once per image
  (see :class:`edgegan.training.animegan.EdgeSmoothedCartoons`), not a per-step loss.

Tensors are (N, 3, H, W) float32 RGB in [-1, 1] unless stated; images for :func:`edge_smooth` are
H x W x 3 uint8 RGB.
"""

from __future__ import annotations

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

# ITU-R BT.601 luma weights, as in TensorFlow's rgb_to_grayscale / rgb_to_yuv.
_LUMA = (0.299, 0.587, 0.114)
# TensorFlow's tf.image.rgb_to_yuv kernel (rows: Y, U, V), which AnimeGANv2's colour loss uses, on RGB in [0, 1].
_RGB_TO_YUV = (
    (0.299, 0.587, 0.114),
    (-0.14714119, -0.28886916, 0.43601035),
    (0.61497538, -0.51496512, -0.10001026),
)


def grayscale(x: Tensor) -> Tensor:
    """(N, 3, H, W) RGB in [-1, 1] -> (N, 3, H, W): the luma repeated in three channels, still in [-1, 1]."""
    w = torch.tensor(_LUMA, device=x.device, dtype=x.dtype).view(1, 3, 1, 1)
    return (x * w).sum(1, keepdim=True).expand(-1, 3, -1, -1).contiguous()


def rgb_to_yuv(x: Tensor) -> Tensor:
    """(N, 3, H, W) RGB in [-1, 1] -> (N, 3, H, W) YUV of the [0, 1] image: Y in [0, 1], U, V around 0."""
    m = torch.tensor(_RGB_TO_YUV, device=x.device, dtype=x.dtype)
    return torch.einsum("ij,njhw->nihw", m, (x + 1.0) * 0.5)


def color_loss(fake: Tensor, real: Tensor) -> Tensor:
    """AnimeGANv2: |Y(fake) - Y(real)|_1 + Huber(U) + Huber(V), Huber with delta 1 (TensorFlow's default).

    Keeps the photo's colours while the content loss (on VGG features) keeps its shapes.
    """
    a, b = rgb_to_yuv(fake.float()), rgb_to_yuv(real.float())
    return (
        F.l1_loss(a[:, 0], b[:, 0])
        + F.huber_loss(a[:, 1], b[:, 1], delta=1.0)
        + F.huber_loss(a[:, 2], b[:, 2], delta=1.0)
    )


def total_variation(x: Tensor) -> Tensor:
    """AnimeGANv2's TV: mean(dh^2) / 2 + mean(dw^2) / 2 (TensorFlow's l2_loss halves the sum of squares)."""
    x = x.float()
    dh = x[:, :, 1:, :] - x[:, :, :-1, :]
    dw = x[:, :, :, 1:] - x[:, :, :, :-1]
    return 0.5 * (dh.square().mean() + dw.square().mean())


def edge_mask(rgb: np.ndarray, low: int = 100, high: int = 200, dilate: int = 5) -> np.ndarray:
    """H x W x 3 uint8 RGB -> H x W bool: Canny edges of the gray image, dilated by a ``dilate`` square."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(gray, low, high)
    return cv2.dilate(edges, np.ones((dilate, dilate), np.uint8)) > 0


def edge_smooth(rgb: np.ndarray, kernel: int = 5, low: int = 100, high: int = 200) -> np.ndarray:
    """H x W x 3 uint8 RGB -> the same image with its edge regions Gaussian-blurred (``kernel`` x ``kernel``,
    sigma from the size as OpenCV does); pixels away from edges are returned unchanged.

    Canny thresholds 100/200 and a 5x5 dilation and blur follow the CartoonGAN data preparation the
    AnimeGAN authors reuse. The blur reads reflected borders, so edges at the image border are blurred too.
    """
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"edge_smooth expects an H x W x 3 uint8 image, got {rgb.dtype} {rgb.shape}")
    mask = edge_mask(rgb, low, high, kernel)
    blurred = cv2.GaussianBlur(rgb, (kernel, kernel), 0, borderType=cv2.BORDER_REFLECT_101)
    return np.where(mask[..., None], blurred, rgb)
