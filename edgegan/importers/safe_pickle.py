"""Reading a plain pickle of PyTorch modules without running any of its code.

NVlabs' StyleGAN2-ADA snapshots (``network-snapshot-*.pkl``) are ``pickle.dump``s of whole networks whose
classes go through ``torch_utils.persistence``: each module is stored as a call
``_reconstruct_persistent_obj(meta)``, where ``meta`` holds the source code of the module's Python file
(``module_src``), the class name and the object's ``__dict__`` (``state``). Unpickling it the usual way
executes that source. :func:`load_restricted` instead:

- turns every such call into an inert :class:`PersistentRecord` (class name + state), never touching
  ``module_src``;
- rebuilds tensors through PyTorch's own tensor/parameter constructors, the storages through
  ``torch.load(weights_only=True)`` of their embedded bytes;
- allows ordered dicts, sets, ``dnnlib.util.EasyDict`` (as a plain dict) and NumPy scalars and arrays;
- refuses every other global (``os.system``, ``builtins.exec``, any class) with a one-line error, before
  calling it.
"""

from __future__ import annotations

import collections
import importlib
import io
import os
import pickle
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from edgegan.errors import EdgeganError

TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # the first object of a torch.save file in the pre-zip format


@dataclass
class PersistentRecord:
    """What ``_reconstruct_persistent_obj`` would have rebuilt: the class name and the object's attributes."""

    class_name: str
    state: dict = field(repr=False)

    def child(self, dotted: str) -> PersistentRecord | None:
        """The submodule at ``dotted`` ("synthesis.b4.conv1"), or None."""
        rec: Any = self
        for part in dotted.split(".") if dotted else []:
            mods = rec.state.get("_modules") if isinstance(rec, PersistentRecord) else None
            rec = (mods or {}).get(part)
            if not isinstance(rec, PersistentRecord):
                return None
        return rec

    def modules(self, prefix: str = ""):
        """(dotted name, record) for this record and every persistent submodule below it."""
        yield prefix, self
        for name, sub in (self.state.get("_modules") or {}).items():
            if isinstance(sub, PersistentRecord):
                yield from sub.modules(f"{prefix}.{name}" if prefix else name)

    def tensors(self) -> dict[str, torch.Tensor]:
        """The state dict the module would have: parameters and persistent buffers under dotted names."""
        out: dict[str, torch.Tensor] = {}
        for prefix, rec in self.modules():
            skip = rec.state.get("_non_persistent_buffers_set") or set()
            pre = f"{prefix}." if prefix else ""
            for group in ("_parameters", "_buffers"):
                for name, t in (rec.state.get(group) or {}).items():
                    if isinstance(t, torch.Tensor) and not (group == "_buffers" and name in skip):
                        out[pre + name] = t
        return out


class _EasyDict(dict):
    """Stand-in for ``dnnlib.util.EasyDict`` (a dict with attribute access): just the dict."""


def _persistent_record(meta: Any) -> PersistentRecord:
    if not isinstance(meta, dict) or not isinstance(meta.get("class_name"), str):
        raise pickle.UnpicklingError("a persistence record without a class name")
    state = meta.get("state")
    return PersistentRecord(meta["class_name"], dict(state) if isinstance(state, dict) else {})


def _storage_from_bytes(data: bytes):
    if not isinstance(data, (bytes, bytearray)):
        raise pickle.UnpicklingError("a storage that is not bytes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TypedStorage deprecation chatter
        storage = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    if not isinstance(storage, torch.storage.TypedStorage):
        raise pickle.UnpicklingError("embedded storage bytes hold no storage")
    return storage


def _rebuild_tensor(storage, offset, size, stride, *_ignored) -> torch.Tensor:
    """torch._utils._rebuild_tensor_v2 without the requires_grad, hooks and metadata extras."""
    if not isinstance(storage, torch.storage.TypedStorage):
        raise pickle.UnpicklingError("a tensor whose storage is not a storage")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch._utils._rebuild_tensor(storage, offset, tuple(size), tuple(stride))


def _rebuild_parameter(data, *_ignored) -> torch.Tensor:
    if not isinstance(data, torch.Tensor):
        raise pickle.UnpicklingError("a parameter without tensor data")
    return data


def _numpy(name: str):
    import numpy as np

    if name in ("ndarray", "dtype"):
        return getattr(np, name)
    for mod in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            return getattr(importlib.import_module(mod), name)
        except (ImportError, AttributeError):
            continue
    raise pickle.UnpicklingError(f"numpy.{name} not available")


_ALLOWED = {
    ("torch_utils.persistence", "_reconstruct_persistent_obj"): lambda: _persistent_record,
    ("torch._utils", "_rebuild_tensor_v2"): lambda: _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor"): lambda: _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): lambda: _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): lambda: _rebuild_parameter,
    ("torch.storage", "_load_from_bytes"): lambda: _storage_from_bytes,
    ("collections", "OrderedDict"): lambda: collections.OrderedDict,
    ("builtins", "set"): lambda: set,
    ("builtins", "frozenset"): lambda: frozenset,
    ("__builtin__", "set"): lambda: set,
    ("dnnlib.util", "EasyDict"): lambda: _EasyDict,
    ("numpy", "ndarray"): lambda: _numpy("ndarray"),
    ("numpy", "dtype"): lambda: _numpy("dtype"),
    ("numpy.core.multiarray", "_reconstruct"): lambda: _numpy("_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"): lambda: _numpy("_reconstruct"),
    ("numpy.core.multiarray", "scalar"): lambda: _numpy("scalar"),
    ("numpy._core.multiarray", "scalar"): lambda: _numpy("scalar"),
}


class RefusedGlobal(pickle.UnpicklingError):
    pass


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that only knows the names in ``_ALLOWED``; everything else is refused unrun."""

    def find_class(self, module: str, name: str):
        make = _ALLOWED.get((module, name))
        if make is None:
            raise RefusedGlobal(f"{module}.{name}")
        return make()

    def persistent_load(self, pid):
        raise RefusedGlobal(f"persistent id {str(pid)[:40]!r}")


def is_torch_legacy(path: str | os.PathLike) -> bool:
    """True for a ``torch.save`` file in the pre-zip format: a protocol-2 pickle whose first object is the
    magic number (checked on the bytes, nothing unpickled)."""
    with open(path, "rb") as f:
        head = f.read(14)
    return head == b"\x80\x02\x8a\x0a" + TORCH_LEGACY_MAGIC.to_bytes(10, "little")


def load_restricted(path: str | os.PathLike, what: str = "pickle") -> Any:
    """The object pickled in ``path``, read without running code (see the module docstring); an
    :class:`EdgeganError` naming the first refused global, or saying that the file is truncated/corrupt."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            return RestrictedUnpickler(f).load()
    except RefusedGlobal as e:
        raise EdgeganError(
            f"{str(path)!r}: refused to unpickle {e} (a {what} may run code when loaded; edgegan reads only "
            "tensors, containers and StyleGAN persistence records from it)"
        ) from None
    except MemoryError:
        raise EdgeganError(f"{str(path)!r} is not a readable {what} (corrupt)") from None
    except Exception as e:  # EOFError, UnpicklingError, struct errors of a truncated or foreign file
        why = str(e).strip().splitlines()[0][:160] if str(e).strip() else type(e).__name__
        raise EdgeganError(f"{str(path)!r} is not a readable {what} (truncated or corrupt: {why})") from None
