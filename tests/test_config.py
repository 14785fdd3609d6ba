import pytest

from edgegan.config import load_config
from edgegan.errors import EdgeganError


def write(path, text):
    path.write_text(text)
    return path


def test_base_inheritance_and_overrides(tmp_path):
    write(
        tmp_path / "base.yaml",
        "model: {name: cyclegan_resnet9, args: {n_blocks: 9, norm: instance}}\ntrain: {lr: 0.0002, steps: 10}\n",
    )
    cfg_path = write(
        tmp_path / "exp.yaml", "_base_: base.yaml\nname: exp\nmodel: {args: {n_blocks: 6}}\ntrain: {steps: 20}\n"
    )
    cfg = load_config(
        cfg_path, ["train.lr=1e-3", "data.flip=false", "model.args.dropout=0.5", "train.betas=[0.9, 0.99]"]
    )
    assert cfg.name == "exp"
    assert cfg.model.name == "cyclegan_resnet9"
    assert cfg.model.args == {"n_blocks": 6, "norm": "instance", "dropout": 0.5}  # merged key by key
    assert cfg.train.steps == 20 and cfg.train.lr == pytest.approx(1e-3)
    assert cfg.data.flip is False
    assert cfg.train.betas == (0.9, 0.99)


def test_unknown_key_is_named(tmp_path):
    p = write(tmp_path / "c.yaml", "train: {steps: 5}\n")
    with pytest.raises(EdgeganError, match=r"unknown config key 'train\.lrr'"):
        load_config(p, ["train.lrr=1"])
    write(tmp_path / "bad.yaml", "trian: {steps: 5}\n")
    with pytest.raises(EdgeganError, match="unknown config key 'trian'"):
        load_config(tmp_path / "bad.yaml")


def test_wrong_type_and_missing_file(tmp_path):
    p = write(tmp_path / "c.yaml", "train: {steps: many}\n")
    with pytest.raises(EdgeganError, match="train.steps"):
        load_config(p)
    with pytest.raises(EdgeganError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_shipped_recipes_resolve():
    from edgegan.training.loop import validate

    for path in ("train/configs/cyclegan_horse2zebra.yaml", "train/configs/smoke/cyclegan_cartoon.yaml"):
        cfg = load_config(path)
        validate(cfg)
    h2z = load_config("train/configs/cyclegan_horse2zebra.yaml")
    # The paper's schedule: 100 epochs constant + 100 decaying, 1334 steps an epoch at batch 1.
    assert (h2z.train.steps, h2z.train.decay_steps, h2z.train.lr, h2z.train.batch_size) == (266800, 133400, 2e-4, 1)
    assert h2z.objective.args["lambda_cycle"] == 10.0 and h2z.objective.args["pool_size"] == 50
