"""Files in and out: atomic writes, image reading with the quirks real photos have, grids.

Every file edgegan writes goes through :func:`atomic_write` or :func:`atomic_dir`, so a process killed
half-way leaves either the old result or the new one, never a torn file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from edgegan.errors import EdgeganError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")


def ensure_writable_dir(path: str | os.PathLike) -> Path:
    """Create ``path`` (and parents) or raise a one-line error saying why it cannot be written."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as e:
        raise EdgeganError(f"cannot write to output directory {str(path)!r}: {e.strerror or e}") from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _as_umask_allows(path: str | os.PathLike, directory: bool = False) -> None:
    """mkstemp/mkdtemp create private (0600/0700) files; give the result the permissions a plain open() would."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _as_umask_allows(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` as a whole when the block succeeds.

    Used for checkpoints and exports: readers see the complete old directory or the complete new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        _as_umask_allows(tmp, directory=True)
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: str | os.PathLike, obj) -> None:
    with atomic_write(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=False, default=str)
        f.write("\n")


def read_json(path: str | os.PathLike):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise EdgeganError(f"file not found: {str(path)!r}") from None
    except json.JSONDecodeError as e:
        raise EdgeganError(f"{str(path)!r} is not valid JSON: {e}") from None


def list_images(folder: str | os.PathLike) -> list[Path]:
    """Image files directly in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EdgeganError(f"not a folder: {str(folder)!r}")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def load_image(path: str | os.PathLike, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """Read any image as an upright RGB ``PIL.Image``.

    EXIF orientation is applied (phone photos), grayscale and palette images become RGB, and transparent
    pixels are composited on ``background`` rather than keeping whatever colour hides under alpha 0.
    """
    path = Path(path)
    if not path.exists():
        raise EdgeganError(f"input not found: {str(path)!r}")
    if path.is_dir():
        raise EdgeganError(f"expected an image file, got a folder: {str(path)!r}")
    try:
        with Image.open(path) as im:
            im.load()
            im = ImageOps.exif_transpose(im)
    except UnidentifiedImageError:
        raise EdgeganError(f"not an image (unreadable by Pillow): {str(path)!r}") from None
    except OSError as e:
        raise EdgeganError(f"cannot read image {str(path)!r}: {e}") from None
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        canvas = Image.new("RGBA", im.size, background + (255,))
        im = Image.alpha_composite(canvas, im)
    return im.convert("RGB")


def save_image(path: str | os.PathLike, image: np.ndarray | Image.Image) -> None:
    """Write an HxWx3 uint8 array (or a PIL image) atomically; the format follows the suffix."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    path = Path(path)
    fmt = Image.registered_extensions().get(path.suffix.lower())
    if fmt is None:
        raise EdgeganError(f"unknown image suffix {path.suffix!r} for {str(path)!r}")
    with atomic_write(path) as f:
        image.save(f, format=fmt)


def image_grid(
    rows: Sequence[Sequence[np.ndarray]],
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    cell: int = 192,
    pad: int = 4,
) -> np.ndarray:
    """Tile HxWx3 uint8 images into one picture, each fitted into a ``cell`` square, with labels."""
    n_cols = max(len(r) for r in rows)
    longest = max((len(line) for t in row_labels or [] for line in t.split("\n")), default=0)
    label_w = max(110, 7 * longest + 8) if row_labels else 0
    label_h = 18 if col_labels else 0
    H = label_h + len(rows) * (cell + pad) + pad
    W = label_w + n_cols * (cell + pad) + pad
    canvas = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for j, text in enumerate(col_labels or []):
        draw.text((label_w + pad + j * (cell + pad), 3), text, fill=(0, 0, 0))
    for i, row in enumerate(rows):
        y = label_h + pad + i * (cell + pad)
        if row_labels:
            draw.text((4, y + cell // 2 - 6), row_labels[i], fill=(0, 0, 0))
        for j, img in enumerate(row):
            tile = Image.fromarray(img)
            scale = cell / max(tile.size)  # small training crops are enlarged, big photos reduced
            tile = tile.resize((max(1, round(tile.width * scale)), max(1, round(tile.height * scale))), Image.BICUBIC)
            x = label_w + pad + j * (cell + pad)
            canvas.paste(tile, (x + (cell - tile.width) // 2, y + (cell - tile.height) // 2))
    return np.asarray(canvas)
