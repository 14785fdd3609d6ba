"""Any ONNX image translator in edgegan's contract: ``edgegan import onnx FILE.onnx --out DIR``.

edgegan feeds ``image`` (N, 3, H, W) float32 RGB in [-1, 1] and reads ``stylized`` in the same form. A foreign file
wants something else (NHWC, 0..255, BGR, uint8, a style vector...), so the import composes three graphs
(:func:`onnx.compose.merge_graphs`): pre (image -> the file's input: channel flip, transpose, range map, cast),
the file's graph with each extra input made a constant (``--set NAME=VALUE``), and post (cast, clip to the file's
range when it is known, range map, transpose, channel flip -> stylized). What an option does not say is read from
the file where it can be, else assumed, and the import prints which:

- ``--layout``: read from the input's shape (which of axes 1 and 3 holds 3 channels).
- ``--range`` (input and output): read from uint8 tensors (0,255) or a final Tanh (-1,1), Sigmoid (0,1) or Clip;
  else 0,255 is *assumed*: the ONNX model zoo's fast-style convention, a graph with no final activation.
- ``--color``: no graph tells; RGB is assumed (BGR: networks trained on OpenCV's ``imread``).
- size: a fixed square H = W becomes ``fixed_size`` (the runtime resizes each image to it and back). Dynamic H, W
  must be multiples of ``--multiple`` (default 1): a graph with k stride-2 stages and no padding of its own fails
  or returns another size unless H and W are multiples of 2**k, so the runtime pads each image up to the multiple
  and crops the output back. The import tries 67x93 and, when that size does not come back, names the multiple.
- batch: a graph declared for a batch of 1 gets a dynamic batch when batch 2 gives what it gives image by image.

The wrapped graph passes :func:`onnx.checker.check_model` and runs on ONNX Runtime against the file's own graph
with the same pre/post-processing in NumPy before ``DIR`` (``model.onnx`` with the ``edgegan.io`` metadata, and
``lineage.json``) is put in place, atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

import edgegan
from edgegan.errors import EdgeganError, library_reason
from edgegan.importers.base import Option, register
from edgegan.importers.onnx_plan import (
    DEFAULT_COLOR,
    DEFAULT_RANGE,
    FLOAT,
    MAX_PROTO,
    PREFIX,
    RANGES,
    TOLERANCE,
    UINT8,
    Plan,
    plan,
    read_onnx,
)
from edgegan.io import atomic_dir
from edgegan.lineage import write_lineage
from edgegan.model_io import IO_KEY, ModelIO


def _chain(p: Plan, side: str, batch, ir_version: int, opset: int):
    """The pre model (image -> edgegan_pre/out) or the post model (edgegan_post/in -> stylized)."""
    from onnx import helper, numpy_helper

    (lo, hi), u8, flip = RANGES[p.range], p.in_elem == UINT8, np.array([2, 1, 0], np.int64)
    scaled = (lo, hi) != (-1.0, 1.0)
    if u8 and side == "pre" and opset < 11:
        raise EdgeganError(f"a uint8 input needs opset 11 or later (Round); the file imports opset {opset}")
    steps = (  # (when, op, constant inputs, attributes)
        [
            (p.color == "BGR", "Gather", [flip], {"axis": 1}),
            (p.layout == "NHWC", "Transpose", [], {"perm": [0, 2, 3, 1]}),
            (scaled, "Mul", [(hi - lo) / 2], {}),
            (scaled, "Add", [(hi + lo) / 2], {}),
            (u8, "Round", [], {}),
            (u8, "Max", [0.0], {}),
            (u8, "Min", [255.0], {}),
            (p.in_elem != FLOAT, "Cast", [], {"to": p.in_elem}),
        ]
        if side == "pre"
        else [
            (p.out_elem != FLOAT, "Cast", [], {"to": FLOAT}),
            (p.range_known, "Max", [lo], {}),
            (p.range_known, "Min", [hi], {}),
            (scaled, "Sub", [(hi + lo) / 2], {}),
            (scaled, "Mul", [2 / (hi - lo)], {}),
            (p.out_layout == "NHWC", "Transpose", [], {"perm": [0, 3, 1, 2]}),
            (p.color == "BGR", "Gather", [flip], {"axis": 1}),
        ]
    )
    steps = [s[1:] for s in steps if s[0]] or [("Identity", [], {})]
    prefix = f"edgegan_{side}/"
    x, last = ("image", f"{prefix}out") if side == "pre" else (f"{prefix}in", "stylized")
    nodes, inits = [], []
    for k, (op, consts, attrs) in enumerate(steps):
        names = [f"{prefix}c{k}_{j}" for j in range(len(consts))]
        inits += [numpy_helper.from_array(np.asarray(c, c.dtype if isinstance(c, np.ndarray) else np.float32), n)
                  for c, n in zip(consts, names, strict=True)]  # fmt: skip
        out = last if k == len(steps) - 1 else f"{prefix}{k}_{op.lower()}"
        nodes.append(helper.make_node(op, [x, *names], [out], name=f"{prefix}{k}_{op.lower()}", **attrs))
        x = out
    image = [batch, 3, p.fixed_size or "height", p.fixed_size or "width"]
    if side == "pre":
        ends = [("image", FLOAT, image), (last, p.in_elem, None)]
    else:
        ends = [(f"{prefix}in", p.out_elem, None), (last, FLOAT, image)]
    first, end = (helper.make_tensor_value_info(*e) for e in ends)
    graph = helper.make_graph(nodes, side, [first], [end], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=ir_version)


def compose(model, p: Plan, dynamic_batch: bool, props: dict[str, str]):
    """The wrapped model: pre + the file's graph (constants fixed, the image output only) + post."""
    import onnx
    from onnx import compose as oc
    from onnx import helper, numpy_helper

    user = onnx.ModelProto()
    user.CopyFrom(model)
    g = user.graph
    inits = [t for t in g.initializer if t.name not in p.constants]
    inits += [numpy_helper.from_array(v, k) for k, v in p.constants.items()]
    names = {t.name for t in inits}
    kept_in, kept_out = [vi for vi in g.input if vi.name not in names], [o for o in g.output if o.name == p.output]
    for box, items in ((g.initializer, inits), (g.input, kept_in), (g.output, kept_out)):
        del box[:]
        box.extend(items)
    for vi in (g.input[0], g.output[0]):
        shape = vi.type.tensor_type.shape
        if dynamic_batch and vi.type.tensor_type.HasField("shape") and len(shape.dim) == 4:
            shape.dim[0].Clear()
            shape.dim[0].dim_param = "batch"
    user.ir_version = max(user.ir_version, 4)  # initializers that are not inputs
    opset = next((o.version for o in user.opset_import if o.domain in ("", "ai.onnx")), 0)
    if not opset:
        user.opset_import.append(helper.make_opsetid("", 13))
        opset = 13
    if opset < 8:
        raise EdgeganError(f"the file imports ONNX opset {opset}; convert it to 8 or later (onnx.version_converter)")
    batch, ir = "batch" if dynamic_batch else 1, user.ir_version
    graph = oc.add_prefix(user, PREFIX, rename_functions=False).graph
    graph = oc.merge_graphs(_chain(p, "pre", batch, ir, opset).graph, graph, [("edgegan_pre/out", PREFIX + p.image)])
    graph = oc.merge_graphs(graph, _chain(p, "post", batch, ir, opset).graph, [(PREFIX + p.output, "edgegan_post/in")])
    graph.name = "edgegan_wrapped"
    wrapped = helper.make_model(graph, opset_imports=list(user.opset_import), ir_version=ir, producer_name="edgegan")
    wrapped.producer_version = edgegan.__version__
    wrapped.functions.extend(user.functions)
    helper.set_model_props(wrapped, props)
    return wrapped


