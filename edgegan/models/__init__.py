"""Model families. Importing this package registers every variant in :data:`edgegan.registry.MODELS`."""

from __future__ import annotations

from typing import Any

from edgegan.models import cyclegan, discriminators  # noqa: F401  (registration side effects)
from edgegan.registry import MODELS


def io_spec(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """What a runtime needs to feed the model: tensor layout, value range, channels, size multiple."""
    entry = MODELS.get(name)
    resolved = entry.resolved_args(args)
    return {
        "layout": "NCHW",
        "dtype": "float32",
        "color": "RGB",
        "range": [-1.0, 1.0],
        "in_channels": resolved.get("in_channels", 3),
        "out_channels": resolved.get("out_channels", 3),
        "size_multiple": entry.meta.get("size_multiple", 1),
    }


def count_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters())


def describe_models(size: int = 256) -> list[dict[str, Any]]:
    """Every registered generator variant with its family, parameters and MACs at ``size`` x ``size``."""
    from edgegan.metrics.cost import count_macs

    rows = []
    for name in MODELS.names():
        entry = MODELS.get(name)
        model = MODELS.build(name)
        args = entry.resolved_args()
        rows.append(
            {
                "name": name,
                "family": entry.meta.get("family", ""),
                "test_variant": name.startswith("test_"),
                "parameters": count_parameters(model),
                "gmacs_real": round(count_macs(model, size, "real", args.get("in_channels", 3)) / 1e9, 3),
                "gmacs_output_res": round(count_macs(model, size, "output", args.get("in_channels", 3)) / 1e9, 3),
                "mac_size": size,
                "args": args,
            }
        )
    return rows
