"""What a complete output is, and what a killed writer leaves behind: the checks of the fault-injection and
full-disk tests (tests/test_kill.py, tests/test_disk_full.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch


def litter(folder: Path) -> list[str]:
    """Temporaries edgegan's writers leave when killed: ``.<name>.edgegan-<pid>-...`` and older forms."""
    if not folder.exists():
        return []
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if ".edgegan-" in p.name or p.name.endswith((".tmp", ".partial")) or ".tmp-" in p.name
    )


def loads_checkpoint(path: Path) -> None:
    from edgegan.models import load_model

    load_model(path)


def loads_backend(path: Path) -> None:
    from edgegan.runtime.backends import load_backend

    b = load_backend(path)
    m = max(int(b.size_multiple or 1), 1)
    y = b.run(np.zeros((1, 3, 4 * m if m < 16 else m, 4 * m if m < 16 else m), np.float32))
    assert np.isfinite(y).all()


def every_file_parses(folder: Path) -> None:
    """A run directory: every JSON, JSONL, safetensors, image and training state in it is complete."""
    from PIL import Image
    from safetensors.torch import load_file

    for f in folder.rglob("*"):
        if not f.is_file() or f.name.startswith("."):
            continue
        if f.suffix == ".json":
            json.loads(f.read_text())
        elif f.suffix == ".jsonl":
            for line in f.read_text().splitlines():
                json.loads(line)
        elif f.suffix == ".safetensors":
            load_file(str(f))
        elif f.suffix == ".pt":
            torch.load(f, map_location="cpu", weights_only=True)
        elif f.suffix in (".png", ".jpg"):
            with Image.open(f) as im:
                im.load()
        elif f.suffix == ".npy":
            np.load(f)


def video_complete(path: Path, frames: int) -> None:
    import cv2

    cap = cv2.VideoCapture(str(path))
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    assert n == frames, f"{path} holds {n} of {frames} frames"


def images_complete(folder: Path) -> None:
    from PIL import Image

    for f in folder.iterdir():
        if f.is_file() and not f.name.startswith("."):
            with Image.open(f) as im:
                im.load()
