"""``edgegan import FAMILY [FILE] --out DIR [options]``: a published generator turned into an edgegan checkpoint.

Each registered family (:data:`edgegan.importers.IMPORTERS`) is a sub-command of ``import`` with its own options
only. Nothing here is written per family: the sub-command is built from what the family module declares with
:func:`~edgegan.importers.base.register` (its :class:`~edgegan.importers.base.Option` s, their help and allowed
values, whether it takes a file, what files it reads), and an option's default is the importer's own keyword
default. Options and FILE may come in any order.
"""

from __future__ import annotations

import argparse

from edgegan.cli.options import _Parser, add_out
from edgegan.importers import IMPORTERS, import_checkpoint
from edgegan.importers.base import Importer, Option

# attribute prefix of a family option in the parsed namespace: no option name can shadow `out`, `path`, `func` ...
_DEST = "option_"


class _FamilyParser(_Parser):
    """``edgegan import FAMILY``: refuses an argument it does not know itself, so that the error names the family
    (``edgegan import cartoongan: error: unrecognized arguments: --upsample ...``) and its ``--help``."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extra = super().parse_known_args(args, namespace)
        if extra:
            self.error(f"unrecognized arguments: {' '.join(extra)}")
        return namespace, extra


def _plain(text: str) -> str:
    """Markdown code spans (the declarations also fill docs/models.md) as terminal text."""
    return text.replace("`", "")


def _name_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _summary(imp: Importer) -> str:
    """The family's line in ``edgegan import --help``."""
    return (imp.title or imp.family) + ("" if imp.needs_file else "; takes no FILE")


def _add_option(parser: argparse.ArgumentParser, imp: Importer, name: str, opt: Option) -> None:
    text = opt.help
    default = imp.default(name)
    if default is not None:
        text += f" (default: {default})"
    kwargs: dict = {"dest": _DEST + name, "default": argparse.SUPPRESS, "help": text}
    # the choices are shown, and checked by import_checkpoint (the same one-line error as from Python)
    kwargs["metavar"] = opt.metavar or ("{" + ",".join(opt.choices) + "}" if opt.choices else name.upper())
    if opt.pairs:
        kwargs.update(action="append", type=_name_value)
    parser.add_argument(f"--{name.replace('_', '-')}", **kwargs)


def add_arguments(parser) -> None:
    # the families are listed by hand, one line each: argparse's own listing breaks the line of a long name
    # (magenta-style) and changes its layout between Python versions
    width = max(map(len, IMPORTERS)) + 2
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = (
        "Turn a published generator into an edgegan checkpoint directory.\n"
        "Each family is a sub-command with its own options: edgegan import FAMILY --help\n"
        "shows its files and options, which may come in any order with FILE."
    )
    listing = [f"  {family:{width}s}{_summary(imp)}" for family, imp in sorted(IMPORTERS.items())]
    parser.epilog = "\n".join(["families:", *listing])
    families = parser.add_subparsers(
        dest="family", metavar="FAMILY", required=True, parser_class=_FamilyParser, help="one of the families below"
    )
    for family, imp in sorted(IMPORTERS.items()):
        description = f"{imp.title or family}: {_plain(imp.formats)}" if imp.formats else imp.title or family
        handles = f"handled: {_plain(imp.quirks)}" if imp.quirks else None
        sp = families.add_parser(family, description=description, epilog=handles)
        if imp.needs_file:
            sp.add_argument("path", metavar="FILE", help="the file to import")
        else:
            sp.set_defaults(path=None)
        add_out(sp, help="the checkpoint directory to write")
        for name, opt in imp.options.items():
            _add_option(sp, imp, name, opt)


def run(a) -> None:
    imp = IMPORTERS[a.family]
    options = {}  # only those given: the importer's keyword defaults apply to the others
    for name, opt in imp.options.items():
        if hasattr(a, _DEST + name):
            value = getattr(a, _DEST + name)
            options[name] = dict(value) if opt.pairs else value
    out = import_checkpoint(a.family, a.path, a.out, **options)
    print(f"imported into {out}")
