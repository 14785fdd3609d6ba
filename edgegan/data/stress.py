"""Synthetic stress inputs: what a camera or a photo library hands a filter that a curated training set does not.

One set of named transforms of an HxWx3 uint8 RGB image, each with a ``strength`` in [0, 1] (0: the image
itself, 1: the extreme edgegan tests at). Two users:

- evaluation (``edgegan data stress``): every unseen photo under every transform at full strength, plus a tiny
  and a huge copy, written as files a model is then judged on (worst case first);
- teacher labelling (``edgegan distill --stress P``): a share ``P`` of the views gets one transform at a random
  strength, so the student sees, labelled by the teacher, the exposures and contrasts the teacher has an
  answer for (an InstanceNorm teacher largely undoes a washed-out or dark exposure; a student never shown
  one extrapolates).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from edgegan.errors import EdgeganError
from edgegan.io import ensure_writable_dir
from edgegan.media import load_image, resize_to, save_image


def _f(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) / 255.0


def _u8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


def _gray(x: np.ndarray) -> np.ndarray:
    return (x @ np.array([0.299, 0.587, 0.114], np.float32))[..., None]


def bright(rgb, s, rng=None):
    """Over-exposed: gamma down to 0.35 and a gain, highlights clip."""
    return _u8((_f(rgb) ** (1.0 - 0.65 * s)) * (1.0 + 0.25 * s))


def dark(rgb, s, rng=None):
    """Under-exposed / night: gamma up to 2.2 and a gain down to 0.35."""
    return _u8((_f(rgb) ** (1.0 + 1.2 * s)) * (1.0 - 0.65 * s))


def pastel(rgb, s, rng=None):
    """Washed out towards a light tone (haze, a pale background, a faded print): contrast down to 0.3."""
    x = _f(rgb)
    return _u8(x * (1.0 - 0.7 * s) + 0.65 * 0.7 * s + 0.3 * 0.7 * s * x.mean())


def low_contrast(rgb, s, rng=None):
    """Flat light: contrast about the mean down to 0.25."""
    x = _f(rgb)
    return _u8(x.mean() + (1.0 - 0.75 * s) * (x - x.mean()))


def grayscale(rgb, s, rng=None):
    x = _f(rgb)
    return _u8(x + s * (_gray(x) - x))


def saturated(rgb, s, rng=None):
    """Saturation up to x2.5 about the grey level."""
    x = _f(rgb)
    g = _gray(x)
    return _u8(g + (1.0 + 1.5 * s) * (x - g))


def colour_cast(rgb, s, rng=None):
    """White balance off: red up, blue down (tungsten) by up to 35%."""
    gains = np.array([1.0 + 0.35 * s, 1.0, 1.0 - 0.35 * s], np.float32)
    if rng is not None and rng.random() < 0.5:
        gains = gains[::-1].copy()  # the other way: daylight film under shade
    return _u8(_f(rgb) * gains)


def coloured_light(rgb, s, rng=None):
    """Coloured light (a stage, neon, a graded stock portrait): the photo lit by two saturated colours blended
    along a random direction across the frame, the overall exposure kept. Unlike ``colour_cast`` (one warm or
    cool white balance), the hues are any and change across the image."""
    rng = rng if rng is not None else np.random.default_rng(0)
    x = _f(rgb)
    h, w = x.shape[:2]
    hues = rng.uniform(0.0, 360.0, size=2)
    hsv = np.stack([hues / 2.0, np.full(2, 255.0), np.full(2, 255.0)], axis=1).astype(np.uint8)[None]
    lights = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0].astype(np.float32) / 255.0  # two pure hues, max channel 1
    lights = 0.15 + 0.85 * lights  # no channel fully dark
    angle = rng.uniform(0.0, 2.0 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = np.cos(angle) * xx / max(w - 1, 1) + np.sin(angle) * yy / max(h - 1, 1)
    t = ((ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6))[..., None]
    light = (1.0 - t) * lights[0] + t * lights[1]
    lit = x * ((1.0 - s) + s * light)
    return _u8(lit * (x.mean() / max(float(lit.mean()), 1e-6)))


def noisy(rgb, s, rng=None):
    """Sensor noise: Gaussian, sigma up to 0.08, per pixel and channel."""
    rng = rng if rng is not None else np.random.default_rng(0)
    x = _f(rgb)
    return _u8(x + rng.normal(0.0, 0.08 * s, x.shape).astype(np.float32))


def flat(rgb, s, rng=None):
    """Nearly one colour (a wall, the sky): the image blurred away, a trace of its structure left."""
    x = _f(rgb)
    k = max(3, int(min(x.shape[:2]) * 0.25) | 1)
    blur = cv2.GaussianBlur(x, (k, k), 0)
    mean = x.reshape(-1, 3).mean(axis=0)
    return _u8(mean + (1.0 - s) * (x - mean) + 0.1 * s * (blur - mean))


TRANSFORMS: dict[str, Callable] = {
    "bright": bright,
    "dark": dark,
    "pastel": pastel,
    "low_contrast": low_contrast,
    "grayscale": grayscale,
    "saturated": saturated,
    "colour_cast": colour_cast,
    "coloured_light": coloured_light,
    "noisy": noisy,
    "flat": flat,
}
SIZES = {"tiny": 48, "huge": 4000}  # long side in pixels


# what ``edgegan distill --stress`` draws from unless told otherwise: the transforms that existed when the label
# caches in use were made, so replaying a cache's random draws (compress.cache.view_stress) names the same ones
LABEL_TRANSFORMS = (
    "bright", "colour_cast", "dark", "flat", "grayscale", "low_contrast", "noisy", "pastel", "saturated",
)  # fmt: skip


def check_transforms(names) -> list[str]:
    """``names`` as a list, each a known transform (else a one-line error naming the first unknown one)."""
    bad = [n for n in names if n not in TRANSFORMS]
    if bad:
        raise EdgeganError(f"unknown stress transform {bad[0]!r}; choose from {', '.join(TRANSFORMS)}")
    return list(names)


def random_stress(
    rgb: np.ndarray, rng: np.random.Generator, info: dict | None = None, names=LABEL_TRANSFORMS
) -> np.ndarray:
    """One transform of ``names``, chosen at random, at a random strength in [0.3, 1]: for teacher labelling. Its
    name goes into ``info["stress"]`` when ``info`` is given."""
    names = sorted(names)
    name = names[int(rng.integers(len(names)))]
    if info is not None:
        info["stress"] = name
    return TRANSFORMS[name](rgb, float(rng.uniform(0.3, 1.0)), rng)


def write_stress_set(photos: list[Path], out: str | Path, transforms: list[str] | None = None) -> list[Path]:
    """Every photo under every transform at full strength (``NAME__TRANSFORM.png``), plus a ``tiny`` and a
    ``huge`` copy of each (``transforms`` picks among all of these); returns the files written. Deterministic:
    the noise is seeded per photo."""
    names = transforms or [*TRANSFORMS, *SIZES]
    bad = [n for n in names if n not in TRANSFORMS and n not in SIZES]
    if bad:
        raise EdgeganError(f"unknown stress transform {bad[0]!r}; choose from {', '.join([*TRANSFORMS, *SIZES])}")
    if not photos:
        raise EdgeganError("no photos to make stress inputs from")
    out = ensure_writable_dir(out)
    written = []
    for i, path in enumerate(photos):
        rgb = np.asarray(load_image(path))
        for name in (n for n in names if n in TRANSFORMS):
            target = out / f"{path.stem}__{name}.png"
            save_image(target, TRANSFORMS[name](rgb, 1.0, np.random.default_rng(i)))
            written.append(target)
        h, w = rgb.shape[:2]
        for tag, side in SIZES.items():
            if tag not in names:
                continue
            scale = side / max(h, w)
            size = (max(1, round(w * scale)), max(1, round(h * scale)))
            target = out / f"{path.stem}__{tag}.jpg"
            big = scale >= 1
            save_image(target, cv2.resize(rgb, size, interpolation=cv2.INTER_CUBIC) if big else resize_to(rgb, *size))
            written.append(target)
    return written
