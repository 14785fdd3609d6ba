"""Hostile files stay refused: at every entry point and on every backend, each case is refused in one line that
gives the library's reason (not its first line, which for OpenVINO names only a source file), with exit status 2,
no traceback, the payload never run and nothing written. The files are made by tests/hostile.py.

docs/security.md holds the table these tests keep true."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli
from hostile import ONNX_CASES, PTH_CASES, lying_safetensors, malicious_pkl, malicious_pth, onnx_external
from PIL import Image

# the reasons each library gives, per case (any one of them)
ONNX_REASONS = {
    "onnx_dotdot": r"outside|escapes model directory",
    "onnx_absolute": r"outside|[Aa]bsolute path",
    "onnx_symlink": r"outside|escapes model directory|symbolic link",
}
PICKLE_REASON = r"(?i)unsupported GLOBAL posix\.system|refused to unpickle posix\.system"
PTH_REASONS = {
    "pickle_os_system": PICKLE_REASON,
    "pickle_eval": r"GLOBAL (builtins\.)?eval |refused to unpickle (__builtin__|builtins)\.eval",
    "pickle_builtins_exec": r"GLOBAL (builtins\.)?exec |refused to unpickle (__builtin__|builtins)\.exec",
    "pickle_nested": r"GLOBAL dict was not an allowed global|refused to unpickle (__builtin__|builtins)\.dict",
    "zip_pickle_os_system": PICKLE_REASON,
    "zip_bomb": r"compressed .* zip bomb",
}
FAMILIES = ("cyclegan", "pix2pix", "ugatit", "animeganv2", "cartoongan", "stylegan2", "onnx")


def refused(args: list, out, reason: str, marker=None) -> str:
    """The command exits 2 with one line on stderr that matches ``reason``; nothing under ``out``, no marker."""
    code, _, err = run_cli(*map(str, args))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, (code, err[-2000:])
    assert "Traceback" not in err and not lines[0].split(": error: ", 1)[-1].startswith("Exception from"), err
    assert re.search(reason, lines[0]), lines[0]
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()], sorted(out.rglob("*"))
    assert marker is None or not marker.exists(), "the payload ran"
    print(f"\nREFUSED {' '.join(map(str, args[:2]))} :: {lines[0]}")  # docs/security.md's table (pytest -s)
    return lines[0]


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("photo") / "p.png"
    Image.new("RGB", (64, 48), (120, 90, 60)).save(path)
    return path


@pytest.mark.parametrize("case", ONNX_CASES)
@pytest.mark.parametrize(
    "entry",
    ["stylize@onnxruntime", "stylize@openvino", "bench@onnxruntime", "bench@openvino", "import", "quantize",
     "export@onnx", "export@openvino", "export@tensorrt"],
)  # fmt: skip
def test_onnx_external_data_outside_its_folder(tmp_path, photo, case, entry):
    model = onnx_external(tmp_path / "in", case)
    out = tmp_path / "out"
    command, _, backend = entry.partition("@")
    args = {
        "stylize": ["stylize", model, photo, "--out", out, "--backend", backend],
        "bench": ["bench", f"{model}@{backend}", "--runs", "1", "--json", out / "b.json", "--plot", out / "b.png"],
        "import": ["import", "onnx", model, "--out", out],
        "quantize": ["quantize", model, "--int8", "--out", out, "--calib", photo, "--val", photo],
        "export": ["export", model, "--format", backend, "--out", out / {"openvino": "m.xml"}.get(backend, "m.onnx")],
    }[command]
    refused(args, out, ONNX_REASONS[case])


@pytest.mark.parametrize(
    "entry", ["stylize", "bench", "quantize", "export@onnx", "export@openvino", "export@tensorrt"]
)
def test_safetensors_header_that_lies(tmp_path, photo, tiny_ckpt, entry):
    import json

    ckpt = lying_safetensors(tmp_path / "in", json.loads((tiny_ckpt / "config.json").read_text()))
    out = tmp_path / "out"
    command, _, fmt = entry.partition("@")
    args = {
        "stylize": ["stylize", ckpt, photo, "--out", out],
        "bench": ["bench", ckpt, "--runs", "1", "--json", out / "b.json", "--plot", out / "b.png"],
        "quantize": ["quantize", ckpt, "--int8", "--out", out, "--calib", photo, "--val", photo],
        "export": ["export", ckpt, "--format", fmt, "--out", out / {"openvino": "m.xml"}.get(fmt, "m.onnx")],
    }[command]
    refused(args, out, r"safetensors|deserializing header|metadata")


@pytest.fixture(scope="module")
def pth_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pth")
    marker = folder / "RAN"
    return {case: malicious_pth(folder, case, marker) for case in PTH_CASES}, marker


@pytest.mark.parametrize("case", PTH_CASES)
@pytest.mark.parametrize("family", FAMILIES)
def test_pth_that_runs_code_or_bombs(tmp_path, pth_files, family, case):
    files, marker = pth_files  # (stylegan2 reads a plain pickle as an NVlabs snapshot, with its own refusal)
    refused(["import", family, files[case], "--out", tmp_path / "out"], tmp_path / "out", PTH_REASONS[case], marker)


def test_nvlabs_pickle_that_runs_code(tmp_path):
    marker = tmp_path / "RAN"
    pkl = malicious_pkl(tmp_path / "in", marker)
    refused(["import", "stylegan2", pkl, "--out", tmp_path / "out"], tmp_path / "out", PICKLE_REASON, marker)