def _session(source):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # the attempts that are expected to fail are not news
    return ort.InferenceSession(str(source), opts, providers=["CPUExecutionProvider"])


def _reference(sess, p: Plan, x: np.ndarray) -> np.ndarray:
    """The file's own graph on ``x``, one image at a time, with the pre/post-processing in NumPy."""
    names = {i.name for i in sess.get_inputs() + sess.get_overridable_initializers()}
    feeds = {k: v for k, v in p.constants.items() if k in names}
    y = np.concatenate(
        [p.post(sess.run([p.output], {p.image: p.pre(x[i : i + 1]), **feeds})[0]) for i in range(len(x))]
    )
    if y.shape != x.shape:
        raise ValueError(f"returns {'x'.join(map(str, y.shape[2:]))} for {'x'.join(map(str, x.shape[2:]))}")
    return y


def _first_check(ref, p: Plan, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(check input, reference output) at a size the graph must take; a one-line error naming --multiple if not."""
    rng = np.random.default_rng(0)
    size = lambda k: (-(-67 // k) * k, -(-93 // k) * k)  # noqa: E731  67x93: no power of two divides it
    x = rng.uniform(-1, 1, (2, 3, *((p.fixed_size,) * 2 if p.fixed_size else size(p.multiple)))).astype(np.float32)
    try:
        return x, _reference(ref, p, x)
    except Exception as e:
        problem = library_reason(e, limit=240)
    hint = ""
    for k in () if p.fixed_size else [k for k in (2, 4, 8, 16, 32, 64) if k > p.multiple]:
        try:
            _reference(ref, p, rng.uniform(-1, 1, (1, 3, *size(k))).astype(np.float32))
        except Exception:
            continue
        hint = f"; at multiples of {k} it returns the input's size: give --multiple {k}"
        break
    raise EdgeganError(f"the graph of {str(path)!r} at {x.shape[2]}x{x.shape[3]}: {problem}{hint}")


def _save(model, target: Path) -> None:
    import onnx

    large = model.ByteSize() > MAX_PROTO
    onnx.save(model, str(target), save_as_external_data=large, location=target.name + ".data")


def build_checked(model, path: Path, p: Plan, target: Path, props: dict[str, str]) -> tuple[bool, float]:
    """Write the wrapped model to ``target`` and check it against the file's own graph; returns (dynamic batch,
    max abs difference). A batch-1 graph keeps a dynamic batch only if batch 2 gives the same outputs."""
    import onnx

    ref = _session(path)
    x, want = _first_check(ref, p, path)
    checks = [(x, want)]
    last = ""
    for dynamic in (True, False) if p.batch == 1 else (True,):
        _save(compose(model, p, dynamic, props), target)
        try:
            onnx.checker.check_model(str(target))
            sess, step = _session(target), len(x) if dynamic else 1
            if not p.fixed_size and len(checks) == 1:  # and H, W swapped: both dynamic axes really are
                second = x[:1].transpose(0, 1, 3, 2).copy()
                checks.append((second, _reference(ref, p, second)))
            diff = 0.0
            for a, b in checks:
                got = np.concatenate([sess.run(None, {"image": a[i : i + step]})[0] for i in range(0, len(a), step)])
                diff = max(diff, float(np.abs(got - b).max()) if got.shape == b.shape else float("inf"))
        except Exception as e:
            last = library_reason(e, limit=240)
            continue
        if diff <= TOLERANCE:
            p.notes.append("batch: any" if dynamic else "batch: 1 (the graph does not take batches)")
            return dynamic, diff
        last = f"differs from the file's own graph by {diff:.2e}"
    raise EdgeganError(f"the wrapped graph of {str(path)!r} fails its check ({last}); nothing written")


def wrap_onnx(
    path: Path, out: Path, options: dict[str, Any], label: str = "onnx", settings: dict | None = None
) -> Path:
    """Wrap the ONNX image translator ``path`` into directory ``out`` (``model.onnx`` in edgegan's contract plus
    ``lineage.json``), atomically; prints what was read and what was assumed. ``options``: those of
    ``edgegan import onnx`` (layout, range, color, multiple; set: {input name: text or array})."""
    path, out = Path(path), Path(out)
    model = read_onnx(path)
    opts = {k: options.get(k) for k in ("layout", "color", "multiple")}
    p = plan(model, path, range_=options.get("range"), constants=options.get("set"), **opts)
    io = ModelIO(size_multiple=p.multiple, fixed_size=p.fixed_size or None)  # edgegan's contract: RGB in [-1, 1]
    shown = {k: v.tolist() if v.size <= 256 else f"{v.dtype}{list(v.shape)}" for k, v in p.constants.items()}
    args = {"source": path.name, "input": p.image, "output": p.output, "layout": p.layout, "range": p.range}
    args.update(range_known=p.range_known, color=p.color, set=shown, **(settings or {}))
    props = {e.key: e.value for e in model.metadata_props if not e.key.startswith("edgegan.")}
    props.update({IO_KEY: json.dumps(io.to_dict()), "edgegan.model": json.dumps({"name": label, "args": args})})
    props["edgegan.version"] = edgegan.__version__
    with atomic_dir(out) as tmp:
        dynamic, diff = build_checked(model, path, p, tmp / "model.onnx", props)
        write_lineage(
            tmp,
            parent=path,
            weights=tmp / "model.onnx",
            created_by=f"edgegan import {label}",
            settings={"file": args, "dynamic_batch": dynamic, "check_max_abs_diff": diff, "notes": p.notes},
        )
    print(f"{label}: {'; '.join(p.notes)}")
    return out


@register(
    "onnx",
    title="ONNX image translator",
    options={
        "layout": Option("the file's image layout (default: read from its input's shape)", choices=("NCHW", "NHWC")),
        "range": Option(
            f"the file's value range: {' | '.join(RANGES)}, written --range=-1,1 (default: read from uint8 or a final "
            f"Tanh/Sigmoid/Clip, else {DEFAULT_RANGE})",
            choices=tuple(RANGES),
            metavar="LOW,HIGH",
        ),
        "color": Option(f"the file's channel order (default: {DEFAULT_COLOR})", choices=("RGB", "BGR")),
        "multiple": Option("H and W must be multiples of this (default 1; suggested when needed)", metavar="N"),
        "set": Option("fix an extra input to a constant (repeatable)", metavar="NAME=VALUE", pairs=True),
    },
    formats="any `.onnx` image-to-image graph (opset >= 8) with one image input (NCHW or NHWC, float or uint8); "
    "other inputs fixed with `--set NAME=VALUE`",
    quirks="layout read from the shape; range -1,1 / 0,1 / 0,255 read from uint8 or a final Tanh/Sigmoid/Clip, "
    "else assumed 0,255; RGB/BGR; fixed or dynamic size (`--multiple`, suggested when needed); a batch-1 graph "
    "given a dynamic batch when that is exact; checked against the file on ONNX Runtime",
)
def import_onnx(path: Path, out: Path, **options) -> Path:
    return wrap_onnx(path, out, options)
