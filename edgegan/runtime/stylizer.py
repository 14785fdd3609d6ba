"""The one image -> network -> image loop, over any backend; stylize, video, webcam, eval, bench and the
compression metrics all go through it.

The network contract is NCHW float32 RGB in [-1, 1] with H and W multiples of the model's ``size_multiple``.
Any image fits it: the long side is optionally resized (``size``), the image is padded by reflection up to the
next multiple and the output cropped back; a network that takes one fixed size (full U-GAT-IT's fully
connected layer, an exported StyleGAN) gets the image resized to that size and its output resized back.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import numpy as np
from PIL import Image

from edgegan.artifact import ModelRef
from edgegan.errors import EdgeganError
from edgegan.io import ensure_writable_dir
from edgegan.media.images import (
    collect_inputs,
    load_image,
    pad_to_multiple,
    resize_long_side,
    resize_to,
    save_image,
    to_image,
    to_tensor,
)
from edgegan.progress import progress
from edgegan.runtime.backends import Backend, load_backend
from edgegan.sizes import check_side


class Stylizer:
    """RGB uint8 image (HxWx3 array or PIL image) -> stylized RGB uint8 array of the same size (after the
    optional ``size`` resize of its long side); :meth:`many` for lists, batched. ``last_latency_s`` is the last
    network call alone."""

    def __init__(self, backend: Backend, size: int | None = None):
        self.backend = backend
        self.size = check_side(size)
        self.multiple = max(int(getattr(backend, "size_multiple", 1) or 1), 1)
        self.fixed = getattr(backend, "fixed_size", None)
        self.last_latency_s = 0.0

    @classmethod
    def open(
        cls,
        model: str | os.PathLike | ModelRef,
        backend: str | None = None,
        threads: int | None = None,
        size=None,
        style=None,
    ) -> Stylizer:
        """A stylizer for ``model`` on ``backend`` (default: by the model's kind): the reusable predictor; ``style``
        switches a conditional model's style (see :meth:`set_style`)."""
        st = cls(load_backend(model, backend, threads), size)
        if style is not None:
            st.set_style(style)
        return st

    def __call__(self, image: Image.Image | np.ndarray) -> np.ndarray:
        return self.many([image])[0][0]

    @property
    def n_styles(self) -> int:
        """Styles the network switches between at run time (a conditional model); 0: one style."""
        return int(getattr(self.backend, "n_styles", 0) or 0)

    @property
    def style_index(self) -> int:
        """The style a conditional network runs now (the largest weight of a mixture); 0 for one style."""
        return int(getattr(self.backend, "style_index", 0) or 0)

    def set_style(self, style) -> None:
        """Switch a conditional network's style: an index or ``n_styles`` mixture weights (a one-style network:
        the backend's one-line error)."""
        self.backend.set_style(style)

    def _prepare(self, image: Image.Image | np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
        rgb = resize_long_side(np.asarray(image), self.size)
        h, w = rgb.shape[:2]
        if self.fixed:
            return to_tensor(resize_to(rgb, self.fixed, self.fixed)), (h, w)
        return pad_to_multiple(to_tensor(rgb), self.multiple)[0], (h, w)

    def _finish(self, y: np.ndarray, hw: tuple[int, int]) -> np.ndarray:
        h, w = hw
        if self.fixed:
            return resize_to(to_image(y), w, h)
        return to_image(y[:, :, :h, :w])

    def many(self, images: list, batch: int = 1) -> tuple[list[np.ndarray], list[float]]:
        """Every image, and the network latency (s) of each (a batch's time shared by its images). Up to
        ``batch`` consecutive images whose network inputs have the same shape run as one batch."""
        if batch < 1:
            raise EdgeganError(f"batch must be at least 1, got {batch}")
        outs: list[np.ndarray] = []
        times: list[float] = []
        group: list[tuple[np.ndarray, tuple[int, int]]] = []

        def run_group() -> None:
            x = group[0][0] if len(group) == 1 else np.concatenate([g[0] for g in group])
            t0 = time.perf_counter()
            y = self.backend.run(x)
            self.last_latency_s = time.perf_counter() - t0
            for n, (_, hw) in enumerate(group):
                outs.append(self._finish(y[n : n + 1], hw))
                times.append(self.last_latency_s / len(group))
            group.clear()

        for image in images:  # prepared as they come: a long list is never held as network tensors
            x, hw = self._prepare(image)
            if group and (len(group) == batch or x.shape != group[0][0].shape):
                run_group()
            group.append((x, hw))
        if group:
            run_group()
        return outs, times


def stylize_images(
    model: str | os.PathLike | ModelRef,
    images: list[np.ndarray],
    backend: str | None = None,
    threads: int | None = None,
) -> list[np.ndarray]:
    """``model``'s outputs on RGB uint8 ``images`` (e.g. validation centre squares)."""
    return Stylizer.open(model, backend, threads).many(images)[0]


def stylize_paths(
    model: str | os.PathLike | ModelRef,
    inputs: list[str],
    out: str,
    size: int | None = None,
    backend: str | None = None,
    threads: int | None = None,
    show_progress: bool = True,
    style=None,
) -> list[Path]:
    """Stylize image files (or folders of them) into ``out/<name>.png``; returns the written paths. ``style``:
    a conditional model's style (index or mixture weights)."""
    check_side(size)  # before any file is read (the Stylizer it makes holds the same bound)
    files = collect_inputs(inputs)
    names, used = [], set()
    for p in files:
        name, k = p.stem, 1
        while name in used:  # two inputs with the same stem from different folders
            k += 1
            name = f"{p.stem}_{k}"
        used.add(name)
        names.append(f"{name}.png")
    sources = {p.resolve() for p in files}
    for name in names:  # --out the inputs' own folder: a PNG input would be overwritten by its result
        if (Path(out) / name).resolve() in sources:
            raise EdgeganError(f"--out {out!r} would overwrite the input {name!r}: choose another output folder")
    stylizer = Stylizer.open(model, backend, threads, size=size, style=style)  # a bad style: nothing written
    created = not Path(out).exists()
    out_dir = ensure_writable_dir(out)
    written = []
    try:
        jobs = list(zip(files, names, strict=True))
        for p, name in progress(jobs, desc="stylize", unit="img", disable=not show_progress):
            target = out_dir / name
            save_image(target, stylizer(load_image(p)))
            written.append(target)
    except BaseException:
        if created and not written:  # a failed first image leaves no empty folder behind
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    return written
