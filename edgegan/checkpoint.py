"""The checkpoint directory format, and training state. Knows files, not models.

A model checkpoint is a directory::

    config.json        {"format": "edgegan.checkpoint", "format_version": 1, "model": {"name", "args"}, "io": {...},
                        "pruned": {module: channels, ...} when structured pruning changed layer widths}
    model.safetensors  the weights (never a pickle)
    lineage.json       where it came from (:mod:`edgegan.lineage`)

Building a model from it is :func:`edgegan.models.load_model`. Training state (optimizers, schedulers, step,
RNG) is a separate ``train_state.pt`` written by the training loop and loaded with ``weights_only=True``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from edgegan.errors import EdgeganError
from edgegan.io import atomic_dir, atomic_write, read_json, write_json
from edgegan.lineage import file_sha256, write_lineage

FORMAT = "edgegan.checkpoint"
FORMAT_VERSION = 1
CONFIG = "config.json"
WEIGHTS = "model.safetensors"
WEIGHT_SUFFIXES = (".pth", ".pt", ".ckpt", ".bin")  # bare PyTorch files: imported, never loaded as checkpoints

__all__ = ["file_sha256", "is_checkpoint", "write_checkpoint", "read_model_config", "read_weights"]


def is_checkpoint(path: str | os.PathLike) -> bool:
    p = Path(path)
    return p.is_dir() and (p / CONFIG).is_file() and (p / WEIGHTS).is_file()


def write_checkpoint(
    path: str | os.PathLike,
    state: dict[str, torch.Tensor],
    model_config: dict[str, Any],
    *,
    lineage: dict[str, Any],
    extra_files: dict[str, Any] | None = None,
) -> Path:
    """Write weights, ``config.json`` (``model_config`` plus the format stamp) and ``lineage.json`` (the keyword
    arguments of :func:`edgegan.lineage.make_lineage` but ``weights``) as one directory, atomically."""
    path = Path(path)
    with atomic_dir(path) as tmp:
        save_file(state, str(tmp / WEIGHTS), metadata={"format": FORMAT})
        write_json(tmp / CONFIG, {"format": FORMAT, "format_version": FORMAT_VERSION, **model_config})
        write_lineage(tmp, weights=tmp / WEIGHTS, **lineage)
        for name, obj in (extra_files or {}).items():
            write_json(tmp / name, obj)
    return path


def read_model_config(path: str | os.PathLike) -> dict[str, Any]:
    """``config.json`` of checkpoint directory ``path``, or a one-line error saying what ``path`` is instead."""
    path = Path(path)
    if path.is_file() and path.suffix in WEIGHT_SUFFIXES:
        raise EdgeganError(
            f"{str(path)!r} is a bare PyTorch weights file, not an edgegan checkpoint directory; "
            f"convert it first: edgegan import cyclegan {path} --out DIR"
        )
    if not path.exists():
        raise EdgeganError(f"model not found: {str(path)!r}")
    if not is_checkpoint(path):
        raise EdgeganError(
            f"{str(path)!r} is not an edgegan checkpoint (expected a directory with {CONFIG} and {WEIGHTS})"
        )
    cfg = read_json(path / CONFIG)
    if cfg.get("format") != FORMAT:
        raise EdgeganError(f"{str(path / CONFIG)!r} is not an edgegan checkpoint config")
    if cfg.get("format_version", 0) > FORMAT_VERSION:
        raise EdgeganError(
            f"{str(path)!r} has checkpoint format {cfg['format_version']}; this edgegan reads up to "
            f"{FORMAT_VERSION}: upgrade edgegan"
        )
    return cfg


def read_weights(path: str | os.PathLike) -> dict[str, torch.Tensor]:
    """The tensors of checkpoint directory ``path`` (safetensors: nothing in the file can run code)."""
    try:
        return load_file(str(Path(path) / WEIGHTS))
    except Exception as e:  # safetensors raises its own error types
        raise EdgeganError(f"cannot read weights {str(Path(path) / WEIGHTS)!r}: {e}") from None


def save_train_state(path: str | os.PathLike, state: dict[str, Any]) -> None:
    """Write training state atomically (tensor/primitive contents only, so it loads with weights_only)."""
    with atomic_write(path) as f:
        torch.save(state, f)


def load_train_state(path: str | os.PathLike) -> dict[str, Any]:
    return torch.load(path, map_location="cpu", weights_only=True)
