"""``lineage.json``: where a model came from, in one layout for every step that writes a model.

parent          {"path", "sha256"} of the model it was made from (weights file of a checkpoint, or the file)
created_by      the command
created_at      UTC, ISO 8601
edgegan_version, torch_version, host
weights_sha256  of the file this directory holds (model.safetensors or model.onnx)
config          the resolved recipe (training, distillation), or null
settings        the step's own settings (quantization mode, calibration, ...), or {}
metrics         figures measured when it was written, or {}
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import edgegan
from edgegan.io import read_json, write_json

LINEAGE = "lineage.json"


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parent_record(parent: str | os.PathLike | None, sha256: str | None = None) -> dict | None:
    """``{"path", "sha256"}`` of a parent: a checkpoint directory is hashed by its weights file (``sha256``: the
    hash the caller already has, not computed again)."""
    if parent is None:
        return None
    p = Path(parent)
    weights = p / "model.safetensors" if p.is_dir() else p
    if sha256 is None and weights.is_file():
        sha256 = file_sha256(weights)
    return {"path": str(p), "sha256": sha256}


def make_lineage(
    *,
    parent: str | os.PathLike | None,
    weights: str | os.PathLike | None,
    parent_sha256: str | None = None,  # the parent's weights hash when the caller has it (not hashed again)
    created_by: str = "",
    config: dict | None = None,
    settings: dict | None = None,
    metrics: dict | None = None,
) -> dict[str, Any]:
    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:  # pragma: no cover - torch is a dependency
        torch_version = None
    return {
        "parent": parent_record(parent, parent_sha256),
        "created_by": created_by or " ".join(sys.argv),
        "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "edgegan_version": edgegan.__version__,
        "torch_version": torch_version,
        "host": platform.node(),
        "weights_sha256": file_sha256(weights) if weights is not None and Path(weights).is_file() else None,
        "config": config,
        "settings": settings or {},
        "metrics": metrics or {},
    }


def write_lineage(directory: str | os.PathLike, **kwargs) -> dict[str, Any]:
    """Write ``directory/lineage.json`` (see :func:`make_lineage` for the arguments); returns the record."""
    record = make_lineage(**kwargs)
    write_json(Path(directory) / LINEAGE, record)
    return record


def read_lineage(directory: str | os.PathLike) -> dict[str, Any] | None:
    p = Path(directory) / LINEAGE
    return read_json(p) if p.is_file() else None
