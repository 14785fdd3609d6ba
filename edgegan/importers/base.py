"""What every importer shares: the family registry, safe loading of foreign files, mismatch diagnostics,
and writing the result as an ordinary edgegan checkpoint.

A family module registers one function with :func:`register`::

    @register("pix2pix", options={"bn": Option("BatchNorm statistics", choices=("eval", "instance"))}, ...)
    def import_pix2pix(path: Path, out: Path, *, bn: str = "instance") -> Path: ...

``options`` declares the keyword options the family takes, each an :class:`Option` (its help line and allowed
values); an option's default is the importer function's keyword default. ``edgegan import FAMILY`` is a
sub-command built from this declaration alone (:mod:`edgegan.cli.import_`), so a family's options are written
once, here in its module. ``keys`` are regular expressions that a state dict of that family's releases matches,
used to name the nearest family when a file does not fit the one asked for. Nothing is written unless the import
succeeds (checkpoints are written atomically).
"""

from __future__ import annotations

import inspect
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch

from edgegan.errors import EdgeganError
from edgegan.io import check_replaceable
from edgegan.models import describe_state_dict_mismatch, save_model


@dataclass(frozen=True)
class Option:
    """One keyword option of a family: ``--NAME VALUE`` on ``edgegan import FAMILY``, ``NAME=VALUE`` in
    :func:`import_checkpoint`. Its default is the importer function's keyword default (see
    :meth:`Importer.default`), so it is written once."""

    help: str
    choices: tuple[str, ...] | None = None  # the allowed values (checked by import_checkpoint); None: free text
    metavar: str | None = None  # how the help names the value (default: the choices, or NAME upper-cased)
    pairs: bool = False  # NAME=VALUE, repeatable on the command line; the importer gets them as a dict


@dataclass
class Importer:
    family: str
    func: Callable[..., Path]
    needs_file: bool = True
    options: dict[str, Option] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    title: str = ""  # how errors name the family ("CycleGAN ResNet"); default: the family name
    formats: str = ""  # what files it takes, for `edgegan import --help` and docs/models.md
    quirks: str = ""  # what it handles that a naive load would get wrong

    def default(self, option: str) -> Any:
        """What the family uses when ``option`` is not given: its importer's keyword default (None if none)."""
        param = inspect.signature(self.func).parameters.get(option)
        return None if param is None or param.default is inspect.Parameter.empty else param.default

    def matches(self, state_keys: list[str]) -> int:
        """How many of this family's key patterns the keys of a foreign file match."""
        return sum(any(re.fullmatch(p, k) for k in state_keys) for p in self.keys)


IMPORTERS: dict[str, Importer] = {}


def register(family: str, **kwargs) -> Callable[[Callable[..., Path]], Callable[..., Path]]:
    def wrap(func: Callable[..., Path]) -> Callable[..., Path]:
        if family in IMPORTERS:
            raise ValueError(f"importer {family!r} registered twice")
        bad = [k for k, o in kwargs.get("options", {}).items() if not isinstance(o, Option)]
        if bad:
            raise TypeError(f"importer {family!r}: option {bad[0]!r} must be declared as an Option")
        IMPORTERS[family] = Importer(family, func, **kwargs)
        return func

    return wrap


def import_checkpoint(family: str, path: str | os.PathLike | None, out: str | os.PathLike, **options: Any) -> Path:
    """Import ``path`` (a file of ``family``'s reference implementation) into checkpoint directory ``out``."""
    if family not in IMPORTERS:
        raise EdgeganError(f"unknown import source {family!r}; choose one of: {', '.join(sorted(IMPORTERS))}")
    imp = IMPORTERS[family]
    check_replaceable(out)  # before the import's work, not after it
    for key, value in options.items():
        if key not in imp.options:
            allowed = ", ".join(f"--{k.replace('_', '-')}" for k in imp.options) or "none"
            raise EdgeganError(f"edgegan import {family} takes no option {key!r} (its options: {allowed})")
        choices = imp.options[key].choices
        if choices is not None and value not in choices:
            raise EdgeganError(f"--{key.replace('_', '-')} {value!r}: choose one of: {', '.join(choices)}")
    if imp.needs_file:
        if not path:
            raise EdgeganError(f"edgegan import {family} needs the path of the file to import")
        p = Path(path)
        if not p.exists() and not Path(f"{p}.index").is_file():  # a TensorFlow checkpoint is named by its prefix
            raise EdgeganError(f"file not found: {str(path)!r}")
        return imp.func(p, Path(out), **options)
    return imp.func(None if path is None else Path(path), Path(out), **options)


def nearest_family(keys: list[str], exclude: str | None = None) -> str | None:
    """The registered family whose key patterns the most of ``keys`` match (None when none does)."""
    scores = {f: imp.matches(keys) for f, imp in IMPORTERS.items() if f != exclude and imp.keys}
    best = max(scores, key=scores.get, default=None)
    return best if best is not None and scores[best] > 0 else None


