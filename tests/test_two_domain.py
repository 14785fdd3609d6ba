"""The two-domain skeleton (:mod:`edgegan.training.two_domain`) that CycleGAN, DualGAN and U-GAT-IT share:
networks and optimizers, frozen discriminators in the generator step, image pools and their resume state."""

from __future__ import annotations

import random

import pytest
import torch

import edgegan.models  # noqa: F401
from edgegan.config import load_config
from edgegan.registry import OBJECTIVES
from edgegan.training.context import Distributed, TrainContext
from edgegan.training.two_domain import ImagePool, TwoDomainObjective

SMOKE = {
    "cyclegan": "train/configs/smoke/cyclegan_cartoon.yaml",
    "dualgan": "train/configs/smoke/dualgan_cartoon.yaml",
    "ugatit": "train/configs/smoke/ugatit_cartoon.yaml",
}
DISCRIMINATORS = {
    "cyclegan": ["D_A", "D_B"],
    "dualgan": ["D_A", "D_B"],
    "ugatit": ["D_A", "D_A_local", "D_B", "D_B_local"],
}


def build(name: str, *overrides: str) -> TwoDomainObjective:
    cfg = load_config(SMOKE[name], list(overrides))
    return OBJECTIVES.get(name).builder(cfg, TrainContext(torch.device("cpu"), False, Distributed()))


def params(modules) -> list[int]:
    return [id(p) for m in modules for p in m.parameters()]


@pytest.mark.parametrize("name", list(SMOKE))
def test_skeleton_networks_optimizers_and_a_step(name):
    torch.manual_seed(0)
    obj = build(name, "objective.args.pool_size=1" if name != "dualgan" else "objective.args.generator_steps=1")
    assert isinstance(obj, TwoDomainObjective)
    assert list(obj.modules) == ["G_A", "G_B", *DISCRIMINATORS[name]]
    assert obj.generator is obj.modules["G_A"]
    g_params = [id(p) for group in obj.optimizers["G"].param_groups for p in group["params"]]
    d_params = [id(p) for group in obj.optimizers["D"].param_groups for p in group["params"]]
    assert g_params == params([obj.modules["G_A"], obj.modules["G_B"]])
    assert d_params == params([obj.modules[k] for k in DISCRIMINATORS[name]])

    batch = {"A": torch.rand(2, 3, 32, 32) * 2 - 1, "B": torch.rand(2, 3, 32, 32) * 2 - 1}
    losses = obj.step(batch)
    assert losses["loss_G"] == losses["loss_G"] and losses["loss_D"] == losses["loss_D"]  # not NaN
    # the generator step froze the discriminators only while it ran
    assert all(p.requires_grad for k in DISCRIMINATORS[name] for p in obj.modules[k].parameters())
    assert set(obj.evaluate({"train": batch, "test": batch})) == {
        "train_cycle_l1",
        "test_cycle_l1",
        "test_stats_dist_to_B",
        "test_input_stats_dist_to_B",
    }
    rows, labels = obj.sample(batch)
    assert len(rows) == len(labels) and all(len(r) == 2 and r[0].shape == (3, 32, 32) for r in rows)


@pytest.mark.parametrize("name", list(SMOKE))
def test_extra_state_keys_are_those_of_earlier_runs(name):
    """Checkpoints of earlier runs resume: CycleGAN and U-GAT-IT save their two pools under ``pools``, DualGAN
    (no pools) saves nothing."""
    obj = build(name)
    state = obj.extra_state()
    if name == "dualgan":
        assert state == {}
    else:
        assert list(state) == ["pools"] and list(state["pools"]) == ["A", "B"]
        assert set(state["pools"]["A"]) == {"images", "rng"}
    obj.load_extra_state(state)
    obj.load_extra_state({})  # a checkpoint without extra state


def test_image_pool_resumes_its_draws_exactly():
    pool = ImagePool(2, random.Random(3))
    images = [torch.full((2, 1, 2, 2), float(i)) for i in range(6)]
    for x in images[:3]:
        pool.query(x)
    resumed = ImagePool(2, random.Random(99))
    resumed.load_state_dict(pool.state_dict())
    for x in images[3:]:
        assert torch.equal(pool.query(x), resumed.query(x))
    assert ImagePool(0).query(images[0]) is images[0]  # size 0: no pool
