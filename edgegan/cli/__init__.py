"""``edgegan <command>``: the command line, one module per command (``edgegan.cli.<module>``).

Each command module defines ``add_arguments(parser)`` and ``run(args)``, and imports the
library at its top. So that ``edgegan --help`` stays fast, this package imports no command module until
:func:`main` has found the command word in ``argv``; only that command's module is imported and given its
arguments, the others appear in the help listing by the name and help line in :data:`COMMANDS`.

A user mistake (:class:`~edgegan.errors.EdgeganError`, or a bad argument) prints one line on stderr
and exits with status 2; nothing half-written is left behind because every write is atomic.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Iterable

from edgegan.cli.options import _Parser
from edgegan.errors import EdgeganError

# command -> (module, its one-line help), in the order of the help listing: the help lives here, not in the module,
# so that listing the commands imports none of them
COMMANDS: dict[str, tuple[str, str]] = {
    "data": ("edgegan.cli.data", "datasets"),
    "import": ("edgegan.cli.import_", "turn a published generator into an edgegan checkpoint"),
    "stylize": ("edgegan.cli.stylize", "restyle images with a checkpoint or an exported model"),
    "export": ("edgegan.cli.export", "export a checkpoint for deployment (float, --int8 or --fp16)"),
    "train": ("edgegan.cli.train", "train from a YAML config"),
    "models": ("edgegan.cli.models", "list registered models with parameters and MACs"),
    "generate": ("edgegan.cli.generate", "images from a StyleGAN2 checkpoint by seed, plus a style-mixing grid"),
    "distill": ("edgegan.cli.distill", "train a small student on a teacher's outputs (cached labels)"),
    "prune": ("edgegan.cli.prune", "structured channel pruning (torch-pruning) + fine-tune against the parent"),
    "quantize": ("edgegan.cli.quantize", "INT8 (NNCF, accuracy-controlled) or FP16 model from a float one"),
    "compress": (
        "edgegan.cli.compress",
        "a model brought to a frame-rate budget here: every lever measured, one chosen",
    ),
    "bench": ("edgegan.cli.bench", "latency, cost and drift of several models, interleaved in one run"),
    "video": ("edgegan.cli.video", "stylize a video file (decode, infer, encode overlapped), optionally stabilized"),
    "webcam": ("edgegan.cli.webcam", "live restyling of a camera (or a video file), window or --headless"),
    "eval": ("edgegan.cli.eval", "quality, temporal stability and cost of models: JSON + Markdown report"),
    "demo": ("edgegan.cli.demo", "the whole pipeline: teacher, student, INT8, export, bench, video, report"),
}


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The ``edgegan`` parser with the arguments of ``commands`` (default: all of them, importing every
    command module); every command is listed in ``--help`` either way."""
    load = set(COMMANDS if commands is None else commands)
    p = _Parser(prog="edgegan", description="GAN style transfer, from checkpoint to real time on small devices.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module, line) in COMMANDS.items():
        sp = sub.add_parser(name, help=line)
        if name in load:
            command = importlib.import_module(module)
            command.add_arguments(sp)
            sp.set_defaults(func=command.run)
    return p


def _command_word(argv: list[str]) -> str | None:
    """The subcommand, if ``argv`` names one: the first word that is not an option (``edgegan`` itself
    takes no option with a value)."""
    word = next((w for w in argv if not w.startswith("-")), None)
    return word if word in COMMANDS else None


def _interrupted(e: BaseException) -> bool:
    """Whether ``e`` is a Ctrl-C, or an error raised because of one: a native extension interrupted while it
    initialises (onnxruntime's ``ImportError: initialization failed``) reports the SIGINT only as the cause."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, KeyboardInterrupt):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def _interrupt_line(command: str | None) -> str:
    name = f"edgegan {command}" if command else "edgegan"
    resumes = command in ("train", "distill")
    hint = "; rerun the same command to resume from the last checkpoint" if resumes else ""
    return f"{name}: interrupted, nothing half-written{hint}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _command_word(argv)
    try:
        parser = build_parser([command] if command else [])  # imports the command's module (the library)
    except BaseException as e:  # a Ctrl-C while the command's module (the library) is still being imported
        if not _interrupted(e):
            raise
        print(_interrupt_line(command), file=sys.stderr)
        return 130
    args, extra = parser.parse_known_args(argv)
    if extra:  # dotted overrides may follow options (argparse binds positionals at their first chunk)
        if isinstance(getattr(args, "overrides", None), list) and all(
            "=" in e and not e.startswith("-") for e in extra
        ):
            args.overrides += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        args.func(args)
    except BaseException as e:  # a Ctrl-C first: a library may wrap it in its own error, even one edgegan words
        if _interrupted(e):
            print(_interrupt_line(args.command), file=sys.stderr)
            return 130
        if not isinstance(e, EdgeganError):
            raise
        print(f"edgegan {args.command}: error: {e}", file=sys.stderr)
        return 2
    return 0
