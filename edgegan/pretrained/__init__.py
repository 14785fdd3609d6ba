"""Models that ship inside the package, usable by name wherever a checkpoint path is taken.

``vintage_edge`` and ``vintage_grid`` are checkpoint directories in this folder (students distilled from the
vintagify teacher, recipes in train/configs/distill/). ``vintagify`` is the teacher itself: its weights ship in the
vintagify wheel and are converted once, explicitly (``edgegan.importers.ensure_pretrained``, which the command
line calls for a name it is given), into the user cache (``$EDGEGAN_CACHE``, default ``~/.cache/edgegan``).
This module is data only: it names the models and where they live, and reading a name never writes.
A path that exists always wins over a name.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIPPED = {
    "vintage_edge": {
        "teacher": "vintagify",
        "description": "vintagify (CycleGAN ResNet-9) distilled into an INT8-friendly edge student",
    },
    "vintage_grid": {
        "teacher": "vintagify",
        "description": "vintagify distilled into a colour-operator student (low-res CNN -> grid of colour-affine maps)",
    },
}
TEACHERS = {"vintagify": {"description": "CycleGAN ResNet-9 modern->vintage photos, from the vintagify wheel (MIT)"}}


def cache_dir() -> Path:
    return Path(os.environ.get("EDGEGAN_CACHE") or Path.home() / ".cache" / "edgegan")


def shipped_path(name: str) -> Path:
    return HERE / name


def teacher_path(name: str) -> Path:
    """Where a teacher converted from its wheel lives (``edgegan.importers.ensure_pretrained`` writes it)."""
    return cache_dir() / name


def is_pretrained_name(spec) -> bool:
    return str(spec) in SHIPPED or str(spec) in TEACHERS
