"""A model from a checkpoint directory and back: the registry's builder, the weights, pruned widths.

:func:`load_model` rebuilds a network from ``config.json`` alone (no flags), :func:`save_model` writes one with
its I/O description and lineage. The file format itself is :mod:`edgegan.checkpoint`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from edgegan.checkpoint import read_model_config, read_weights, write_checkpoint
from edgegan.errors import EdgeganError
from edgegan.models.spec import io_spec
from edgegan.registry import MODELS


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
    ``state``: how a structurally pruned checkpoint rebuilds from the registry's unpruned builder. A module of
    another kind (a conditional norm's per-style tables) gets its parameters and buffers resized too."""
    for name, m in model.named_modules():
        prefix = f"{name}." if name else ""
        for pname, p in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
            key = prefix + pname
            if key in state and p is not None and state[key].shape != p.shape:
                new = torch.empty(state[key].shape, dtype=p.dtype)
                if isinstance(p, torch.nn.Parameter):
                    setattr(m, pname, torch.nn.Parameter(new, requires_grad=p.requires_grad))
                else:
                    setattr(m, pname, new)
        if not isinstance(m, _RESIZABLE):
            continue
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
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    args = model_spec.get("args", {})
    model_config: dict[str, Any] = {
        "model": {"name": model_spec["name"], "args": args},
        "io": io_spec(model_spec["name"], args).to_dict(),
    }
    with torch.device("meta"):  # shapes only: no memory, no initialisation
        reference = MODELS.build(model_spec["name"], args)
    if describe_state_dict_mismatch(reference, state):
        widths = pruned_widths(model, reference)
        if not widths:
            raise EdgeganError(
                f"the model does not fit {model_spec['name']!r}: {describe_state_dict_mismatch(reference, state)}"
            )
        model_config["pruned"] = widths
    lineage = {"parent": parent, "created_by": created_by, "config": config, "metrics": metrics}
    return write_checkpoint(path, state, model_config, lineage=lineage, extra_files=extra_files)


def load_model(
    path: str | os.PathLike, device: str | torch.device = "cpu", config: dict[str, Any] | None = None
) -> torch.nn.Module:
    """Rebuild the model stored in checkpoint directory ``path`` (or a :class:`~edgegan.artifact.ModelRef` to
    one); eval mode, on ``device``. ``config``: its ``config.json`` when the caller has read it already."""
    path = Path(path)  # a ModelRef is path-like; names are resolved above (edgegan.artifact)
    cfg = config if config is not None else read_model_config(path)
    spec = cfg["model"]
    model = MODELS.build(spec["name"], spec.get("args", {}))
    state = read_weights(path)
    if cfg.get("pruned"):
        fit_to_state(model, state)
    problem = describe_state_dict_mismatch(model, state)
    if problem:
        raise EdgeganError(
            f"weights in {str(path)!r} do not fit architecture {spec['name']!r} {spec.get('args', {})}: {problem}"
        )
    model.load_state_dict(state)
    return model.to(device).eval()
