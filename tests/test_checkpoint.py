import pytest
import torch

from edgegan.checkpoint import read_model_config
from edgegan.errors import EdgeganError
from edgegan.io import read_json, write_json
from edgegan.models import load_model, save_model


def test_round_trip_rebuilds_without_flags(tiny_ckpt):
    cfg = read_json(tiny_ckpt / "config.json")
    assert cfg["model"]["name"] == "test_cyclegan_resnet"
    assert cfg["io"]["size_multiple"] == 4 and cfg["io"]["range"] == [-1.0, 1.0]
    lineage = read_json(tiny_ckpt / "lineage.json")
    assert len(lineage["weights_sha256"]) == 64
    m = load_model(tiny_ckpt)
    torch.manual_seed(0)
    from edgegan.registry import MODELS

    ref = MODELS.build("test_cyclegan_resnet").eval()
    x = torch.rand(1, 3, 32, 32)
    assert torch.equal(m(x), ref(x))


def test_other_architecture_is_refused(tiny_ckpt):
    cfg = read_json(tiny_ckpt / "config.json")
    cfg["model"]["args"] = {"n_blocks": 3}
    write_json(tiny_ckpt / "config.json", cfg)
    with pytest.raises(EdgeganError, match=r"do not fit architecture.*unexpected: blocks\.2|missing: blocks\.2"):
        load_model(tiny_ckpt)


def test_not_a_checkpoint(tmp_path):
    torch.save({"w": torch.zeros(1)}, tmp_path / "latest_net_G.pth")
    with pytest.raises(EdgeganError, match="bare PyTorch weights file.*edgegan import cyclegan"):
        read_model_config(tmp_path / "latest_net_G.pth")
    with pytest.raises(EdgeganError, match="not an edgegan checkpoint"):
        read_model_config(tmp_path)
    with pytest.raises(EdgeganError, match="model not found"):
        read_model_config(tmp_path / "nope")


def test_save_overwrites_whole_directory(tiny_ckpt):
    from edgegan.registry import MODELS

    m = MODELS.build("test_cyclegan_resnet", {"n_blocks": 1})
    save_model(tiny_ckpt, m, {"name": "test_cyclegan_resnet", "args": {"n_blocks": 1}})
    assert sum(p.numel() for p in load_model(tiny_ckpt).parameters()) == sum(p.numel() for p in m.parameters())
