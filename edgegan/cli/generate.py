"""``edgegan generate``: images from a StyleGAN2 checkpoint by seed, plus a style-mixing grid."""

from __future__ import annotations

from edgegan.cli.options import add_model, add_out
from edgegan.cli.resolve import resolve
from edgegan.pipelines.generate import generate, parse_seeds


def add_arguments(parser) -> None:
    add_model(parser, "checkpoint directory of a latent (StyleGAN2) generator")
    parser.add_argument("--seeds", default="0-7", help="e.g. 0-7,10 (default 0-7)")
    parser.add_argument("--psi", type=float, default=1.0, help="truncation psi (1 = none, 0.7 typical)")
    add_out(parser)
    parser.add_argument("--no-grid", action="store_true", help="skip style_mixing.png")


def run(a) -> None:
    written = generate(resolve(a.model), parse_seeds(a.seeds), a.out, psi=a.psi, grid=not a.no_grid)
    print(f"{len(written)} image(s) written to {a.out}")
