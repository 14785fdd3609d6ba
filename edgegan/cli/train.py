"""``edgegan train``: train from a YAML config (resumed in the same run directory)."""

from __future__ import annotations

from edgegan.cli.options import add_out, add_overrides
from edgegan.cli.resolve import prepare_recipe
from edgegan.training import train


def add_arguments(parser) -> None:
    parser.add_argument("config")
    add_overrides(parser)
    add_out(parser, help="run directory (resumed if it holds a run of the same config)")
    parser.add_argument("--no-resume", action="store_true", help="refuse to continue an existing run in --out")


def run(a) -> None:
    prepare_recipe(a.config, a.overrides)
    out = train(a.config, a.overrides, a.out, resume=not a.no_resume)
    if out is not None:
        print(f"run finished; generator checkpoint in {out}")
