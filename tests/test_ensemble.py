"""The shipped vintage student is colour-operator students averaged (AffineGridEnsemble; three since session 9):
its maths, the recipe that combines checkpoints, its INT8 export (the convolutions only) and the cached-export check."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import onnx
import pytest
import torch

import edgegan.models  # noqa: F401 -- registers the students
from edgegan.errors import EdgeganError
from edgegan.models import load_model, save_model
from edgegan.registry import MODELS

ROOT = Path(__file__).resolve().parents[1]
TEST_PLAIN = {"width": 4, "low": 32, "grid": 4, "blocks": 1}
TEST_NORM = {**TEST_PLAIN, "normalize": True}


def _perturbed(name: str, args: dict | None = None, seed: int = 0):
    torch.manual_seed(seed)
    m = MODELS.build(name, args).eval()
    with torch.no_grad():  # the maps start as the identity: move them so the members differ
        for p in m.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return m


def _ensemble_script():
    spec = importlib.util.spec_from_file_location("ensemble", ROOT / "train" / "ensemble.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_pair_is_the_mean_of_its_members():
    pair = _perturbed("test_affine_grid_pair")
    x = torch.rand(2, 3, 40, 56) * 1.2 - 0.6
    with torch.no_grad():
        y = pair(x)
        a, b = (m(x) for m in pair.members)
    inside = (a.abs() < 0.999) & (b.abs() < 0.999) & (y.abs() < 0.999)  # where no clamp acted
    assert inside.float().mean() > 0.5
    assert (y - (a + b) / 2)[inside].abs().max() < 1e-5
    assert (a - b)[inside].abs().max() > 0.05  # the members really differ
    with pytest.raises(ValueError, match="share low and grid"):
        MODELS.build("test_affine_grid_pair", {"members": [TEST_PLAIN, {**TEST_PLAIN, "low": 64}]})


def test_members_combine_into_one_checkpoint(tmp_path, tiny_ckpt):
    members = []
    for k, args in enumerate((TEST_PLAIN, TEST_NORM)):
        m = _perturbed("test_affine_grid", args, seed=k)
        spec = {"name": "test_affine_grid", "args": MODELS.get("test_affine_grid").resolved_args(args)}
        members.append(save_model(tmp_path / f"m{k}", m, spec, parent=tiny_ckpt, created_by="test"))
    ens = _ensemble_script()
    out = ens.combine([str(p) for p in members], str(tmp_path / "pair"), "test_affine_grid_pair", val=None)
    pair = load_model(out)
    x = torch.rand(1, 3, 48, 48) * 1.2 - 0.6
    with torch.no_grad():
        y = pair(x)
        a, b = (load_model(p)(x) for p in members)
    inside = (a.abs() < 0.999) & (b.abs() < 0.999) & (y.abs() < 0.999)
    assert (y - (a + b) / 2)[inside].abs().max() < 1e-5
    lineage = json.loads((out / "lineage.json").read_text())
    assert lineage["parent"]["path"] == str(tiny_ckpt)
    assert [r["model"] for r in lineage["config"]["members"]] == ["test_affine_grid", "test_affine_grid"]
    assert json.loads((out / "config.json").read_text())["io"]["int8_ops"] == ["Conv"]
    assert "vs_teacher" in json.loads((out / "metrics.json").read_text())

    other = save_model(tmp_path / "other", _perturbed("test_affine_grid"), {"name": "test_affine_grid"}, parent=None)
    with pytest.raises(EdgeganError, match="different teachers"):
        ens.combine([str(members[0]), str(other)], str(tmp_path / "bad"), "test_affine_grid_pair")
    with pytest.raises(EdgeganError, match="colour-operator students"):
        ens.combine([str(members[0]), str(out)], str(tmp_path / "bad"), "test_affine_grid_pair")
    with pytest.raises(EdgeganError, match="not an ensemble architecture"):
        ens.combine([str(p) for p in members], str(tmp_path / "bad"), "test_affine_grid")
    with pytest.raises(EdgeganError, match="not the teacher"):
        ens.combine([str(p) for p in members], str(tmp_path / "bad"), "test_affine_grid_pair", teacher=str(other))
    assert not (tmp_path / "bad").exists()  # nothing written on a refused combination


@pytest.mark.slow
def test_int8_quantizes_only_the_convolutions_and_a_cached_export_follows_the_weights(tmp_path):
    """The colour-operator students' per-pixel product stays float in INT8 (8-bit there broke pale photos); a
    cached export (pipelines.deploy.int8_openvino) is made again when the checkpoint's weights change."""
    from edgegan.pipelines.deploy import cached_export, export, int8_openvino

    ckpt = save_model(tmp_path / "pair", _perturbed("test_affine_grid_pair"), {"name": "test_affine_grid_pair"})
    cfg = json.loads((ckpt / "config.json").read_text())
    del cfg["io"]["int8_ops"]  # a checkpoint saved before the registry named them: the architecture's still apply
    (ckpt / "config.json").write_text(json.dumps(cfg))
    onnx_out = tmp_path / "pair.int8.onnx"
    export(ckpt, "onnx", onnx_out, int8=True, size=64, threads=2)
    g = onnx.load(str(onnx_out)).graph
    consumers = {i: n.op_type for n in g.node for i in n.input}
    dq = [n for n in g.node if n.op_type == "DequantizeLinear"]
    assert dq and {consumers[n.output[0]] for n in dq} == {"Conv"}

    first = int8_openvino(ckpt, tmp_path / "cache", threads=2)
    sha = json.loads(first.with_suffix(".json").read_text())["source_sha256"]
    assert int8_openvino(ckpt, tmp_path / "cache", threads=2) == first  # reused: same weights
    assert json.loads(first.with_suffix(".json").read_text())["source_sha256"] == sha
    save_model(ckpt.parent / "new", _perturbed("test_affine_grid_pair", seed=1), {"name": "test_affine_grid_pair"})
    shutil.rmtree(ckpt)
    (ckpt.parent / "new").rename(ckpt)
    again = int8_openvino(ckpt, tmp_path / "cache", threads=2)
    assert again == first and json.loads(again.with_suffix(".json").read_text())["source_sha256"] != sha
    again.with_suffix(".bin").unlink()  # an incomplete export is made again
    assert int8_openvino(ckpt, tmp_path / "cache", threads=2).with_suffix(".bin").is_file()
    with pytest.raises(EdgeganError, match="TensorRT engine"):
        cached_export(ckpt, "tensorrt", tmp_path / "x.engine")
