"""Reading a foreign ONNX image translator: its image input and output, layout, value range, colour order,
size, and constants for its extra inputs -- the plan that :mod:`edgegan.importers.onnx_wrap` turns into a graph
with edgegan's contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from edgegan.artifact import load_onnx
from edgegan.errors import EdgeganError
from edgegan.importers.base import load_state_dict_file, nearest_family

RANGES = {"-1,1": (-1.0, 1.0), "0,1": (0.0, 1.0), "0,255": (0.0, 255.0)}
DEFAULT_RANGE, DEFAULT_COLOR = "0,255", "RGB"
TOLERANCE = 1e-3  # wrapped graph vs the file's graph with NumPy pre/post, in [-1, 1] (0.13 of a grey level)
PREFIX = "model/"  # the file's names inside the wrapped graph: its own "image" or "stylized" cannot clash
FLOAT, UINT8 = 1, 2  # onnx.TensorProto element types
FLOATS = {1, 10, 11}  # float, float16, double
PASS_THROUGH = ("Identity", "Cast", "Transpose", "Reshape", "Squeeze", "Unsqueeze")
MAX_PROTO = 2**31 - 2**20  # larger models are saved with external data


@dataclass
class Plan:
    """What the wrapper does, resolved from the file and the options."""

    image: str
    output: str
    layout: str
    out_layout: str
    range: str
    range_known: bool
    color: str
    in_elem: int
    out_elem: int
    fixed_size: int | None
    multiple: int
    batch: int | None  # the static batch of the file's input, None when dynamic
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def pre(self, x: np.ndarray) -> np.ndarray:
        """NumPy twin of the pre-processing graph."""
        from onnx.helper import tensor_dtype_to_np_dtype

        lo, hi = RANGES[self.range]
        x = x[:, ::-1] if self.color == "BGR" else x
        x = x.transpose(0, 2, 3, 1) if self.layout == "NHWC" else x
        x = x.astype(np.float32) * np.float32((hi - lo) / 2) + np.float32((hi + lo) / 2)
        if self.in_elem == UINT8:
            return np.clip(np.rint(x), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(x.astype(tensor_dtype_to_np_dtype(self.in_elem)))

    def post(self, y: np.ndarray) -> np.ndarray:
        """NumPy twin of the post-processing graph."""
        lo, hi = RANGES[self.range]
        y = np.clip(y.astype(np.float32), lo, hi) if self.range_known else y.astype(np.float32)
        y = (y - np.float32((hi + lo) / 2)) * np.float32(2 / (hi - lo))
        y = y.transpose(0, 3, 1, 2) if self.out_layout == "NHWC" else y
        return y[:, ::-1] if self.color == "BGR" else y


def _dims(vi) -> list | None:
    """Declared shape: ints for fixed sizes, the dim_param name or None for dynamic ones; None for unknown rank."""
    t = vi.type.tensor_type
    if not vi.type.HasField("tensor_type") or not t.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in t.shape.dim]


def _static(d) -> int | None:
    return d if isinstance(d, int) and d > 0 else None


def _describe(vi) -> str:
    from onnx.helper import tensor_dtype_to_string

    dims = _dims(vi)
    kind = tensor_dtype_to_string(vi.type.tensor_type.elem_type).removeprefix("TensorProto.").lower()
    return f"{vi.name!r} ({kind}[{'?' if dims is None else ','.join(str(d or '?') for d in dims)}])"


def read_onnx(path: Path):
    """The file as a checked ``ModelProto`` (:func:`edgegan.artifact.load_onnx`), or the one-line error saying what
    it is instead: a PyTorch file (loaded weights-only, to name the importer of its family), an empty graph."""
    if not path.is_file():
        raise EdgeganError(f"{str(path)!r} is not a file; edgegan import onnx takes an .onnx file")
    with path.open("rb") as f:
        head = f.read(4)
    if head == b"PK\x03\x04" or head[:1] == b"\x80":  # torch.save's zip or a bare pickle: loaded weights-only
        try:
            obj = load_state_dict_file(path, "onnx")
        except EdgeganError as e:
            why = str(e).split(f"{str(path)!r} ", 1)[-1]
            raise EdgeganError(f"{str(path)!r} is a PyTorch file, not an ONNX model, and it {why}") from None
        near = nearest_family([str(k) for k in obj] + [str(k) for v in obj.values() if isinstance(v, dict) for k in v])
        hint = f"edgegan import {near} {path}" if near else "the importer of its family (edgegan import --help)"
        raise EdgeganError(f"{str(path)!r} is a PyTorch file, not an ONNX model: import it with {hint}")
    model = load_onnx(path)
    if not model.graph.node or not model.graph.output or not model.opset_import:
        raise EdgeganError(f"{str(path)!r} is not an ONNX model: it holds no graph")
    return model


def _constant(name: str, value: Any, vi) -> np.ndarray:
    """``--set`` text (a number or a comma list; true/false for bool) or an array, in the input's dtype and shape;
    one value fills the whole shape."""
    from onnx.helper import tensor_dtype_to_np_dtype

    try:
        dtype = np.dtype(tensor_dtype_to_np_dtype(vi.type.tensor_type.elem_type))
    except Exception:
        raise EdgeganError(f"--set {name}: input {_describe(vi)} is not a numeric tensor") from None
    if isinstance(value, np.ndarray):
        arr = value
    else:
        parts = [p.strip().lower() for p in str(value).split(",") if p.strip()]
        parse = {"b": lambda p: {"true": 1, "false": 0, "1": 1, "0": 0}[p], "i": int, "u": int}.get(dtype.kind, float)
        try:
            arr = np.array([parse(p) for p in parts])
        except (KeyError, ValueError):
            raise EdgeganError(f"--set {name}={value}: expected {dtype.name} numbers separated by commas") from None
        if not parts:
            raise EdgeganError(f"--set {name}=: no value")
    dims = _dims(vi)
    if dims is None:
        return np.ascontiguousarray(arr.astype(dtype).reshape(() if arr.size == 1 else (arr.size,)))
    known = int(np.prod([_static(d) or 1 for d in dims]))
    free = [d for d in dims if _static(d) is None]
    n = arr.size // known if len(free) == 1 and arr.size % known == 0 else 1
    shape = tuple(_static(d) or n for d in dims)
    if arr.size == 1:
        arr = np.full(shape, arr.reshape(-1)[0])
    if arr.size != int(np.prod(shape)):
        raise EdgeganError(f"--set {name}: input {_describe(vi)} does not take {arr.size} values")
    return np.ascontiguousarray(arr.astype(dtype).reshape(shape))


def _layout(dims: list, given: str | None, what: str) -> str | None:
    """NCHW or NHWC for a rank-4 shape: ``given`` checked against it, else the axis that holds 3 channels."""
    c1, c3 = _static(dims[1]), _static(dims[3])
    if given:
        (ch, axis), other = ((c1, 1), c3) if given == "NCHW" else ((c3, 3), c1)
        if ch not in (None, 3) or (ch is None and other == 3):
            shown = f"{ch} channels on axis {axis}" if ch else f"3 channels on axis {4 - axis}"
            raise EdgeganError(f"--layout {given}: {what} has {shown}; edgegan feeds RGB (3 channels)")
        return given
    return "NCHW" if c1 == 3 and c3 != 3 else "NHWC" if c3 == 3 and c1 != 3 else None


def _read_range(graph, output: str, elems: tuple[int, int]) -> str | None:
    """The range the graph shows (uint8 ends, or a final Tanh / Sigmoid / Clip to a known range), else None."""
    from onnx import numpy_helper

    if UINT8 in elems:
        return "0,255"
    producer = {o: n for n in graph.node for o in n.output}
    consts = {t.name: t for t in graph.initializer}
    consts.update({n.output[0]: n.attribute[0].t for n in graph.node if n.op_type == "Constant" and n.attribute})
    node = producer.get(output)
    while node is not None and node.op_type in PASS_THROUGH:
        node = producer.get(node.input[0])
    if node is None or node.op_type not in ("Tanh", "Sigmoid", "Clip"):
        return None
    if node.op_type != "Clip":
        return "-1,1" if node.op_type == "Tanh" else "0,1"
    ends = {a.name: a.f for a in node.attribute}  # opset < 11: min/max attributes
    for key, name in zip(("min", "max"), node.input[1:3], strict=False):  # max may be left out
        value = numpy_helper.to_array(consts[name]) if name in consts else None
        ends[key] = float(value) if value is not None and value.size == 1 else None
    return next((k for k, v in RANGES.items() if v == (ends.get("min"), ends.get("max"))), None)


def plan(model, path: Path, *, layout=None, range_=None, color=None, multiple=None, constants=None) -> Plan:
    """Resolve what the wrapper must do from the file's inputs and outputs and the options."""
    graph = model.graph
    inputs = {vi.name: vi for vi in graph.input}
    inits = {t.name for t in graph.initializer}
    listing = ", ".join(_describe(vi) for vi in graph.input if vi.name not in inits) or "none"
    for name in constants or {}:
        if name not in inputs:
            raise EdgeganError(f"--set {name}: {str(path)!r} has no input {name!r}; its inputs: {listing}")
    fixed = {name: _constant(name, value, inputs[name]) for name, value in (constants or {}).items()}
    left = [vi for vi in graph.input if vi.name not in inits and vi.name not in fixed]
    images = [vi for vi in left if len(_dims(vi) or ()) == 4 and {_static(_dims(vi)[a]) for a in (1, 3)} & {3, None}]
    if len(images) != 1:
        found = f"{len(images)} image-like inputs" if images else "no image-like input (rank 4, 3 channels)"
        raise EdgeganError(
            f"{str(path)!r} has {found} to feed ({listing}): edgegan feeds one image; "
            "fix the others with --set NAME=VALUE"
        )
    image = images[0]
    extra = [vi for vi in left if vi is not image]
    if extra:
        names = ", ".join(_describe(vi) for vi in extra)
        raise EdgeganError(f"input {names} of {str(path)!r} has no value: give it one with --set {extra[0].name}=VALUE")
    outs = [vi for vi in graph.output if len(_dims(vi) or (0,) * 4) == 4]
    if len(outs) != 1:
        raise EdgeganError(f"{str(path)!r} has {len(outs)} image (rank-4) outputs; edgegan needs exactly one")
    output, dims, odims = outs[0], _dims(image), _dims(outs[0])
    elems = (image.type.tensor_type.elem_type, output.type.tensor_type.elem_type)
    for vi, elem in zip((image, output), elems, strict=True):
        if elem not in FLOATS | {UINT8}:
            raise EdgeganError(f"{_describe(vi)} of {str(path)!r}: edgegan wraps float and uint8 images only")
    lay = _layout(dims, layout, f"input {_describe(image)}")
    if lay is None:
        raise EdgeganError(f"cannot tell the layout of input {_describe(image)}: give --layout NCHW or NHWC")
    out_lay = (_layout(odims, None, "") if odims else None) or lay
    if odims and _static(odims[1 if out_lay == "NCHW" else 3]) not in (None, 3):
        raise EdgeganError(f"output {_describe(output)} of {str(path)!r} is not a 3-channel image")
    read = _read_range(graph, output.name, elems)
    if range_ and read and range_ != read:
        raise EdgeganError(f"--range={range_}, but the graph of {str(path)!r} works in {read}")
    rng = range_ or read or DEFAULT_RANGE
    h, w = (dims[2], dims[3]) if lay == "NCHW" else (dims[1], dims[2])
    if (_static(h) is None) != (_static(w) is None) or (_static(h) and h != w):
        raise EdgeganError(f"input {_describe(image)}: edgegan runs dynamic sizes or one fixed square size")
    if _static(dims[0]) not in (None, 1):
        raise EdgeganError(f"input {_describe(image)} takes a fixed batch of {dims[0]}; edgegan feeds one image")
    m = int(str(multiple or 1)) if str(multiple or 1).isdigit() else 0
    if m < 1:
        raise EdgeganError(f"--multiple {multiple!r}: expected a positive whole number")
    notes = [
        f"input {image.name!r} {lay}" + ("" if layout else " (read from its shape)"),
        f"range {rng}" + ("" if range_ else " (read from the graph)" if read else " (ASSUMED: give --range)"),
        f"color {color or DEFAULT_COLOR}" + ("" if color else " (ASSUMED: give --color BGR if it is)"),
        f"fixed size {h}x{w}" if _static(h) else f"any size, multiple of {m}",
    ]
    notes += [f"{k} fixed to {v.reshape(-1)[:8].tolist()}{'...' if v.size > 8 else ''}" for k, v in fixed.items()]
    known, col = bool(range_ or read), color or DEFAULT_COLOR
    return Plan(
        image.name, output.name, lay, out_lay, rng, known, col, *elems, _static(h), m, _static(dims[0]), fixed, notes
    )
