"""U-GAT-IT: published sizes, the objective learns, rho stays clipped, checkpoints, ONNX and stylize.

Run alone with ``OMP_NUM_THREADS=1``; every test stays under a minute on one core.
"""

from __future__ import annotations

import gc
import json
import shutil

import numpy as np
import pytest
import torch
from conftest import run_cli
from parity import assert_onnx_matches_torch
from PIL import Image

import edgegan.models  # noqa: F401
from edgegan.checkpoint import load_train_state
from edgegan.config import load_config
from edgegan.errors import EdgeganError
from edgegan.export import export_onnx
from edgegan.models import count_parameters, exportable, io_spec, load_model, save_model
from edgegan.nn.adalin import ILN, AdaLIN
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training import train
from edgegan.training.context import Distributed, TrainContext

SMOKE = "train/configs/smoke/ugatit_cartoon.yaml"


def reference_generator_parameters(C: int = 64, blocks: int = 4, size: int = 256, light: bool = False) -> int:
    """znxlwm/UGATIT-pytorch's ResnetGenerator, counted layer by layer from its layout (no biases in
    convs except the CAM 1x1; instance norm without affine; ILN has rho, gamma, beta; AdaLIN has rho)."""
    D = 4 * C
    encoder = 3 * C * 49 + C * 2 * C * 9 + 2 * C * D * 9 + blocks * 2 * D * D * 9
    cam = 2 * D + (2 * D * D + D)
    mlp = (D if light else (size // 4) ** 2 * D) * D + D * D + 2 * D * D  # FC x2, gamma, beta
    decoder = blocks * (2 * D * D * 9 + 2 * D) + (D * (D // 2) * 9 + 3 * D // 2) + (D // 2 * C * 9 + 3 * C) + C * 3 * 49
    return encoder + cam + mlp + decoder


def reference_discriminator_parameters(C: int = 64, n_layers: int = 7) -> int:
    total, cin, cout = 0, 3, C
    for _ in range(n_layers - 1):  # n_layers - 2 stride-2 convs and one stride-1 conv, 4x4 with bias
        total += cin * cout * 16 + cout
        cin, cout = cout, cout * 2
    return total + 2 * cin + (2 * cin * cin + cin) + cin * 16  # CAM classifiers, 1x1 fuse, logit conv


def test_parameter_counts_match_the_reference():
    for name, light in (("ugatit_light", True), ("ugatit_full", False)):
        ref = MODELS.get(name).meta["reference"]["parameters"]
        assert ref == reference_generator_parameters(light=light)
        g = MODELS.build(name)
        n = count_parameters(g)
        assert abs(n - ref) <= 0.01 * ref, (name, n, ref)
        if not light:
            assert g.mlp[0].weight.numel() == 268_435_456  # the one fully connected layer
        del g
        gc.collect()  # the full model holds ~1.1 GB
    assert reference_generator_parameters(light=True) == 10_589_888
    assert reference_generator_parameters(light=False) == 278_959_808
    for name, layers in (("ugatit_global", 7), ("ugatit_local", 5)):
        ref = DISCRIMINATORS.get(name).meta["reference"]["parameters"]
        assert ref == reference_discriminator_parameters(n_layers=layers)
        assert count_parameters(DISCRIMINATORS.build(name)) == ref


def test_forward_contract_and_sizes():
    g = MODELS.build("test_ugatit").eval()
    x = torch.rand(2, 3, 36, 52) * 2 - 1
    with torch.no_grad():
        y, cam_logit, heatmap = g(x)
    assert y.shape == x.shape and y.abs().max() <= 1
    assert cam_logit.shape == (2, 2) and heatmap.shape == (2, 1, 9, 13)
    assert io_spec("ugatit_light", {}).size_multiple == 4 and io_spec("ugatit_light", {}).fixed_size is None
    assert io_spec("ugatit_full", {"image_size": 128}).fixed_size == 128
    full = MODELS.build("ugatit_full", {"image_size": 32, "base_channels": 8, "n_blocks": 1}).eval()
    with pytest.raises(EdgeganError, match="32x32 inputs only"):
        full(torch.zeros(1, 3, 64, 64))
    d = DISCRIMINATORS.build("ugatit_global")
    logits, d_cam, d_heat = d(torch.zeros(1, 3, 256, 256))
    assert logits.shape == (1, 1, 6, 6) and d_cam.shape == (1, 2)  # global D: one logit per ~286-pixel field


def smoke_args(samples, steps: int, **extra) -> list[str]:
    args = [
        f"data.root={samples / 'cartoon'}",
        f"train.steps={steps}",
        f"train.decay_steps={steps // 4}",
        "train.log_every=10",
        f"train.sample_every={steps}",
        f"train.ckpt_every={steps}",
    ]
    return args + [f"{k}={v}" for k, v in extra.items()]


@pytest.fixture(scope="module")
def smoke_run(samples, tmp_path_factory):
    """The CPU smoke recipe, shortened to 40 steps (64-pixel crops, batch 4): ~25 s on one core."""
    run = tmp_path_factory.mktemp("ugatit") / "run"
    train(SMOKE, smoke_args(samples, 40), str(run))
    return run


def stats(run):
    return [json.loads(ln) for ln in (run / "stats.jsonl").read_text().splitlines()]


@pytest.mark.slow
def test_smoke_learns(smoke_run):
    """Cycle error on the fixed training batch falls to <= 0.6x of step 0, and translated held-out
    photos move toward the cartoon domain's statistics compared with step 0."""
    rows = stats(smoke_run)
    first, last = rows[0], rows[-1]
    assert first["step"] == 0 and last["step"] == 40
    assert last["train_cycle_l1"] <= 0.6 * first["train_cycle_l1"], (first, last)
    assert last["test_stats_dist_to_B"] < first["test_stats_dist_to_B"], (first, last)
    assert all(np.isfinite(r["loss_G"]) and np.isfinite(r["loss_D"]) for r in rows[1:])
    assert {"cam_G", "adv_G", "cycle", "identity"} <= set(last)
    assert (smoke_run / "samples" / "step_0000040.png").is_file()


def test_rho_is_clipped_to_unit_interval():
    """A huge learning rate pushes rho far outside [0, 1] in one Adam step; the clip brings it back."""
    cfg = load_config(SMOKE, ["train.lr=10.0"])
    obj = OBJECTIVES.get("ugatit").builder(cfg, TrainContext(torch.device("cpu"), False, Distributed()))
    torch.manual_seed(0)
    batch = {"A": torch.rand(2, 3, 32, 32) * 2 - 1, "B": torch.rand(2, 3, 32, 32) * 2 - 1}
    obj.step(batch)
    rhos = [m.rho for k in ("G_A", "G_B") for m in obj.modules[k].modules() if isinstance(m, (AdaLIN, ILN))]
    assert len(rhos) == 2 * (2 * 2 + 2)  # per generator: 2 AdaLIN in each of 2 blocks, 2 ILN
    values = torch.cat([r.detach().flatten() for r in rhos])
    assert values.min() >= 0 and values.max() <= 1
    assert (values == 0).any() or (values == 1).any()  # the clip acted: some rho sits on a bound


@pytest.mark.slow
def test_checkpoint_reloads_from_its_directory_alone(smoke_run, tmp_path):
    moved = shutil.copytree(smoke_run / "generator", tmp_path / "moved")
    g = load_model(moved)
    assert all(0 <= m.rho.min() and m.rho.max() <= 1 for m in g.modules() if isinstance(m, (AdaLIN, ILN)))
    trained = MODELS.build("test_ugatit")
    trained.load_state_dict(load_train_state(smoke_run / "train_state.pt")["modules"]["G_A"])
    x = torch.rand(2, 3, 48, 40) * 2 - 1
    with torch.no_grad():
        for a, b in zip(g(x), trained.eval()(x), strict=True):
            assert torch.equal(a, b)


@pytest.mark.slow
@pytest.mark.parity
def test_onnx_export_of_the_light_variant(smoke_run, tmp_path):
    report = export_onnx(smoke_run / "generator", tmp_path / "g.onnx")
    assert_onnx_matches_torch(smoke_run / "generator", tmp_path / "g.onnx")
    sizes = {tuple(s[2:]) for s in report["check"]["shapes"]}
    assert len(sizes) == 2  # checked at two different input sizes (dynamic H and W)


@pytest.mark.parity
def test_full_variant_exports_image_only(tmp_path):
    """The full architecture at a reduced image_size: the export wrapper returns the image alone and the
    ONNX graph (fixed 32x32, batch 1 and 2) matches PyTorch."""
    torch.manual_seed(0)
    args = {"image_size": 32, "base_channels": 8, "n_blocks": 1}
    model = MODELS.build("ugatit_full", args)
    ckpt = save_model(tmp_path / "full", model, {"name": "ugatit_full", "args": args})
    wrapper = exportable(load_model(ckpt))
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        out = wrapper(x)
    assert isinstance(out, torch.Tensor) and out.shape == x.shape
    report = export_onnx(ckpt, tmp_path / "full.onnx")
    assert report["io"]["fixed_size"] == 32
    assert [s[0] for s in report["check"]["shapes"]] == [1, 2]
    assert_onnx_matches_torch(ckpt, tmp_path / "full.onnx")
    # stylize resizes any photo to the fixed size and back
    Image.fromarray(np.zeros((20, 50, 3), np.uint8)).save(tmp_path / "p.png")
    code, _, err = run_cli("stylize", str(ckpt), str(tmp_path / "p.png"), "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert Image.open(tmp_path / "o" / "p.png").size == (50, 20)


@pytest.mark.slow
def test_stylize_cli(smoke_run, tmp_path):
    src = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (23, 37, 3), dtype=np.uint8)).save(src)
    code, _, err = run_cli("stylize", str(smoke_run / "generator"), str(src), "--out", str(tmp_path / "o"))
    assert code == 0, err
    res = Image.open(tmp_path / "o" / "photo.png")
    assert res.size == (37, 23) and res.mode == "RGB"
