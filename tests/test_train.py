"""The generic loop with the CycleGAN objective: it learns, it resumes, it refuses bad runs."""

import json

import pytest
import torch
from conftest import run_cli
from parity import assert_onnx_matches_torch
from safetensors.torch import load_file

from edgegan.errors import EdgeganError
from edgegan.training import cyclegan as cyclegan_objective
from edgegan.training import train

SMOKE = "train/configs/smoke/cyclegan_cartoon.yaml"


def stats(run):
    return [json.loads(ln) for ln in (run / "stats.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def smoke_run(samples, tmp_path_factory):
    run = tmp_path_factory.mktemp("smoke") / "run"
    # half the config's 400 steps (decay over the last 50): the same margins (measured here: train cycle 0.33x,
    # test cycle 0.58x, distance to the cartoon statistics 0.45x of step 0, against 0.31x, 0.58x, 0.48x at 400)
    over = [f"data.root={samples / 'cartoon'}", "train.steps=200", "train.decay_steps=50"]
    code, _, err = run_cli("train", SMOKE, *over, "--out", str(run))
    assert code == 0, err
    return run


@pytest.mark.slow
def test_cyclegan_smoke_learns(smoke_run):
    """Cycle error on a fixed training batch at least halves; on held-out photos it falls too, and the
    translated photos move toward the cartoon domain's statistics, compared with step 0."""
    rows = stats(smoke_run)
    first, last = rows[0], rows[-1]
    assert first["step"] == 0 and last["step"] == max(r["step"] for r in rows)
    assert last["train_cycle_l1"] <= 0.5 * first["train_cycle_l1"], (first, last)
    assert last["test_cycle_l1"] <= 0.75 * first["test_cycle_l1"], (first, last)
    assert last["test_stats_dist_to_B"] <= 0.6 * first["test_stats_dist_to_B"], (first, last)
    assert (smoke_run / "samples" / f"step_{last['step']:07d}.png").is_file()
    assert (smoke_run / "config.yaml").is_file()


@pytest.mark.slow
@pytest.mark.parity
def test_smoke_generator_is_a_checkpoint(smoke_run, tmp_path):
    from edgegan.export import export_onnx

    export_onnx(smoke_run / "generator", tmp_path / "g.onnx")
    assert_onnx_matches_torch(smoke_run / "generator", tmp_path / "g.onnx")


def tiny_args(samples, steps, **extra):
    args = [
        f"data.root={samples / 'cartoon'}",
        f"train.steps={steps}",
        "train.log_every=1",
        "train.sample_every=100",
        "train.ckpt_every=2",
        "train.batch_size=2",
        "data.load_size=36",
        "data.crop_size=32",
        "train.decay_steps=0",
        "train.ema=0.9",
    ]
    return args + [f"{k}={v}" for k, v in extra.items()]


def test_resume_after_a_crash_is_exact(samples, tmp_path, monkeypatch):
    train(SMOKE, tiny_args(samples, 6), str(tmp_path / "straight"))

    real_step = cyclegan_objective.CycleGANObjective.step
    calls = {"n": 0}

    def crashing_step(self, batch):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("power cut")
        return real_step(self, batch)

    monkeypatch.setattr(cyclegan_objective.CycleGANObjective, "step", crashing_step)
    with pytest.raises(RuntimeError, match="power cut"):
        train(SMOKE, tiny_args(samples, 6), str(tmp_path / "crashed"))
    monkeypatch.setattr(cyclegan_objective.CycleGANObjective, "step", real_step)
    assert json.loads((tmp_path / "crashed" / "generator" / "lineage.json").read_text())["metrics"]["step"] == 4
    train(SMOKE, tiny_args(samples, 6), str(tmp_path / "crashed"))

    a = load_file(tmp_path / "straight" / "generator" / "model.safetensors")
    b = load_file(tmp_path / "crashed" / "generator" / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert [r["step"] for r in stats(tmp_path / "crashed")] == [0, 1, 2, 3, 4, 5, 6]


def test_resume_refuses_another_config(samples, tmp_path):
    train(SMOKE, tiny_args(samples, 2), str(tmp_path / "run"))
    with pytest.raises(EdgeganError, match="different config.*train.lr"):
        train(SMOKE, tiny_args(samples, 4, **{"train.lr": 0.1}), str(tmp_path / "run"))
    train(SMOKE, tiny_args(samples, 4), str(tmp_path / "run"))  # training longer is a resume
    assert stats(tmp_path / "run")[-1]["step"] == 4


@pytest.mark.parametrize("mode", ["vanilla", "wgangp", "hinge"])
def test_other_gan_losses_run(samples, tmp_path, mode):
    train(SMOKE, tiny_args(samples, 2, **{"objective.args.gan_mode": mode}), str(tmp_path / mode))
    assert all(torch.isfinite(torch.tensor(r.get("loss_D", 0.0))) for r in stats(tmp_path / mode))


def test_lr_schedule_is_constant_then_linear():
    from edgegan.training.loop import linear_decay

    f = linear_decay(200, 100)
    assert f(0) == f(100) == 1.0
    assert f(150) == pytest.approx(0.5) and f(199) == pytest.approx(0.01) and f(200) == 0.0
    assert linear_decay(10, 0)(9) == 1.0


def test_torchrun_two_gloo_processes(samples, tmp_path):
    """DDP on CPU: two processes, each a shard of the data, replicas identical, only rank 0 writes."""
    import os
    import subprocess
    import sys

    run = tmp_path / "ddp"
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node=2",
        "--master_port=29517",
        "-m",
        "edgegan",
        "train",
        SMOKE,
        *tiny_args(samples, 4),
        "--out",
        str(run),
    ]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stderr[-2000:]
    rows = stats(run)
    assert [r["step"] for r in rows] == [0, 1, 2, 3, 4]  # one writer, no duplicated lines
    assert all(r["ddp_max_param_divergence"] == 0.0 for r in rows[1:])
    assert (run / "generator" / "model.safetensors").is_file()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU: mixed precision (AMP) runs on CUDA only")
def test_amp_on_cuda_learns(samples, tmp_path):
    train(SMOKE, tiny_args(samples, 20, **{"train.device": "cuda", "train.amp": True}), str(tmp_path / "amp"))
    rows = stats(tmp_path / "amp")
    assert rows[-1]["train_cycle_l1"] < rows[0]["train_cycle_l1"]


def _flat_and_textured():
    flat = torch.full((2, 3, 32, 32), 0.3)  # a flat image: every instance norm sees zero variance
    textured = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0)) * 2 - 1
    return flat, textured


