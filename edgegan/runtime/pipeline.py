"""Images to network tensors and back.

The network contract is NCHW float32 RGB in [-1, 1], with H and W multiples of the model's
``size_multiple``. Any photo fits it: the long side is optionally resized, the image is padded by
reflection up to the next multiple, and the output is cropped back to the input's size.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image

from edgegan.errors import EdgeganError


def to_tensor(image: Image.Image | np.ndarray) -> np.ndarray:
    """HxWx3 uint8 RGB -> (1, 3, H, W) float32 in [-1, 1]."""
    arr = np.asarray(image, dtype=np.float32)
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise EdgeganError(f"expected an HxWx3 RGB image, got shape {arr.shape}")
    return (arr.transpose(2, 0, 1)[None] / 127.5 - 1.0).astype(np.float32)


def to_image(x: np.ndarray) -> np.ndarray:
    """(1, 3, H, W) float in [-1, 1] -> HxWx3 uint8 RGB (rounded, clipped)."""
    return np.clip(np.rint((x[0].transpose(1, 2, 0) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def resize_long_side(image: Image.Image, size: int | None) -> Image.Image:
    if not size:
        return image
    if size < 1:
        raise EdgeganError(f"--size must be a positive number of pixels, got {size}")
    w, h = image.size
    scale = size / max(w, h)
    return image.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BICUBIC)


def pad_to_multiple(x: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Pad NCHW ``x`` at the bottom/right to multiples of ``multiple``; returns it and the original (H, W)."""
    h, w = x.shape[2:]
    ph, pw = (-h) % multiple, (-w) % multiple
    if ph or pw:
        mode = "reflect" if ph < h and pw < w else "edge"  # reflection needs the pad smaller than the side
        x = np.pad(x, ((0, 0), (0, 0), (0, ph), (0, pw)), mode=mode)
    return x, (h, w)


class Stylizer:
    """Image in, image out, over any :class:`~edgegan.runtime.backends.Backend`."""

    def __init__(self, backend, size: int | None = None):
        self.backend = backend
        self.size = size
        self.last_latency_s = 0.0  # the network call alone, without pre/post-processing

    def __call__(self, image: Image.Image) -> np.ndarray:
        image = resize_long_side(image, self.size)
        fixed = getattr(self.backend, "fixed_size", None)
        if fixed:  # e.g. full U-GAT-IT: a fully connected layer fixes the input size
            w0, h0 = image.size
            x = to_tensor(image.resize((fixed, fixed), Image.BICUBIC))
        else:
            x, (h, w) = pad_to_multiple(to_tensor(image), self.backend.size_multiple)
        t0 = time.perf_counter()
        y = self.backend.run(x)
        self.last_latency_s = time.perf_counter() - t0
        if fixed:
            return np.asarray(Image.fromarray(to_image(y)).resize((w0, h0), Image.BICUBIC))
        return to_image(y[:, :, :h, :w])


def collect_inputs(inputs: list[str]) -> list[Path]:
    """Expand folders to their images; every path must exist and every file must be an image.

    All inputs are checked before any work starts, so a bad one late in the list costs nothing.
    """
    from edgegan.io import list_images

    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise EdgeganError(f"input not found: {item!r}")
        files.extend(list_images(p) if p.is_dir() else [p])
    if not files:
        raise EdgeganError(f"no images found in {', '.join(map(repr, inputs))}")
    for p in files:
        try:
            with Image.open(p) as im:
                im.verify()
        except Exception:
            raise EdgeganError(f"not an image (unreadable by Pillow): {str(p)!r}") from None
    return files


def stylize_paths(
    model: str,
    inputs: list[str],
    out: str,
    size: int | None = None,
    backend: str | None = None,
    threads: int | None = None,
    show_progress: bool = True,
) -> list[Path]:
    """Stylize image files (or folders of them) into ``out/<name>.png``; returns the written paths."""
    from edgegan.io import ensure_writable_dir, load_image, save_image
    from edgegan.progress import progress
    from edgegan.runtime.backends import load_backend

    if size is not None and size < 1:
        raise EdgeganError(f"--size must be a positive number of pixels, got {size}")
    files = collect_inputs(inputs)
    out_dir = ensure_writable_dir(out)
    stylizer = Stylizer(load_backend(model, backend, threads), size=size)
    written, used = [], set()
    for p in progress(files, desc="stylize", unit="img", disable=not show_progress):
        name = p.stem
        k = 1
        while name in used:  # two inputs with the same stem from different folders
            k += 1
            name = f"{p.stem}_{k}"
        used.add(name)
        target = out_dir / f"{name}.png"
        save_image(target, stylizer(load_image(p)))
        written.append(target)
    return written
