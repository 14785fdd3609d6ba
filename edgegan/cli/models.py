"""``edgegan models``: the registered models with their parameters and MACs."""

from __future__ import annotations

import json

from edgegan.cli.options import add_size
from edgegan.cli.resolve import prepare_teachers
from edgegan.evaluation.catalog import describe_models


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true")
    add_size(parser)


def run(a) -> None:
    prepare_teachers()
    rows = describe_models(size=a.size)
    if a.json:
        print(json.dumps(rows, indent=2))
        return
    head = f"{'name':28s} {'family':10s} {'params (M)':>11s} {'GMACs real':>11s} {'GMACs out':>10s}"
    print(head + "  input the MACs were counted on")
    for r in rows:
        print(
            f"{r['name']:28s} {r['family']:10s} {r['parameters'] / 1e6:11.3f} "
            f"{r['gmacs_real']:11.2f} {r['gmacs_output_res']:10.2f}  {'x'.join(map(str, r['mac_input'][1:]))}"
        )
