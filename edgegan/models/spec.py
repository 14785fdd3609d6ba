"""What a network takes and gives: its I/O description, the module that exports, an example input."""

from __future__ import annotations

from typing import Any

from edgegan.model_io import ModelIO
from edgegan.registry import MODELS


def io_spec(name: str, args: dict[str, Any]) -> ModelIO:
    """What a runtime needs to feed the model: tensor layout, value range, channels, size multiple. The family's
    registry ``meta`` owns each value (a callable is given the resolved arguments)."""
    entry = MODELS.get(name)
    resolved = entry.resolved_args(args)

    def meta(key, default=None):
        value = entry.meta.get(key, default)
        return value(resolved) if callable(value) else value

    return ModelIO(
        input=meta("input", "image"),
        in_channels=resolved.get("in_channels", 3),
        out_channels=resolved.get("out_channels", 3),
        size_multiple=int(meta("size_multiple", 1)),
        fixed_size=int(meta("fixed_size")) if meta("fixed_size") else None,  # may depend on U-GAT-IT's image_size
        int8_ops=tuple(meta("int8_ops")) if meta("int8_ops") else None,
        latent_dim=int(meta("latent_dim")) if meta("input") == "latent" else None,
    )


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())


def example_input(io: ModelIO, size: int = 256, batch: int = 1):
    """A zero input the network accepts: a latent, or an image at ``size`` rounded up to what it takes."""
    import torch

    if io.input == "latent":
        return torch.zeros(batch, io.latent_dim)
    s = io.side(size)
    return torch.zeros(batch, io.in_channels, s, s)


def exportable(model):
    """The image-in/image-out (or latent-in/image-out) module of a network."""
    return model.export_module() if hasattr(model, "export_module") else model