def test_a_non_finite_gradient_skips_the_step_instead_of_poisoning_the_weights():
    from edgegan.registry import MODELS
    from edgegan.training.context import Distributed, TrainContext

    torch.manual_seed(0)
    g = MODELS.build("magenta_style", {})  # the published network: 18 instance norms in a row
    opt = torch.optim.Adam(g.parameters(), lr=1e-2)
    ctx = TrainContext(torch.device("cpu"), amp=False, dist=Distributed())
    flat, textured = _flat_and_textured()
    before = [p.detach().clone() for p in g.parameters()]
    ctx.backward((g(flat) - 0.1).abs().mean())
    grads = torch.cat([p.grad.flatten() for p in g.parameters()])
    assert not torch.isfinite(grads.norm())  # the failure this guards against: the gradient overflows
    ctx.step(opt)
    assert ctx.skipped == 1
    assert all(torch.equal(a, p) for a, p in zip(before, g.parameters(), strict=True))
    ctx.backward((g(textured) - 0.1).abs().mean())
    ctx.step(opt)
    assert ctx.skipped == 1
    assert all(torch.isfinite(p).all() for p in g.parameters())
    assert any(not torch.equal(a, p) for a, p in zip(before, g.parameters(), strict=True))


def test_clip_grad_bounds_the_step():
    from edgegan.registry import MODELS
    from edgegan.training.context import Distributed, TrainContext

    torch.manual_seed(0)
    g = MODELS.build("test_magenta_style", {})
    opt = torch.optim.SGD(g.parameters(), lr=1.0)
    ctx = TrainContext(torch.device("cpu"), amp=False, dist=Distributed(), clip_grad=1e-3)
    before = torch.cat([p.detach().flatten() for p in g.parameters()])
    ctx.backward((g(_flat_and_textured()[1]) - 0.1).pow(2).mean() * 1e3)
    ctx.step(opt)
    moved = torch.cat([p.detach().flatten() for p in g.parameters()]) - before
    assert 0 < float(moved.norm()) <= 1e-3 * 1.001


def test_clip_grad_must_not_be_negative(samples, tmp_path):
    with pytest.raises(EdgeganError, match="train.clip_grad"):
        train(SMOKE, [f"data.root={samples / 'cartoon'}", "train.clip_grad=-1"], str(tmp_path / "r"))


def test_clip_grad_must_be_a_number(samples, tmp_path):
    with pytest.raises(EdgeganError, match="train.clip_grad"):
        train(SMOKE, [f"data.root={samples / 'cartoon'}", "train.clip_grad=nan"], str(tmp_path / "r"))
