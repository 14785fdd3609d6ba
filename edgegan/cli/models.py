"""``edgegan models``: the registered models with their parameters and MACs."""

from __future__ import annotations

import json

from edgegan.cli.options import add_size
from edgegan.cli.resolve import prepare_teachers
from edgegan.evaluation.catalog import describe_models


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--all", action="store_true", help="also the tiny test_* variants the test suite trains")
    add_size(parser)


def run(a) -> None:
    prepare_teachers()
    rows = describe_models(size=a.size, tests=a.all)
    if a.json:
        print(json.dumps(rows, indent=2))
        return
    head = f"{'name':28s} {'family':10s} {'weights':8s} {'params (M)':>11s} {'GMACs real':>11s} {'GMACs out':>10s}"
    print(head + "  input the MACs were counted on")
    for r in rows:
        print(
            f"{r['name']:28s} {r['family']:10s} {'yes' if r['pretrained'] else '-':8s} {r['parameters'] / 1e6:11.3f} "
            f"{r['gmacs_real']:11.2f} {r['gmacs_output_res']:10.2f}  {'x'.join(map(str, r['mac_input'][1:]))}"
        )
    print("weights: yes = usable by name (edgegan stylize NAME); the others are architectures to train or import")
