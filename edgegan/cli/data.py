"""``edgegan data samples|pseudo-pairs``: the offline sample set, and a teacher turned into a paired dataset."""

from __future__ import annotations

from edgegan.cli.options import _Parser, add_out, add_size, positive_int
from edgegan.cli.resolve import resolve
from edgegan.data.samples import write_samples
from edgegan.data.stress import SIZES, TRANSFORMS, write_stress_set
from edgegan.media import collect_inputs
from edgegan.pipelines.generate import DEFAULT_SEED_RULE, PAIRS_STYLE_SEED, PAIRS_TRUNC, SEED_RULES, pseudo_pairs


def add_arguments(parser) -> None:
    dsub = parser.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    s = dsub.add_parser("samples", help="write the offline sample photos, clips and smoke datasets")
    s.add_argument("dir")
    s.add_argument("--force", action="store_true", help="rewrite even if the folder is complete")
    st = dsub.add_parser(
        "stress", help="stress inputs from photos: bright, dark, pastel, low-contrast, grayscale, ..., tiny, huge"
    )
    st.add_argument("photos", nargs="+", help="photos or folders")
    add_out(st)
    st.add_argument(
        "--only", nargs="+", metavar="NAME", help=f"what to write (default all: {', '.join([*TRANSFORMS, *SIZES])})"
    )
    pp = dsub.add_parser("pseudo-pairs", help="turn a teacher into a paired dataset (DIR/train/A, DIR/train/B)")
    pp.add_argument("--teacher", required=True, help="checkpoint directory (image-input or StyleGAN2) or .onnx")
    add_out(pp)
    pp.add_argument("--inputs", nargs="+", help="images or folders, for image-input teachers")
    pp.add_argument("--count", type=positive_int, help="number of pairs (default: all inputs, or 100 seeds)")
    add_size(pp, help="A's side for image teachers")
    pp.add_argument(
        "--trunc",
        "--psi",
        dest="trunc",
        type=float,
        default=PAIRS_TRUNC,
        help=f"truncation psi of StyleGAN2 teachers, as NVlabs' --trunc (default {PAIRS_TRUNC:g})",
    )
    pp.add_argument(
        "--style-seed",
        type=int,
        default=PAIRS_STYLE_SEED,
        help=f"the seed whose fine styles make B (StyleGAN2; default {PAIRS_STYLE_SEED})",
    )
    pp.add_argument(
        "--seed-rule",
        choices=list(SEED_RULES),
        default=DEFAULT_SEED_RULE,
        help=f"how a StyleGAN2 seed becomes the latent z (default {DEFAULT_SEED_RULE}; see edgegan generate --help)",
    )


def run_samples(a) -> None:
    out = write_samples(a.dir, force=a.force)
    print(f"sample set in {out} (credits: {out / 'CREDITS.md'})")


def run_stress(a) -> None:
    written = write_stress_set(collect_inputs(a.photos), a.out, a.only)
    print(f"{len(written)} stress inputs written to {a.out}")


def run_pseudo_pairs(a) -> None:
    out = pseudo_pairs(
        resolve(a.teacher),
        a.out,
        a.inputs,
        count=a.count,
        size=a.size,
        psi=a.trunc,
        style_seed=a.style_seed,
        seed_rule=a.seed_rule,
    )
    print(f"pairs written to {out / 'train'} (A/, B/; how they were made: {out / 'pairs.json'})")


def run(args) -> None:
    {"samples": run_samples, "stress": run_stress, "pseudo-pairs": run_pseudo_pairs}[args.data_command](args)
