"""Hostile files, made on the spot: every way a file that edgegan is given could try to read outside its folder,
lie about its contents, exhaust memory or run code when loaded. Each maker writes into ``folder`` and returns the
path to hand to edgegan; a file that runs code would create ``marker`` (it never may).

The ONNX cases are a real, valid one-layer image-to-image graph (a 1x1 convolution and tanh) whose weight is stored
as external data pointing out of the model's folder: by ``../``, by an absolute path, or by a symlink inside the
folder whose target is outside it (the path-traversal class of CVE-2024-27318). The outside file holds valid
weights, so a loader that followed the path would succeed silently.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import zipfile
from pathlib import Path

import numpy as np

ONNX_CASES = ("onnx_dotdot", "onnx_absolute", "onnx_symlink")
PICKLE_CASES = ("pickle_os_system", "pickle_eval", "pickle_builtins_exec", "pickle_nested")
PTH_CASES = PICKLE_CASES + ("zip_pickle_os_system", "zip_bomb")


def _weights() -> np.ndarray:
    return (np.eye(3, dtype=np.float32) * 0.5).reshape(3, 3, 1, 1)


def onnx_external(folder: Path, how: str) -> Path:
    """``model.onnx`` in ``folder/model`` whose conv weight is external data outside that folder."""
    from onnx import TensorProto, helper

    model_dir = folder / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    outside = folder / "outside.bin"
    outside.write_bytes(_weights().tobytes())
    location = {
        "onnx_dotdot": "../outside.bin",
        "onnx_absolute": str(outside.resolve()),
        "onnx_symlink": "weights.bin",
    }[how]
    if how == "onnx_symlink":
        (model_dir / "weights.bin").symlink_to(outside.resolve())
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[3, 3, 1, 1])
    w.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", "0"), ("length", str(outside.stat().st_size))):
        entry = w.external_data.add()
        entry.key, entry.value = k, v
    graph = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["c"]), helper.make_node("Tanh", ["c"], ["stylized"])],
        "hostile",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        [helper.make_tensor_value_info("stylized", TensorProto.FLOAT, ["n", 3, "h", "w"])],
        initializer=[w],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = model_dir / "model.onnx"
    path.write_bytes(model.SerializeToString())  # onnx.save would resolve (and check) the external data itself
    return path


def lying_safetensors(folder: Path, config: dict) -> Path:
    """A checkpoint folder whose ``model.safetensors`` header claims a tensor far larger than the bytes behind it."""
    ckpt = folder / "liar"
    ckpt.mkdir(parents=True, exist_ok=True)
    (ckpt / "config.json").write_text(json.dumps(config))
    header = json.dumps({"w": {"dtype": "F32", "shape": [1 << 20, 1 << 10], "data_offsets": [0, 4 << 30]}}).encode()
    (ckpt / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 64)
    return ckpt


class _Reduce:
    """Pickles as ``func(*args)``: what a malicious file does on load."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _payload(case: str, marker: Path):
    import builtins

    touch = f"open({str(marker)!r}, 'w').write('ran')"
    if case == "pickle_os_system":
        return {"weight": _Reduce(os.system, f"touch {marker}")}
    if case == "pickle_eval":
        return {"weight": _Reduce(eval, touch)}
    if case == "pickle_builtins_exec":
        return {"weight": _Reduce(builtins.exec, touch)}
    if case == "pickle_nested":  # a REDUCE buried inside containers, as an argument of a harmless-looking call
        return {"state_dict": {"model.0.weight": [(_Reduce(dict, {"a": _Reduce(os.system, f"touch {marker}")}),)]}}
    raise ValueError(case)


def malicious_pth(folder: Path, case: str, marker: Path) -> Path:
    """A ``.pth`` that would run code (or exhaust memory) when loaded the unsafe way."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case}.pth"
    if case in PICKLE_CASES:  # a plain pickle, as torch.save's legacy format starts
        path.write_bytes(pickle.dumps(_payload(case, marker), protocol=2))
    elif case == "zip_pickle_os_system":  # torch.save's zip layout, data.pkl replaced
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
            z.writestr("archive/data.pkl", pickle.dumps(_payload("pickle_os_system", marker), protocol=2))
            z.writestr("archive/version", "3\n")
    elif case == "zip_bomb":  # 2 GiB of zeros deflated to ~2 MB, posing as torch.save's data.pkl
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            with z.open("archive/data.pkl", "w", force_zip64=True) as f:
                block = bytes(1 << 24)
                for _ in range(128):
                    f.write(block)
            z.writestr("archive/version", "3\n")
        path.write_bytes(buf.getvalue())
    else:
        raise ValueError(case)
    return path


def malicious_pkl(folder: Path, marker: Path) -> Path:
    """An NVlabs-style ``.pkl`` snapshot whose first object REDUCEs ``os.system``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "network-snapshot-000000.pkl"
    path.write_bytes(pickle.dumps({"G_ema": _Reduce(os.system, f"touch {marker}")}, protocol=2))
    return path
