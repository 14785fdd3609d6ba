"""``edgegan generate``: images from a StyleGAN2 checkpoint by seed, plus a style-mixing grid.

``--seeds``, ``--trunc`` and ``--noise-mode`` mean what they mean in NVlabs' ``generate.py`` /
``gen_images.py``: an imported NVlabs ``.pkl`` gives their images for the same values."""

from __future__ import annotations

from edgegan.cli.options import add_model, add_out
from edgegan.cli.resolve import resolve
from edgegan.pipelines.generate import (
    DEFAULT_NOISE_MODE,
    DEFAULT_SEED_RULE,
    NOISE_MODES,
    SEED_RULES,
    generate,
    parse_seeds,
)


def add_arguments(parser) -> None:
    add_model(parser, "checkpoint directory of a latent (StyleGAN2) generator")
    parser.add_argument("--seeds", default="0-7", help="e.g. 0-7,10 (default 0-7); each from 0 to 2**32-1")
    parser.add_argument(
        "--trunc",
        "--psi",
        dest="trunc",
        type=float,
        default=1.0,
        help="truncation psi, as NVlabs' --trunc: every w moves towards the mean w (1 = none, default; 0.7 typical)",
    )
    rules = "; ".join(f"{k}: {v}" for k, v in SEED_RULES.items())
    parser.add_argument(
        "--seed-rule",
        choices=list(SEED_RULES),
        default=DEFAULT_SEED_RULE,
        help=f"how a seed becomes the latent z (default {DEFAULT_SEED_RULE}). {rules}",
    )
    modes = "; ".join(f"{k}: {v}" for k, v in NOISE_MODES.items())
    parser.add_argument(
        "--noise-mode",
        choices=list(NOISE_MODES),
        default=DEFAULT_NOISE_MODE,
        help=f"per-pixel noise inputs, as NVlabs' --noise-mode (default {DEFAULT_NOISE_MODE}). {modes}",
    )
    add_out(parser)
    parser.add_argument("--no-grid", action="store_true", help="skip style_mixing.png")


def run(a) -> None:
    written = generate(
        resolve(a.model),
        parse_seeds(a.seeds),
        a.out,
        psi=a.trunc,
        grid=not a.no_grid,
        seed_rule=a.seed_rule,
        noise_mode=a.noise_mode,
    )
    print(f"{len(written)} image(s) written to {a.out}")
