"""edgegan import onnx: foreign ONNX translators wrapped into edgegan's contract.

Parity: ``edgegan stylize`` through the imported directory equals the original file run directly on ONNX Runtime
with the file's own pre/post-processing written out by hand in NumPy (within 1/255 on real photos). The small
translators below are real ONNX graphs built with onnx.helper, random weights, in the conventions foreign files
come in: NHWC / 0..255 / BGR with an extra input, NCHW / [0, 1] / fixed size, stride-2 stages that need a size
multiple, uint8 in and out.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from conftest import run_cli
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from edgegan.data.samples import photo_paths
from edgegan.importers import open_model
from edgegan.media import center_square, load_image


def translator(path: Path, *, layout="NCHW", size=None, gain=False, final="tanh", stride=False, uint8=False, seed=0):
    """A small image translator as a foreign exporter would write it; internally NCHW in [-1, 1]."""
    rng = np.random.default_rng(seed)
    nodes, inits = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value, np.float32), name))
        return name

    def node(op, inputs, **attrs):
        out = f"t{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    x = "input"
    if uint8:
        x = node("Cast", [x], to=TensorProto.FLOAT)
    if layout == "NHWC":
        x = node("Transpose", [x], perm=[0, 3, 1, 2])
    top = {"tanh": 1.0, "sigmoid": 1.0}.get(final, 255.0)  # the file's own range: [-1 or 0, top]
    lo = -1.0 if final == "tanh" else 0.0
    x = node("Add", [node("Mul", [x, const("in_scale", 2 / (top - lo))]), const("in_shift", -1 - 2 * lo / (top - lo))])
    w1, w3 = rng.normal(0, 0.4, (8, 3, 3, 3)), rng.normal(0, 0.25, (3, 8, 3, 3))
    x = node("Relu", [node("Conv", [x, const("w1", w1), const("b1", rng.normal(0, 0.1, 8))], pads=[1] * 4)])
    if stride:  # one stride-2 stage and a x2 resize: odd sizes come back one pixel larger
        x = node(
            "Relu", [node("Conv", [x, const("w2", rng.normal(0, 0.2, (8, 8, 3, 3)))], strides=[2, 2], pads=[1] * 4)]
        )
        x = node("Resize", [x, "", const("scales", [1, 1, 2, 2])], mode="nearest")
    if gain:
        x = node("Mul", [x, "gain"])
    x = node("Conv", [x, const("w3", w3), const("b3", rng.normal(0, 0.1, 3))], pads=[1] * 4)
    x = node("Tanh" if final == "tanh" else "Sigmoid", [x])
    if top == 255.0:
        x = node("Mul", [x, const("out_scale", 255.0)])
    if layout == "NHWC":
        x = node("Transpose", [x], perm=[0, 2, 3, 1])
    if uint8:
        x = node("Cast", [node("Round", [x])], to=TensorProto.UINT8)
    nodes[-1].output[0] = "output"
    elem = TensorProto.UINT8 if uint8 else TensorProto.FLOAT
    h, w = (size, size) if size else ("H", "W")
    batch = 1 if size else "N"
    shape = [batch, h, w, 3] if layout == "NHWC" else [batch, 3, h, w]
    inputs = [helper.make_tensor_value_info("input", elem, shape)]
    if gain:
        inputs.append(helper.make_tensor_value_info("gain", TensorProto.FLOAT, [1, 8, 1, 1]))
    outputs = [helper.make_tensor_value_info("output", elem, shape)]
    graph = helper.make_graph(nodes, "translator", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def photos(tmp_path: Path, shape: tuple[int, int], names=("astronaut", "coffee")) -> Path:
    """Real photos cropped to ``shape`` (H, W), as PNG files in a folder."""
    folder = tmp_path / f"photos{shape[0]}x{shape[1]}"
    folder.mkdir()
    paths = photo_paths()
    for name in names:
        Image.fromarray(center_square(load_image(paths[name]), max(shape))[: shape[0], : shape[1]]).save(
            folder / f"{name}.png"
        )
    return folder


def stylize(model_dir: Path, folder: Path, tmp_path: Path) -> dict[str, np.ndarray]:
    out = tmp_path / f"out-{model_dir.name}-{folder.name}"
    code, stdout, stderr = run_cli("stylize", str(model_dir), str(folder), "--out", str(out))
    assert code == 0, stderr
    return {p.stem: np.asarray(Image.open(p).convert("RGB")) for p in sorted(out.glob("*.png"))}


def by_hand(path: Path, rgb: np.ndarray, case: str, feeds: dict | None = None) -> np.ndarray:
    """The file run directly, with what its user would write around it."""
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    h, w = rgb.shape[:2]
    if case == "nhwc_255_bgr":
        y = sess.run(None, {"input": rgb[None, :, :, ::-1].astype(np.float32), **(feeds or {})})[0][0, :, :, ::-1]
        return np.clip(np.rint(y), 0, 255).astype(np.uint8)
    if case == "nchw_01_fixed":
        y = sess.run(None, {"input": (rgb.astype(np.float32) / 255).transpose(2, 0, 1)[None]})[0][0]
        return np.clip(np.rint(y.transpose(1, 2, 0) * 255), 0, 255).astype(np.uint8)
    if case == "nchw_tanh_stride":
        x = np.pad(rgb.astype(np.float32) / 127.5 - 1, ((0, h % 2), (0, w % 2), (0, 0)), mode="reflect")
        y = sess.run(None, {"input": x.transpose(2, 0, 1)[None]})[0][0, :, :h, :w]
        return np.clip(np.rint((y.transpose(1, 2, 0) + 1) * 127.5), 0, 255).astype(np.uint8)
    if case == "nhwc_uint8":
        return sess.run(None, {"input": rgb[None], **(feeds or {})})[0][0]
    raise AssertionError(case)


GAIN = [0.5, 1.0, 1.5, 2.0, 0.75, 1.25, 1.0, 0.5]
CASES = {  # name: (translator arguments, import options, photo shape)
    "nhwc_255_bgr": (
        {"layout": "NHWC", "gain": True, "final": "sigmoid255"},
        ["--color", "BGR", "--set", "gain=" + ",".join(map(str, GAIN))],
        (99, 112),
    ),  # fmt: skip
    "nchw_01_fixed": ({"size": 96, "final": "sigmoid"}, [], (96, 96)),
    "nchw_tanh_stride": ({"stride": True}, ["--multiple", "2"], (99, 113)),
    "nhwc_uint8": (
        {"layout": "NHWC", "uint8": True, "gain": True, "final": "sigmoid255"},
        ["--set", "gain=1.25"],
        (90, 120),
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(CASES))
def test_imported_onnx_stylizes_as_the_file_itself(tmp_path, case):
    args, options, shape = CASES[case]
    src = translator(tmp_path / f"{case}.onnx", **args)
    out = tmp_path / case
    code, stdout, stderr = run_cli("import", "onnx", str(src), "--out", str(out), *options)
    assert code == 0, stderr
    ref = open_model(out)
    assert ref.kind == "onnx" and ref.path == out / "model.onnx"
    io = ref.io
    assert (io.layout, io.range, io.color, io.in_channels) == ("NCHW", (-1.0, 1.0), "RGB", 3)
    assert io.fixed_size == args.get("size") and io.size_multiple == (2 if args.get("stride") else 1)
    lineage = json.loads((out / "lineage.json").read_text())
    assert lineage["parent"]["path"] == str(src) and lineage["settings"]["check_max_abs_diff"] <= 1e-3
    if case == "nhwc_255_bgr":  # 0..255 cannot be read from a graph that ends in Mul: assumed, and said so
        assert "range 0,255 (ASSUMED" in stdout and "color BGR" in stdout and "batch: any" in stdout
    if case == "nchw_01_fixed":
        assert "range 0,1 (read from the graph)" in stdout and "fixed size 96x96" in stdout
    sess = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in sess.get_inputs()] == ["image"] and [o.name for o in sess.get_outputs()] == ["stylized"]
    folder = photos(tmp_path, shape)
    got = stylize(out, folder, tmp_path)
    feeds = {"gain": np.array(GAIN if case == "nhwc_255_bgr" else [1.25] * 8, np.float32).reshape(1, 8, 1, 1)}
    assert len(got) == 2
    for name, image in got.items():
        want = by_hand(src, np.asarray(Image.open(folder / f"{name}.png")), case, feeds)
        assert image.shape == want.shape
        assert np.abs(image.astype(int) - want.astype(int)).max() <= 1, (case, name)
        assert want.std() > 5  # a real picture, not a flat one that any mapping would match


def test_size_multiple_is_named_when_missing(tmp_path):
    src = translator(tmp_path / "stride.onnx", stride=True)
    code, _, stderr = run_cli("import", "onnx", str(src), "--out", str(tmp_path / "out"))
    assert code == 2 and "give --multiple 2" in stderr and len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def _two_image_inputs(path: Path) -> Path:
    nodes = [helper.make_node("Add", ["content", "style"], ["output"])]
    shape = ["N", 3, "H", "W"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n in ("content", "style")]
    graph = helper.make_graph(nodes, "two", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, shape)])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")  # torch.load refusing the plain pickle
def test_bad_files_are_one_line_errors_and_write_nothing(tmp_path):
    good = translator(tmp_path / "good.onnx", layout="NHWC", gain=True, final="sigmoid255")
    sigmoid = translator(tmp_path / "sigmoid.onnx", size=96, final="sigmoid")
    data = good.read_bytes()
    (tmp_path / "truncated.onnx").write_bytes(data[: len(data) // 2])
    (tmp_path / "garbage.onnx").write_bytes(np.random.default_rng(0).bytes(4096))
    _Exploit.marker = tmp_path / "pwned"
    torch.save({"model.1.weight": torch.zeros(1), "evil": _Exploit()}, tmp_path / "evil.pth")
    (tmp_path / "evil.pkl").write_bytes(pickle.dumps({"x": _Exploit()}))
    torch.save(
        {"model.1.weight": torch.zeros(8, 3, 7, 7), "model.10.conv_block.1.weight": torch.zeros(1)}, tmp_path / "g.pth"
    )
    cases = [
        (["onnx", str(tmp_path / "truncated.onnx")], "is not a loadable ONNX model"),
        (["onnx", str(tmp_path / "garbage.onnx")], "ONNX model"),
        (["onnx", str(tmp_path / "evil.pth")], "PyTorch file"),
        (["onnx", str(tmp_path / "evil.pkl")], "PyTorch file"),
        (["onnx", str(tmp_path / "g.pth")], "edgegan import cyclegan"),  # a CycleGAN state dict: names its family
        (["onnx", str(_two_image_inputs(tmp_path / "two.onnx"))], "2 image-like inputs"),
        (["onnx", str(good)], "'gain' (float[1,8,1,1]) of"),  # the extra input, named, with its shape
        (["onnx", str(good), "--set", "gain=1,2"], "does not take 2 values"),
        (["onnx", str(good), "--set", "gian=1"], "has no input 'gian'"),
        (["onnx", str(good), "--set", "gain=1", "--layout", "NHCW"], "--layout 'NHCW': choose one of: NCHW, NHWC"),
        (["onnx", str(good), "--set", "gain=1", "--layout", "NCHW"], "--layout NCHW: input 'input'"),
        (["onnx", str(sigmoid), "--range=0,255"], "--range=0,255, but the graph"),  # it ends in a Sigmoid
        (["onnx", str(sigmoid), "--range=0,2"], "--range '0,2': choose one of"),
        (["onnx", str(good), "--set", "gain=1", "--multiple", "x"], "--multiple 'x'"),
    ]
    for args, expected in cases:
        out = tmp_path / "out"
        code, stdout, stderr = run_cli("import", *args, "--out", str(out))
        assert code == 2, (args, stdout, stderr)
        assert expected in stderr and len(stderr.strip().splitlines()) == 1, (args, stderr)
        assert not out.exists() and not list(tmp_path.glob(".out*")), args
    assert not _Exploit.marker.exists()
