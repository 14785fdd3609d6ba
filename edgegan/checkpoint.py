"""The checkpoint directory, and training state.

A model checkpoint is a directory::

    config.json        {"format": "edgegan.checkpoint", "format_version": 1, "model": {"name", "args"}, "io": {...},
                        "pruned": {module: channels, ...} when structured pruning changed layer widths}
    model.safetensors  the weights (never a pickle)
    lineage.json       where it came from: parent and its hash, the command, the resolved config, metrics

It rebuilds its model with :func:`load_model` and no other input. Training state (optimizers, schedulers,
step, RNG) is a separate ``train_state.pt`` written by the training loop and loaded with
``weights_only=True``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import platform
import sys
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

import edgegan
from edgegan.errors import EdgeganError
from edgegan.io import atomic_dir, read_json, write_json

FORMAT = "edgegan.checkpoint"
FORMAT_VERSION = 1
CONFIG = "config.json"
WEIGHTS = "model.safetensors"
LINEAGE = "lineage.json"


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_checkpoint(path: str | os.PathLike) -> bool:
    p = Path(path)
    return p.is_dir() and (p / CONFIG).is_file() and (p / WEIGHTS).is_file()


def describe_state_dict_mismatch(model: torch.nn.Module, state: dict[str, torch.Tensor]) -> str | None:
    """None if ``state`` fits ``model`` exactly, else a short text naming the keys that do not fit."""
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    shape = [
        f"{k} {tuple(state[k].shape)} vs {tuple(v.shape)}"
        for k, v in own.items()
        if k in state and tuple(state[k].shape) != tuple(v.shape)
    ]
    if not (missing or unexpected or shape):
        return None
    parts = []
    for label, keys in (("missing", missing), ("unexpected", unexpected), ("wrong shape", shape)):
        if keys:
            more = f" (+{len(keys) - 3} more)" if len(keys) > 3 else ""
            parts.append(f"{label}: {', '.join(keys[:3])}{more}")
    return "; ".join(parts)


_RESIZABLE = (torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.Linear, torch.nn.modules.batchnorm._NormBase)


def pruned_widths(model: torch.nn.Module, reference: torch.nn.Module) -> dict[str, int]:
    """Output widths of the layers of ``model`` that differ from the unpruned ``reference`` build."""
    ref = dict(reference.named_modules())
    out = {}
    for name, m in model.named_modules():
        if isinstance(m, _RESIZABLE) and name in ref and m.weight is not None:
            if tuple(m.weight.shape) != tuple(ref[name].weight.shape):
                out[name] = int(m.weight.shape[1 if isinstance(m, torch.nn.ConvTranspose2d) else 0])
    return out


def fit_to_state(model: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Give every convolution, linear and norm layer of ``model`` the shapes its tensors have in
    ``state``: how a structurally pruned checkpoint rebuilds from the registry's unpruned builder."""
    for name, m in model.named_modules():
        if not isinstance(m, _RESIZABLE):
            continue
        prefix = f"{name}." if name else ""
        for pname, p in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
            key = prefix + pname
            if key in state and p is not None and state[key].shape != p.shape:
                new = torch.empty(state[key].shape, dtype=p.dtype)
                if isinstance(p, torch.nn.Parameter):
                    setattr(m, pname, torch.nn.Parameter(new, requires_grad=p.requires_grad))
                else:
                    setattr(m, pname, new)
        w = state.get(prefix + "weight")
        if w is None:
            w = state.get(prefix + "running_mean")
        if w is None:
            continue
        if isinstance(m, torch.nn.modules.batchnorm._NormBase):
            m.num_features = int(w.shape[0])
        elif isinstance(m, torch.nn.Linear):
            m.out_features, m.in_features = int(w.shape[0]), int(w.shape[1])
        elif isinstance(m, torch.nn.ConvTranspose2d):
            m.in_channels, m.out_channels = int(w.shape[0]), int(w.shape[1]) * m.groups
        else:
            m.out_channels, m.in_channels = int(w.shape[0]), int(w.shape[1]) * m.groups


def save_model(
    path: str | os.PathLike,
    model: torch.nn.Module,
    model_spec: dict[str, Any],
    *,
    parent: str | os.PathLike | None = None,
    created_by: str = "",
    config: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
    extra_files: dict[str, Any] | None = None,
) -> Path:
    """Write ``model`` as a checkpoint directory at ``path``, atomically (the whole directory at once)."""
    from edgegan.models import io_spec
    from edgegan.registry import MODELS

    path = Path(path)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    model_config = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": {"name": model_spec["name"], "args": model_spec.get("args", {})},
        "io": io_spec(model_spec["name"], model_spec.get("args", {})),
    }
    with torch.device("meta"):  # shapes only: no memory, no initialisation
        reference = MODELS.build(model_spec["name"], model_spec.get("args", {}))
    if describe_state_dict_mismatch(reference, state):
        widths = pruned_widths(model, reference)
        if not widths:
            raise EdgeganError(
                f"the model does not fit {model_spec['name']!r}: {describe_state_dict_mismatch(reference, state)}"
            )
        model_config["pruned"] = widths
    with atomic_dir(path) as tmp:
        save_file(state, str(tmp / WEIGHTS), metadata={"format": FORMAT})
        write_json(tmp / CONFIG, model_config)
        parent_info = None
        if parent is not None:
            p = Path(parent)
            weights = p / WEIGHTS if p.is_dir() else p
            parent_info = {"path": str(p), "sha256": file_sha256(weights) if weights.is_file() else None}
        write_json(
            tmp / LINEAGE,
            {
                "parent": parent_info,
                "created_by": created_by or " ".join(sys.argv),
                "created_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "edgegan_version": edgegan.__version__,
                "torch_version": torch.__version__,
                "host": platform.node(),
                "weights_sha256": file_sha256(tmp / WEIGHTS),
                "config": config,
                "metrics": metrics or {},
            },
        )
        for name, obj in (extra_files or {}).items():
            write_json(tmp / name, obj)
    return path


def read_model_config(path: str | os.PathLike) -> dict[str, Any]:
    from edgegan.pretrained import resolve_model

    path = resolve_model(path)
    if path.is_file() and path.suffix in (".pth", ".pt", ".ckpt", ".bin"):
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


def load_model(path: str | os.PathLike, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Rebuild the model stored in checkpoint directory ``path``; eval mode, on ``device``."""
    import edgegan.models  # noqa: F401  (fills the registry)
    from edgegan.pretrained import resolve_model
    from edgegan.registry import MODELS

    path = resolve_model(path)
    cfg = read_model_config(path)
    spec = cfg["model"]
    model = MODELS.build(spec["name"], spec.get("args", {}))
    try:
        state = load_file(str(Path(path) / WEIGHTS))
    except Exception as e:  # safetensors raises its own error types
        raise EdgeganError(f"cannot read weights {str(Path(path) / WEIGHTS)!r}: {e}") from None
    if cfg.get("pruned"):
        fit_to_state(model, state)
    problem = describe_state_dict_mismatch(model, state)
    if problem:
        raise EdgeganError(
            f"weights in {str(path)!r} do not fit architecture {spec['name']!r} {spec.get('args', {})}: {problem}"
        )
    model.load_state_dict(state)
    return model.to(device).eval()


def save_train_state(path: str | os.PathLike, state: dict[str, Any]) -> None:
    """Write training state atomically (tensor/primitive contents only, so it loads with weights_only)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_train_state(path: str | os.PathLike) -> dict[str, Any]:
    return torch.load(path, map_location="cpu", weights_only=True)
