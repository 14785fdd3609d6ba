"""edgegan import ugatit: znxlwm/UGATIT-pytorch training checkpoints (the six-state-dict ``params`` dict) against a
test-only re-implementation of its generator (tests/reference/ugatit.py), on real photos, in PyTorch and ONNX,
both directions, light and full; and the files it must refuse.

Light runs at its published size (ngf 64, 4 residual blocks, 256x256). Full keeps ngf 64 and 4 blocks but
img_size 64: at 256 its first FC layer alone has 268 M weights (279 M in all), too slow and large for a test.
"""

from __future__ import annotations

import copy
import io
import os

import numpy as np
import pytest
import torch
from conftest import run_cli
from parity import U64, assert_parity, float32_bound, max_abs_diff, network_bound
from reference.ugatit import ResnetGenerator, randomize, training_checkpoint

from edgegan.checkpoint import read_model_config
from edgegan.data.samples import photo_paths
from edgegan.errors import EdgeganError
from edgegan.export import export_onnx
from edgegan.importers import import_checkpoint
from edgegan.media import center_square, load_image, to_tensor
from edgegan.models import load_model
from edgegan.nn.adalin import ILN
from edgegan.registry import MODELS

PHOTOS = ("astronaut", "chelsea")


def photos(size: int) -> torch.Tensor:
    paths = photo_paths()
    return torch.from_numpy(np.concatenate([to_tensor(center_square(load_image(paths[n]), size)) for n in PHOTOS]))


def pair(tmp_path, light: bool, size: int = 256, ngf: int = 64, n_res: int = 4):
    """Two random reference generators, saved the way UGATIT.save does (all six entries)."""
    gens = [randomize(ResnetGenerator(3, 3, ngf, n_res, size, light), seed) for seed in (1, 2)]
    path = tmp_path / "selfie2anime_params_0100000.pt"
    torch.save(training_checkpoint(*gens), path)
    return gens, path


def max_diff(a, b) -> float:
    return max_abs_diff(a, b)


def onnx_run(path, x: torch.Tensor) -> np.ndarray:
    import onnxruntime as ort

    sess = ort.InferenceSession(path if isinstance(path, bytes) else str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]


@pytest.mark.parity
@pytest.mark.parametrize(
    "light,size", [pytest.param(True, 256, marks=pytest.mark.slow), (False, 64)], ids=["light-256", "full-64"]
)
def test_both_directions_match_the_reference(tmp_path, light, size):
    torch.manual_seed(0)
    (a2b, b2a), path = pair(tmp_path, light, size)
    x = photos(size)
    name = "ugatit_light" if light else "ugatit_full"
    # A2B is the default; B2A through the CLI
    ckpts = {"A2B": import_checkpoint("ugatit", path, tmp_path / "a2b")}
    code, _, err = run_cli("import", "ugatit", str(path), "--out", str(tmp_path / "b2a"), "--direction", "B2A")
    assert code == 0, err
    ckpts["B2A"] = tmp_path / "b2a"
    with torch.inference_mode():
        expected = {"A2B": a2b(x), "B2A": b2a(x)}
    for direction, want in expected.items():
        model = read_model_config(ckpts[direction])["model"]
        args = {"base_channels": 64, "n_blocks": 4, "unbiased_variance": True}
        assert model["name"] == name and model["args"].items() >= args.items(), model
        assert light or model["args"]["image_size"] == size
        with torch.inference_mode():
            got = load_model(ckpts[direction]).eval()(x)
        assert 0.2 < float(want[0].std()) and float((want[0].abs() > 0.99).float().mean()) < 0.05  # not saturated
        bound = network_bound(a2b, sides=2)  # the reference runs in float32 too
        for e, g in zip(want, got, strict=True):  # image, CAM logits, heatmap
            assert_parity(g, e, bound * max(1.0, float(e.abs().max())), direction)
    assert max_diff(expected["A2B"][0], expected["B2A"][0]) > 0.1  # so picking the wrong one would show
    # the unbiased variance is what makes it exact: the same weights with edgegan's default are off. The effect
    # (a relative 1/(H*W) in each variance) is below float32 rounding, so this is checked in float64
    x64, want64 = x[:1].double(), copy.deepcopy(a2b).double()(x[:1].double())[0]
    exact, biased = (load_model(ckpts["A2B"]).eval().double() for _ in range(2))
    for m in biased.modules():
        if hasattr(m, "unbiased"):
            m.unbiased = False
    with torch.inference_mode():
        assert_parity(exact(x64)[0], want64, network_bound(a2b, sides=2, unit=U64), "float64")
        assert max_diff(biased(x64)[0], want64) > 1e3 * network_bound(a2b, sides=2, unit=U64)
    # ONNX (image only) against the reference on the photos (light: traced at 64x96, run at 256)
    export_onnx(ckpts["A2B"], tmp_path / "a2b.onnx")
    assert_parity(onnx_run(tmp_path / "a2b.onnx", x), expected["A2B"][0], network_bound(a2b, sides=2), "ONNX")


