"""Named builders.

A :class:`Registry` maps a name (``cyclegan_resnet9``) to a builder and its default arguments, so a
checkpoint can store ``{"name": ..., "args": ...}`` and rebuild its model with no flags. Registries are
filled when their family modules are imported; :func:`edgegan.models.load_all` imports them all.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from edgegan.errors import EdgeganError


@dataclass
class Entry:
    name: str
    builder: Callable[..., Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def parameters(self) -> list[str]:
        sig = inspect.signature(self.builder)
        return [p for p in sig.parameters if p not in ("self",)]

    def resolved_args(self, args: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults of the builder, then the variant's defaults, then ``args``; unknown keys are errors."""
        args = dict(args or {})
        known = self.parameters()
        unknown = sorted(set(args) - set(known))
        if unknown:
            raise EdgeganError(
                f"unknown argument(s) {', '.join(map(repr, unknown))} for {self.name!r}; known: {', '.join(known)}"
            )
        sig = inspect.signature(self.builder)
        out = {k: p.default for k, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
        out.update(self.defaults)
        out.update(args)
        return out


class Registry:
    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, builder: Callable | None = None, /, **defaults_and_meta):
        """Register ``builder`` under ``name``. Keyword ``meta={...}`` is kept apart from builder defaults.

        Usable as a decorator (``@MODELS.register("x")``) or a call (``MODELS.register("x", fn, depth=9)``).
        """
        meta = defaults_and_meta.pop("meta", {})

        def add(fn):
            if name in self._entries:
                raise ValueError(f"{self.kind} {name!r} registered twice")
            self._entries[name] = Entry(name, fn, dict(defaults_and_meta), dict(meta))
            return fn

        return add(builder) if builder is not None else add

    def get(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except KeyError:
            raise EdgeganError(
                f"unknown {self.kind} {name!r}; choose one of: {', '.join(sorted(self._entries))}"
            ) from None

    def build(self, name: str, args: dict[str, Any] | None = None):
        entry = self.get(name)
        return entry.builder(**entry.resolved_args(args))

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __contains__(self, name: str) -> bool:
        return name in self._entries


MODELS = Registry("model")
DISCRIMINATORS = Registry("discriminator")
OBJECTIVES = Registry("objective")
DATASETS = Registry("dataset")
