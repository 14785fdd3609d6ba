"""How a model is fed: the typed ``edgegan.io`` description that travels with every format.

A checkpoint keeps it in ``config.json``, an ONNX file in its metadata, an OpenVINO IR in its runtime info and a
TensorRT engine in the ``.json`` beside it, always as the same JSON object under :data:`IO_KEY`.
:class:`ModelIO` is that object once read: the one place that knows its keys, their defaults and their types, so
backends, export, pruning and quantization read attributes instead of spelling ``get("size_multiple", 1)``.
A foreign file (no description) reads as the defaults: an RGB image in [-1, 1], NCHW float32, any size.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from edgegan.errors import EdgeganError

IO_KEY = "edgegan.io"
INPUTS = ("image", "latent")


@dataclass(frozen=True)
class ModelIO:
    input: str = "image"  # "image", or "latent" (a StyleGAN2 generator)
    layout: str = "NCHW"
    dtype: str = "float32"
    color: str = "RGB"
    range: tuple[float, float] = (-1.0, 1.0)
    in_channels: int = 3
    out_channels: int = 3
    size_multiple: int = 1  # H and W must be multiples of this (the runtime pads to it)
    fixed_size: int | None = None  # the network takes this H = W only (the runtime resizes to it and back)
    latent_dim: int | None = None  # for input == "latent"
    int8_ops: tuple[str, ...] | None = None  # INT8 quantizes only these ONNX op types; the rest stays float
    style_input: dict[str, Any] | None = None  # a conditional graph's style input: name, n_styles, default
    extra: dict[str, Any] = field(default_factory=dict)  # keys a newer edgegan wrote, kept as they are

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, where: str = "the model") -> ModelIO:
        """The description in ``data`` (an ``edgegan.io`` JSON object; None or {} for a foreign file), checked:
        a malformed one is a one-line error naming ``where`` it came from."""
        data = dict(data or {})
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        kwargs = {k: data.pop(k) for k in list(data) if k in known}
        try:
            io = cls(**kwargs, extra=data)
            io = dataclasses.replace(
                io,
                range=(float(io.range[0]), float(io.range[1])),
                in_channels=int(io.in_channels),
                out_channels=int(io.out_channels),
                size_multiple=int(io.size_multiple),
                fixed_size=int(io.fixed_size) if io.fixed_size else None,
                latent_dim=int(io.latent_dim) if io.latent_dim is not None else None,
                int8_ops=tuple(str(op) for op in io.int8_ops) if io.int8_ops else None,
                style_input=dict(io.style_input) if io.style_input else None,
            )
        except (TypeError, ValueError, IndexError) as e:
            raise EdgeganError(f"{where} has a malformed {IO_KEY} description ({e})") from None
        if io.input not in INPUTS:
            raise EdgeganError(f"{where} takes a {io.input!r} input; edgegan knows {', '.join(INPUTS)}")
        if io.size_multiple < 1 or (io.fixed_size is not None and io.fixed_size < 1):
            raise EdgeganError(f"{where} has a size multiple or fixed size below 1 in its {IO_KEY} description")
        if io.input == "latent" and not io.latent_dim:
            raise EdgeganError(f"{where} takes a latent input but its {IO_KEY} description gives no latent_dim")
        return io

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written into a model file (unset optional keys left out, as files always had them)."""
        out: dict[str, Any] = {
            "input": self.input,
            "layout": self.layout,
            "dtype": self.dtype,
            "color": self.color,
            "range": list(self.range),
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "size_multiple": self.size_multiple,
        }
        optional = {
            "fixed_size": self.fixed_size,
            "int8_ops": list(self.int8_ops) if self.int8_ops else None,
            "latent_dim": self.latent_dim,
            "style_input": self.style_input,
        }
        out.update({k: v for k, v in optional.items() if v is not None})
        out.update(self.extra)
        return out

    @property
    def n_styles(self) -> int:
        """Styles a graph with a style input switches between (0: one style, baked in)."""
        return int(self.style_input["n_styles"]) if self.style_input else 0

    def side(self, size: int) -> int:
        """The square side the network is run at for a requested ``size``: its fixed size, or ``size`` rounded up
        to its size multiple."""
        return self.fixed_size or -(-int(size) // self.size_multiple) * self.size_multiple

    def require_image(self, spec: str, hint: str = "") -> None:
        """A one-line error unless the model takes an image (a latent generator is run by ``edgegan generate``)."""
        if self.input != "image":
            raise EdgeganError(f"{spec!r} takes a {self.input} input, not an image{hint}")
