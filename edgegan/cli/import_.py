"""``edgegan import FAMILY FILE --out DIR``: a published generator turned into an edgegan checkpoint."""

from __future__ import annotations

import argparse

from edgegan.cli.options import add_out
from edgegan.errors import EdgeganError
from edgegan.importers import IMPORTERS, import_checkpoint

# Family options: each is passed on only when given, and a family refuses one it does not take.
OPTIONS = {
    "bn": "pix2pix: BatchNorm statistics: instance (per image, as test.py without --eval; the default) or eval",
    "direction": "U-GAT-IT / DualGAN: which generator of the pair, A2B or B2A",
    "upsample": (
        "AnimeGANv2: the decoder resize, align_corners (default: the port's forward()/torch.hub) or "
        "scale2 (x2, align_corners=False: its test.py default; H, W multiples of 4)"
    ),
    "style": "magenta-style: the style index (0-25)",
    "layout": "onnx: the file's image layout, NCHW or NHWC (default: from its input shape)",
    "range": "onnx: the file's value range: -1,1 | 0,1 | 0,255",
    "color": "onnx: the file's channel order, RGB or BGR",
    "multiple": "onnx: H and W must be multiples of this",
}


def add_arguments(parser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "families and the files they take:\n" + "\n".join(
        f"  {name:14s} {imp.formats}" for name, imp in sorted(IMPORTERS.items())
    )
    parser.add_argument("source", help=f"the family: {' | '.join(sorted(IMPORTERS))}")
    parser.add_argument("path", nargs="?", help="the file to import (none for vintagify)")
    add_out(parser)
    for name, text in OPTIONS.items():
        parser.add_argument(f"--{name}", help=text)
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="onnx: fix an extra input to a constant"
    )


def run(a) -> None:
    options = {k: getattr(a, k) for k in OPTIONS if getattr(a, k) is not None}
    if a.set:
        bad = [s for s in a.set if "=" not in s]
        if bad:
            raise EdgeganError(f"--set {bad[0]!r}: expected NAME=VALUE")
        options["set"] = dict(s.split("=", 1) for s in a.set)
    out = import_checkpoint(a.source, a.path, a.out, **options)
    print(f"imported into {out}")
