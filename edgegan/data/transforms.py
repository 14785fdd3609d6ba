"""Training transforms: resize, random crop, flip, to [-1, 1].

Paired data needs the same crop and flip on both sides, so a transform first draws its random
parameters and then applies them to any number of images.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from edgegan.errors import EdgeganError


def pil_to_tensor(image: Image.Image) -> torch.Tensor:
    """PIL RGB -> (3, H, W) float32 in [-1, 1]."""
    arr = np.asarray(image, dtype=np.float32)
    return torch.from_numpy(arr.transpose(2, 0, 1).copy()).div_(127.5).sub_(1.0)


def tensor_to_uint8(x: torch.Tensor) -> np.ndarray:
    """(3, H, W) in [-1, 1] -> HxWx3 uint8."""
    return ((x.detach().float().clamp(-1, 1) + 1) * 127.5).round().byte().permute(1, 2, 0).cpu().numpy()


@dataclass
class PairTransform:
    """Resize the short side to ``load_size``, crop ``crop_size`` (random when training), maybe flip."""

    load_size: int = 286
    crop_size: int = 256
    flip: bool = True
    train: bool = True

    def __post_init__(self):
        if self.crop_size > self.load_size:
            raise EdgeganError(f"crop_size {self.crop_size} is larger than load_size {self.load_size}")

    def _resize(self, image: Image.Image) -> Image.Image:
        w, h = image.size
        s = self.load_size / min(w, h)
        return image.resize((max(self.load_size, round(w * s)), max(self.load_size, round(h * s))), Image.BICUBIC)

    def __call__(self, *images: Image.Image, rng: random.Random | None = None) -> list[torch.Tensor]:
        rng = rng or random
        resized = [self._resize(im) for im in images]
        w, h = resized[0].size
        c = self.crop_size
        if self.train:
            x, y = rng.randint(0, w - c), rng.randint(0, h - c)
            flip = self.flip and rng.random() < 0.5
        else:
            x, y, flip = (w - c) // 2, (h - c) // 2, False
        out = []
        for im in resized:
            if im.size != (w, h):
                im = im.resize((w, h), Image.BICUBIC)
            im = im.crop((x, y, x + c, y + c))
            if flip:
                im = im.transpose(Image.FLIP_LEFT_RIGHT)
            out.append(pil_to_tensor(im))
        return out