def mismatch(family: str, source: str | os.PathLike, keys: list[str], problem: str) -> EdgeganError:
    """The one-line error for a file that does not fit ``family``: what did not fit, and which family would."""
    near = nearest_family(keys, exclude=family)
    hint = f"; it looks like a {near} file: edgegan import {near} {source}" if near else ""
    title = IMPORTERS[family].title if family in IMPORTERS and IMPORTERS[family].title else family
    return EdgeganError(f"{str(source)!r} is not a {title} generator: {problem}{hint}")


def check_torch_zip(path: str | os.PathLike) -> None:
    """Refuse a zip-format ``.pth`` that could exhaust memory before ``torch.load`` inflates it.

    ``torch.save`` stores every entry of its zip uncompressed (so that storages can be memory-mapped): a
    compressed entry is not what it wrote, and a deflated run of zeros is a zip bomb (2 GiB from a 2 MB file,
    which torch.load would inflate in memory before refusing it). Entries whose declared sizes exceed the file's
    own size are refused for the same reason. Only the zip's directory is read."""
    path = Path(path)
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # torch.load takes a file for a zip by its first bytes, so do we
            return
    try:
        with zipfile.ZipFile(path) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:  # a zip whose directory cannot be read is not opened at all
        why = f"its zip directory is unreadable, truncated or corrupt ({e})"
        raise EdgeganError(f"{str(path)!r} is not a loadable PyTorch state dict: {why}") from None
    size = path.stat().st_size
    for info in entries:
        if info.compress_type != zipfile.ZIP_STORED:
            raise EdgeganError(
                f"{str(path)!r} is refused unread: its entry {info.filename!r} is compressed ({info.file_size:,} "
                f"bytes from {info.compress_size:,}); torch.save stores entries uncompressed, and a compressed one "
                "can be a zip bomb"
            )
    declared = sum(i.file_size for i in entries)
    if declared > size:
        raise EdgeganError(f"{str(path)!r} is refused unread: its entries declare {declared:,} bytes in a file of "
                           f"{size:,}")  # fmt: skip


def _torch_refusal(e: BaseException) -> str:
    """What ``torch.load(weights_only=True)`` refused, without its advice to load the file unsafely."""
    for line in str(e).splitlines():
        line = line.strip().removeprefix("WeightsUnpickler error:").strip()
        if line.startswith(("Trying to load unsupported", "Unsupported global", "Unsupported operand", "Unsupported")):
            return line.split(". Please", 1)[0].rstrip(".")
    return ""


def load_state_dict_file(path: str | os.PathLike, family: str = "") -> dict[str, Any]:
    """A ``torch.save``d file loaded with ``weights_only=True`` (nothing in it can run code; a zip bomb is refused
    before it is inflated, :func:`check_torch_zip`); DataParallel's ``module.`` prefixes removed. Returns the
    top-level dict (a state dict, or a dict of them)."""
    path = Path(path)
    if not path.is_file():
        raise EdgeganError(f"weights file not found: {str(path)!r}")
    check_torch_zip(path)
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle, zip, truncation and weights_only refusals all land here
        why = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        if why.isdigit() or len(why) < 8:  # e.g. a text file: the unpickler's bare opcode number
            why = "not a file torch.save wrote"
        elif why.startswith("Weights only load failed"):  # torch's advice (weights_only=False) would run the file
            refusal = _torch_refusal(e)
            why = f"refused without running any of it: {refusal or 'it holds something other than tensors'}"
        raise EdgeganError(f"{str(path)!r} is not a loadable PyTorch state dict: {why}") from None
    if not isinstance(obj, dict):
        raise EdgeganError(f"{str(path)!r} does not hold a dict of tensors (it holds a {type(obj).__name__})")
    return obj


def tensors_only(obj: dict, source: str | os.PathLike, family: str = "") -> dict[str, torch.Tensor]:
    """``obj`` (or its ``state_dict`` entry) as a flat dict of tensors, ``module.`` prefixes removed. A dict of
    state dicts (a training checkpoint of another family) names that family when ``family`` is given."""
    if "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if not obj or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        if family in IMPORTERS:
            parts = ", ".join(f"{k} ({type(v).__name__})" for k, v in list(obj.items())[:4])
            raise mismatch(family, source, list(obj), f"it holds {parts}, not a state dict of tensors")
        raise EdgeganError(f"{str(source)!r} does not hold a state dict of tensors")
    return {k.removeprefix("module."): v for k, v in obj.items()}


def load_into(model: torch.nn.Module, state: dict[str, torch.Tensor], family: str, source, keys: list[str]) -> None:
    """``model.load_state_dict(state)``, or the one-line error naming what did not fit."""
    problem = describe_state_dict_mismatch(model, state)
    if problem:
        raise mismatch(family, source, keys, problem)
    model.load_state_dict(state)


def save_imported(out: Path, model: torch.nn.Module, name: str, args: dict, source, note: str = "") -> Path:
    """The imported network as an ordinary edgegan checkpoint (rebuilds with no flags), atomically."""
    return save_model(
        out,
        model,
        {"name": name, "args": args},
        parent=source,
        created_by=f"edgegan import {note}".strip(),
        metrics={"parameters": sum(p.numel() for p in model.parameters())},
    )