@pytest.mark.parity
def test_unbiased_option_is_opt_in_and_exports_with_its_count_from_the_shape():
    """edgegan's own U-GAT-IT keeps the biased variance; ``unbiased=True`` is torch.var's default, and in ONNX its
    n - 1 comes from the input's shape (traced at 8x12, run at 2x3 where 1/(n-1) differs by a factor 19)."""
    import logging
    import warnings

    from torch.export import Dim

    assert not any(getattr(m, "unbiased", True) for m in MODELS.build("test_ugatit").modules() if hasattr(m, "rho"))

    def truth(x, rho, unbiased):
        def norm(dims):
            return (x - x.mean(dims, keepdim=True)) / torch.sqrt(x.var(dims, unbiased=unbiased, keepdim=True) + 1e-5)

        return rho * norm((2, 3)) + (1 - rho) * norm((1, 2, 3))

    torch.manual_seed(0)
    for unbiased in (False, True):
        norm = ILN(4, unbiased=unbiased)
        with torch.no_grad():
            norm.rho.uniform_(0, 1)
            x = torch.randn(2, 4, 6, 5)
            assert_parity(norm(x), truth(x, norm.rho, unbiased), float32_bound(1, x[0].numel(), scale=3.0, sides=2))
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)
    dims = {0: Dim("n", min=1, max=8), 2: Dim("h", min=2, max=64), 3: Dim("w", min=2, max=64)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(norm, (torch.randn(2, 4, 8, 12),), dynamo=True, dynamic_shapes={"x": dims})
    x = torch.randn(1, 4, 2, 3)
    with torch.no_grad():
        got = onnx_run(program.model_proto.SerializeToString(), x)
        assert_parity(got, truth(x, norm.rho, True), float32_bound(1, x[0].numel(), scale=3.0, sides=2))


class _RunsCode:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parity
def test_files_it_refuses(tmp_path):
    torch.manual_seed(0)
    small = randomize(ResnetGenerator(3, 3, 8, 1, 32, light=True), 3)
    good = tmp_path / "good.pt"
    torch.save(training_checkpoint(small, small, ndf=4), good)
    out = tmp_path / "out"

    def refused(path, *options: str) -> str:
        code, stdout, err = run_cli("import", "ugatit", str(path), "--out", str(out), *options)
        assert code == 2 and len(err.strip().splitlines()) == 1, (code, err)
        assert not out.exists()
        return err

    # another family's file: a junyanz CycleGAN generator state dict -> named
    junyanz = {"model.1.weight": torch.zeros(8, 3, 7, 7), "model.10.conv_block.1.weight": torch.zeros(32, 32, 3, 3)}
    torch.save(junyanz, tmp_path / "latest_net_G_A.pth")
    err = refused(tmp_path / "latest_net_G_A.pth")
    assert "not a U-GAT-IT generator" in err and "genA2B" in err and "edgegan import cyclegan" in err
    # truncated
    (tmp_path / "cut.pt").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "not a loadable PyTorch state dict" in refused(tmp_path / "cut.pt")
    # a pickle that would run code on load
    marker = tmp_path / "pwned"
    torch.save({"genA2B": _RunsCode(str(marker))}, tmp_path / "evil.pt")
    assert "not a loadable" in refused(tmp_path / "evil.pt") and not marker.exists()
    # wrong --direction
    assert "A2B, B2A" in refused(good, "--direction", "C2D")
    # an unknown layout inside genA2B: a stray layer, blocks that do not pair up, an FC that is neither variant
    for edit in ("stray", "unpaired", "fc"):
        params = training_checkpoint(small, small, ndf=4)
        g = params["genA2B"]
        if edit == "stray":
            g["UpBlock3.0.weight"] = torch.zeros(3)
        elif edit == "unpaired":
            g = params["genA2B"] = {k: v for k, v in g.items() if not k.startswith("UpBlock1_1.")}
        else:
            g["FC.0.weight"] = torch.zeros(32, 33)
        buf = io.BytesIO()
        torch.save(params, buf)
        (tmp_path / "odd.pt").write_bytes(buf.getvalue())
        err = refused(tmp_path / "odd.pt")
        assert "not a U-GAT-IT generator" in err, err
        assert {"stray": "UpBlock3.0.weight", "unpaired": "do not pair up", "fc": "33"}[edit] in err
    # a file without genB2A, asked for it
    torch.save({"genA2B": small.state_dict()}, tmp_path / "half.pt")
    assert "no 'genB2A'" in refused(tmp_path / "half.pt", "--direction", "B2A")
    # one bare generator: taken as it is, but --direction has nothing to choose
    torch.save(small.state_dict(), tmp_path / "genA2B.pth")
    assert "drop --direction" in refused(tmp_path / "genA2B.pth", "--direction", "A2B")
    ckpt = import_checkpoint("ugatit", tmp_path / "genA2B.pth", tmp_path / "bare")
    x = torch.rand(1, 3, 40, 28) * 2 - 1
    with torch.inference_mode():
        assert_parity(load_model(ckpt)(x)[0], small(x)[0], network_bound(small, sides=2))
    with pytest.raises(EdgeganError, match="not a loadable"):
        import_checkpoint("ugatit", tmp_path / "cut.pt", tmp_path / "api")
    assert not (tmp_path / "api").exists() and os.listdir(tmp_path).count("out") == 0
