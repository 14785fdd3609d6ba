"""What a network takes and gives: its I/O description, the module that exports, an example input."""

from __future__ import annotations

from typing import Any

from edgegan.registry import MODELS


def io_spec(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """What a runtime needs to feed the model: tensor layout, value range, channels, size multiple."""
    entry = MODELS.get(name)
    resolved = entry.resolved_args(args)
    spec = {
        "input": entry.meta.get("input", "image"),
        "layout": "NCHW",
        "dtype": "float32",
        "color": "RGB",
        "range": [-1.0, 1.0],
        "in_channels": resolved.get("in_channels", 3),
        "out_channels": resolved.get("out_channels", 3),
        "size_multiple": entry.meta.get("size_multiple", 1),
    }
    if callable(spec["size_multiple"]):
        spec["size_multiple"] = int(spec["size_multiple"](resolved))
    fixed = entry.meta.get("fixed_size")
    if callable(fixed):  # may depend on the arguments (e.g. U-GAT-IT's image_size)
        fixed = fixed(resolved)
    if fixed:
        spec["fixed_size"] = int(fixed)
    if entry.meta.get("int8_ops"):  # INT8 quantizes only these ONNX op types; the rest of the graph stays float
        spec["int8_ops"] = list(entry.meta["int8_ops"])
    if spec["input"] == "latent":
        latent = entry.meta.get("latent_dim")
        spec["latent_dim"] = int(latent(resolved) if callable(latent) else latent)
    return spec


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())


def example_input(io: dict[str, Any], size: int = 256, batch: int = 1):
    """A zero input the network accepts: a latent, or an image at ``size`` rounded up to what it takes."""
    import torch

    if io.get("input") == "latent":
        return torch.zeros(batch, io["latent_dim"])
    m = max(int(io.get("size_multiple", 1)), 1)
    s = io.get("fixed_size") or -(-size // m) * m
    return torch.zeros(batch, io["in_channels"], s, s)


def exportable(model):
    """The image-in/image-out (or latent-in/image-out) module of a network."""
    return model.export_module() if hasattr(model, "export_module") else model
