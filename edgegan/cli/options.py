"""What several commands share: the one-line-error parser, argument types and option groups, written once.

This module is imported by ``edgegan --help``: it must not import the library (only :func:`print_metrics`
does, when it runs).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from edgegan.errors import EdgeganError
from edgegan.io import read_json  # light (stdlib only): ``edgegan --help`` imports this module
from edgegan.sizes import MAX_SIDE, MIN_SIDE, parse_frame_size

VAL_HELP = "validation photos for metrics.json (default: the sample photos)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + error
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def input_path(text: str) -> str:
    """A path in a several-path option of a command that also takes ``key=value`` overrides: argparse gives
    every word after ``--data``/``--val`` to that option, so an override written there would be lost (and
    found only when the training is over)."""
    if "=" in text and not os.path.exists(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is a config override, not a path: write overrides before --data/--val"
        )
    return text


def _writable_place(path: Path) -> bool:
    """Whether the nearest existing folder above ``path`` takes a new file (tried: permissions alone do not tell,
    e.g. for root under /proc)."""
    import tempfile

    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    try:
        with tempfile.TemporaryFile(dir=parent):
            return True
    except OSError:
        return False


def output_file(text: str) -> str:
    """A file the command will write when its work is done: checked before the work starts."""
    p = Path(text)
    if p.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file name")
    if not _writable_place(p):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: its folder is not writable")
    return text


def output_folder(text: str) -> str:
    """A folder the command will write into (made if missing): checked before the work starts."""
    p = Path(text)
    if p.exists() and not p.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a folder")
    if not _writable_place(p / "x" if p.is_dir() else p):
        raise argparse.ArgumentTypeError(f"cannot write into {text!r}: not writable")
    return text


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {v}")
    return v


def add_model(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("model", help=help)


def blend_weight(text: str) -> float:
    """--alpha of the temporal stabilizer: checked even without --temporal (the user meant something by it)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 <= v < 1.0:
        raise argparse.ArgumentTypeError(f"expected a weight in [0, 1), got {v:g}")
    return v


def pixel_size(text: str) -> int:
    """--size at the edge: the library's one bound (:func:`edgegan.sizes.check_side`), as argparse's error line."""
    v = positive_int(text)
    if not MIN_SIDE <= v <= MAX_SIDE:
        raise argparse.ArgumentTypeError(f"expected a side of {MIN_SIDE} to {MAX_SIDE} pixels, got {v}")
    return v


def frame_size(text: str) -> tuple[int, int]:
    """WIDTHxHEIGHT at the edge (:func:`edgegan.sizes.parse_frame_size`), as argparse's error line."""
    try:
        return parse_frame_size(text, "")
    except EdgeganError as e:
        raise argparse.ArgumentTypeError(str(e).strip()) from None


def add_carrier(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--carrier",
        choices=("bilinear", "detail"),  # edgegan.media.CARRIERS (not imported: --help stays light)
        default="bilinear",
        help="how an output at --size returns to the frame's size: enlarged (bilinear), or its change added to the "
        "full-resolution frame (detail: keeps the frame's fine detail; for colour styles)",
    )


def add_size(p: argparse.ArgumentParser, default: int | None = 256, help: str | None = None) -> None:
    p.add_argument("--size", type=pixel_size, default=default, help=help)


def add_threads(p: argparse.ArgumentParser, default: int | None = None) -> None:
    p.add_argument("--threads", type=positive_int, default=default)


def add_backend(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--backend", help=help)


def add_runtime(
    p: argparse.ArgumentParser,
    size_default: int | None = 256,
    size_help: str | None = None,
    threads_default: int | None = None,
    backend: str | None = None,
) -> None:
    """--size, --backend (when ``backend`` gives its help line) and --threads, in that order."""
    add_size(p, size_default, size_help)
    if backend:
        add_backend(p, backend)
    add_threads(p, threads_default)


def add_style(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--style", type=int, help="style index of a conditional model (magenta_style, or an export with --style-input)"
    )


def add_out(p: argparse.ArgumentParser, help: str | None = None, required: bool = True, default=None) -> None:
    p.add_argument("--out", required=required, default=default, help=help)


def add_overrides(p: argparse.ArgumentParser, help: str = "dotted key=value, e.g. train.lr=1e-4") -> None:
    p.add_argument("overrides", nargs="*", help=help)


def add_val(p: argparse.ArgumentParser, help: str = VAL_HELP, guard: bool = True) -> None:
    """--val photos; ``guard`` refuses a ``key=value`` there (commands that also take overrides)."""
    p.add_argument("--val", nargs="+", type=input_path if guard else None, help=help)


def print_metrics(out) -> None:
    """One line from ``OUT/metrics.json`` of distill, prune and quantize."""
    m = read_json(Path(out) / "metrics.json")
    parts = [
        f"{k.replace('vs_', 'vs ')} {v['psnr_mean']:.2f} dB (min {v['psnr_min']:.2f}), SSIM {v['ssim_mean']:.4f}"
        for k, v in m.items()
        if k.startswith("vs_")
    ]
    cost = f"{m['parameters']:,} parameters, {m['macs'] / 1e9:.2f} GMACs, " if "parameters" in m else ""
    print(
        f"wrote {out}: {cost}{m['bytes'] / 1e6:.2f} MB; on {m['photos']} photos at {m['size']} px: " + "; ".join(parts)
    )
