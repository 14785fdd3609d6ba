"""Folder datasets in the three layouts of the image-to-image literature.

- ``unpaired``:       root/trainA, root/trainB (and testA, testB): CycleGAN, DualGAN, U-GAT-IT.
- ``paired_ab``:      root/train/*.jpg, each image A and B side by side: pix2pix's facades, edges2shoes.
- ``paired_folders``: root/train/A, root/train/B (or root/A, root/B) with matching file names.
- ``images``:         root/train/*.png (or root/*.png): one domain, for unconditional generators.

Items are dicts: ``{"A": (3, H, W) float32 in [-1, 1], "B": ..., "A_path": str, "B_path": str}``.
"""

from __future__ import annotations

import random
from pathlib import Path

import torch
from torch.utils.data import Dataset

from edgegan.data.transforms import PairTransform
from edgegan.errors import EdgeganError
from edgegan.media import list_images, load_image
from edgegan.registry import DATASETS


def _images(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise EdgeganError(f"dataset folder not found: {str(folder)!r}")
    files = list_images(folder)
    if not files:
        raise EdgeganError(f"no images in {str(folder)!r}")
    return files


class UnpairedDataset(Dataset):
    """A from ``<split>A``, B drawn at random from ``<split>B``; the length is the larger domain's."""

    def __init__(
        self, root: str, split: str = "train", transform: PairTransform | None = None, direction: str = "AtoB"
    ):
        root = Path(root)
        self.a = _images(root / f"{split}A")
        self.b = _images(root / f"{split}B")
        if direction == "BtoA":
            self.a, self.b = self.b, self.a
        self.transform = transform or PairTransform()

    def __len__(self) -> int:
        return max(len(self.a), len(self.b))

    def __getitem__(self, i: int) -> dict:
        pa = self.a[i % len(self.a)]
        pb = self.b[int(torch.randint(len(self.b), ()).item())]  # seeded per worker by the DataLoader
        rng = random.Random(int(torch.randint(2**31, ()).item()))
        (a,) = self.transform(load_image(pa), rng=rng)
        (b,) = self.transform(load_image(pb), rng=rng)
        return {"A": a, "B": b, "A_path": str(pa), "B_path": str(pb)}


class _Paired(Dataset):
    transform: PairTransform
    direction: str

    def _item(self, a_img, b_img, pa: Path, pb: Path) -> dict:
        rng = random.Random(int(torch.randint(2**31, ()).item()))
        a, b = self.transform(a_img, b_img, rng=rng)
        if self.direction == "BtoA":
            a, b, pa, pb = b, a, pb, pa
        return {"A": a, "B": b, "A_path": str(pa), "B_path": str(pb)}


class PairedABDataset(_Paired):
    """Each file holds A (left half) and B (right half) side by side."""

    def __init__(
        self, root: str, split: str = "train", transform: PairTransform | None = None, direction: str = "AtoB"
    ):
        self.files = _images(Path(root) / split)
        self.transform = transform or PairTransform()
        self.direction = direction

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int) -> dict:
        p = self.files[i]
        im = load_image(p)
        w, h = im.size
        if w < 2 or w % 2:
            raise EdgeganError(f"{str(p)!r} is {w}x{h}: a side-by-side AB image needs an even width")
        return self._item(im.crop((0, 0, w // 2, h)), im.crop((w // 2, 0, w, h)), p, p)


class PairedFoldersDataset(_Paired):
    """A/ and B/ folders whose files pair up by name (suffixes may differ)."""

    def __init__(
        self, root: str, split: str = "train", transform: PairTransform | None = None, direction: str = "AtoB"
    ):
        base = Path(root) / split if (Path(root) / split).is_dir() else Path(root)
        a = {p.stem: p for p in _images(base / "A")}
        b = {p.stem: p for p in _images(base / "B")}
        common = sorted(set(a) & set(b))
        if not common:
            raise EdgeganError(f"no file names shared by {str(base / 'A')!r} and {str(base / 'B')!r}")
        self.pairs = [(a[k], b[k]) for k in common]
        self.transform = transform or PairTransform()
        self.direction = direction

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int) -> dict:
        pa, pb = self.pairs[i]
        return self._item(load_image(pa), load_image(pb), pa, pb)


class ImageFolderDataset(Dataset):
    """One domain, for unconditional generators (StyleGAN2): ``root/<split>/`` or else ``root/`` itself."""

    def __init__(
        self, root: str, split: str = "train", transform: PairTransform | None = None, direction: str = "AtoB"
    ):
        base = Path(root) / split if (Path(root) / split).is_dir() else Path(root)
        self.files = _images(base)
        self.transform = transform or PairTransform()

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int) -> dict:
        rng = random.Random(int(torch.randint(2**31, ()).item()))
        (a,) = self.transform(load_image(self.files[i]), rng=rng)
        return {"A": a, "A_path": str(self.files[i])}


DATASETS.register("images", ImageFolderDataset)
DATASETS.register("unpaired", UnpairedDataset)
DATASETS.register("paired_ab", PairedABDataset)
DATASETS.register("paired_folders", PairedFoldersDataset)


def build_dataset(data_cfg, train: bool = True) -> Dataset:
    """A dataset from a :class:`edgegan.config.DataConfig`."""
    if not data_cfg.root:
        raise EdgeganError("data.root is empty: point it at a dataset folder (e.g. data.root=path/to/horse2zebra)")
    if not Path(data_cfg.root).is_dir():
        hint = ""
        if not Path(data_cfg.root).is_absolute():
            hint = f" (relative to the current directory {str(Path.cwd())!r})"
        if "samples" in data_cfg.root:
            hint += "; the sample sets are written by: edgegan data samples outputs/samples"
        raise EdgeganError(f"data.root {data_cfg.root!r} is not a folder{hint}")
    if data_cfg.direction not in ("AtoB", "BtoA"):
        raise EdgeganError(f"data.direction must be AtoB or BtoA, got {data_cfg.direction!r}")
    transform = PairTransform(data_cfg.load_size, data_cfg.crop_size, data_cfg.flip, train)
    cls = DATASETS.get(data_cfg.layout).builder
    return cls(data_cfg.root, split=data_cfg.split, transform=transform, direction=data_cfg.direction)
