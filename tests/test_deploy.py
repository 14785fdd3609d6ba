"""Deployment: export formats, the TensorRT compatibility pass on NNCF's real output, engine identity checks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from parity import assert_parity, network_bound

from edgegan.models import load_model
from tests.conftest import run_cli

SIZE = 64


@pytest.fixture(scope="module")
def cyclegan_int8(tmp_path_factory):
    """NNCF's INT8 Q/DQ output for a (tiny) CycleGAN ResNet generator: instance norm, reflect pads and the two
    ConvTranspose layers TensorRT is strict about."""
    import torch

    import edgegan.models  # noqa: F401
    from edgegan.compress.quantize import quantize
    from edgegan.models import save_model
    from edgegan.registry import MODELS

    d = tmp_path_factory.mktemp("cg")
    torch.manual_seed(0)
    ckpt = save_model(d / "ckpt", MODELS.build("test_cyclegan_resnet"), {"name": "test_cyclegan_resnet", "args": {}})
    out = quantize(ckpt, d / "int8", mode="int8", size=SIZE, min_psnr=20.0, threads=2)
    return ckpt, out / "model.onnx"


@pytest.mark.slow
def test_tensorrt_pass_fixes_nncf_output(cyclegan_int8, tmp_path):
    import onnx
    import onnxruntime as ort

    from edgegan.export.tensorrt import check_tensorrt, make_tensorrt_compatible

    _, path = cyclegan_int8
    model = onnx.load(str(path))
    before = check_tensorrt(model)
    assert any("UINT8" in p for p in before)
    assert any("ConvTranspose" in p for p in before)  # NNCF quantizes its weights per output channel (axis 1)
    fixed, report = make_tensorrt_compatible(onnx.load(str(path)))
    assert check_tensorrt(fixed) == []
    assert report["activations_to_int8"] and len(report["convtranspose_weights_to_float"]) == 2
    onnx.checker.check_model(fixed, full_check=True)
    inits = {i.name: i for i in fixed.graph.initializer}
    for n in fixed.graph.node:
        if n.op_type in ("QuantizeLinear", "DequantizeLinear") and len(n.input) > 2:
            assert inits[n.input[2]].data_type == onnx.TensorProto.INT8
            assert not np.any(onnx.numpy_helper.to_array(inits[n.input[2]]))
    x = np.random.default_rng(0).uniform(-1, 1, (1, 3, SIZE, SIZE)).astype(np.float32)
    a = ort.InferenceSession(model.SerializeToString()).run(None, {"image": x})[0]
    b = ort.InferenceSession(fixed.SerializeToString()).run(None, {"image": x})[0]
    assert 10 * np.log10(1 / np.mean(((a - b) / 2) ** 2)) > 30  # the symmetric re-expression costs little
    out = tmp_path / "fixed.onnx"
    onnx.save(fixed, str(out))
    exe = Path(sys.executable).parent / "polygraphy"
    exe = str(exe) if exe.is_file() else shutil.which("polygraphy")
    if exe is None:
        pytest.skip("polygraphy is not installed (pip install 'edgegan[dev]')")
    shape = f"image:[1,3,{SIZE},{SIZE}]"  # a concrete shape for the lint run (dynamic dims default to 1)
    lint = subprocess.run(
        [exe, "check", "lint", str(out), "--input-shapes", shape], capture_output=True, text=True, timeout=300
    )
    assert lint.returncode == 0, lint.stdout[-2000:] + lint.stderr[-2000:]


@pytest.mark.slow
def test_export_tensorrt_int8_writes_checked_onnx_and_script(tmp_path):
    import onnx

    from edgegan.export.tensorrt import check_tensorrt

    out = tmp_path / "student_orin.onnx"
    code, stdout, err = run_cli("export", "test_edge_shipped_stand_in", "--out", str(out))
    assert code == 2  # an unknown model name is a one-line error
    ckpt = _student(tmp_path)
    code, stdout, err = run_cli("export", str(ckpt), "--target", "orin", "--size", str(SIZE), "--out", str(out))
    assert code == 0, err
    assert check_tensorrt(onnx.load(str(out))) == []
    script = (tmp_path / "student_orin.build_engine.sh").read_text()
    assert "trtexec --onnx=student_orin.onnx" in script and "--stronglyTyped" in script
    report = json.loads((tmp_path / "student_orin.json").read_text())
    assert report["precision"] == "int8" and report["tensorrt"]["engine"] is None
    assert "no TensorRT" in report["tensorrt"]["note"] and report["metrics"]["vs_parent"]["psnr_mean"] >= 32
    code, stdout, err = run_cli(
        "export", str(ckpt), "--target", "nano", "--size", str(SIZE), "--out", str(tmp_path / "nano.onnx")
    )
    assert code == 0, err
    nano = (tmp_path / "nano.build_engine.sh").read_text()
    assert "--fp16" in nano and "--int8" not in nano


def _student(tmp_path):
    import torch

    import edgegan.models  # noqa: F401
    from edgegan.models import save_model
    from edgegan.registry import MODELS

    torch.manual_seed(0)
    m = MODELS.build("test_edge")
    with torch.no_grad():  # give batch norm realistic statistics
        m.train()
        for _ in range(3):
            m(torch.rand(4, 3, SIZE, SIZE) * 2 - 1)
    return save_model(tmp_path / "student", m.eval(), {"name": "test_edge", "args": {}})


@pytest.mark.parity
def test_float_exports_match_pytorch(tmp_path):
    from edgegan.runtime.backends import load_backend

    ckpt = _student(tmp_path)
    x = np.random.default_rng(1).uniform(-1, 1, (2, 3, SIZE, SIZE + 32)).astype(np.float32)
    ref = load_backend(ckpt, "torch").run(x)
    for fmt, name in (("onnx", "s.onnx"), ("openvino", "s.xml")):
        code, _, err = run_cli("export", str(ckpt), "--format", fmt, "--out", str(tmp_path / name))
        assert code == 0, err
        got = load_backend(tmp_path / name).run(x)
        assert_parity(got, ref, network_bound(load_model(ckpt), sides=2), fmt)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "tflite", "--out", "x.onnx"], "unknown export format 'tflite'"),
        (["--format", "openvino", "--out", "x.onnx"], "writes a .xml file"),
        (["--int8", "--calib", "nowhere", "--out", "x.onnx"], "calibration folder not found"),
        (["--target", "pi5", "--out", "x.onnx"], "unknown --target 'pi5'"),
    ],
)
def test_export_errors_are_one_line(tmp_path, args, message):
    ckpt = _student(tmp_path)
    args = [a if a != "x.onnx" else str(tmp_path / a) for a in args]
    code, _, err = run_cli("export", str(ckpt), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_engine_built_elsewhere_is_refused(tmp_path):
    from edgegan.media import save_image

    photos = tmp_path / "in"
    save_image(photos / "p.png", np.zeros((32, 32, 3), np.uint8))
    engine = tmp_path / "s.int8.sm_87.trt10.3.0.engine"
    engine.write_bytes(b"\0" * 64)
    engine.with_suffix(".json").write_text(json.dumps({"gpu_arch": "sm_87", "tensorrt": "10.3.0", "io": {}}))
    code, _, err = run_cli("stylize", str(engine), str(photos), "--out", str(tmp_path / "o"))
    assert code == 2 and "sm_87" in err and "TensorRT 10.3.0" in err, err
    engine.with_suffix(".json").unlink()
    code, _, err = run_cli("stylize", str(engine), str(photos), "--out", str(tmp_path / "o"))
    assert code == 2 and "cannot tell what it was built for" in err, err


@pytest.mark.tensorrt
def test_tensorrt_engine_builds_and_matches(tmp_path):
    pytest.importorskip("tensorrt", reason="TensorRT is not installable here (NVIDIA's index is unreachable)")
    from edgegan.runtime.tensorrt import gpu_identity

    if gpu_identity() is None:
        pytest.skip("no CUDA GPU")
    ckpt = _student(tmp_path)
    code, _, err = run_cli(
        "export", str(ckpt), "--format", "tensorrt", "--fp16", "--size", str(SIZE), "--out", str(tmp_path / "s.onnx")
    )
    assert code == 0, err
    engine = next(tmp_path.glob("*.engine"))
    from edgegan.runtime.backends import load_backend

    x = np.random.default_rng(0).uniform(-1, 1, (1, 3, SIZE, SIZE)).astype(np.float32)
    ref = load_backend(ckpt, "torch").run(x)
    assert np.abs(load_backend(engine).run(x) - ref).max() < 2e-2


def test_torch_tensorrt_backend_says_why_it_is_unavailable(tmp_path):
    import importlib.util

    if importlib.util.find_spec("torch_tensorrt") is not None:
        pytest.skip("torch-tensorrt is installed here: the GPU test covers it")
    from edgegan.media import save_image

    save_image(tmp_path / "in" / "p.png", np.zeros((32, 32, 3), np.uint8))
    code, _, err = run_cli(
        "stylize",
        str(_student(tmp_path)),
        str(tmp_path / "in"),
        "--backend",
        "torch-tensorrt",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and "torch-tensorrt is unavailable" in err and len(err.strip().splitlines()) == 1, err
