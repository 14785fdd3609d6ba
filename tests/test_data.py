import numpy as np
import pytest
import torch
from PIL import Image

from edgegan.config import DataConfig
from edgegan.data import PairTransform, build_dataset
from edgegan.errors import EdgeganError
from edgegan.media import list_images


def test_sample_set_is_real_and_complete(samples):
    assert len(list_images(samples / "photos")) == 11
    assert {p.name for p in (samples / "videos").iterdir()} == {
        "carphone_pristine.mp4",
        "bikes.mp4",
        "bigbuckbunny.mp4",
    }
    for sub in ("trainA", "trainB", "testA", "testB"):
        assert len(list_images(samples / "cartoon" / sub)) >= 11
    credits = (samples / "CREDITS.md").read_text()
    assert "CC-BY 2.0" in credits and "Blender Foundation" in credits
    # Unpaired means unpaired: no picture appears on both training sides.
    assert not {p.stem for p in list_images(samples / "cartoon" / "trainA")} & {
        p.stem for p in list_images(samples / "cartoon" / "trainB")
    }
    ab = np.asarray(Image.open(list_images(samples / "edges2photo" / "train")[0]))
    assert ab.shape[1] == 2 * ab.shape[0]
    edges = ab[:, : ab.shape[0]]
    assert set(np.unique(edges)) <= {0, 255} and (edges == 0).mean() > 0.01  # a real edge map, not blank


def test_three_layouts(samples, tmp_path):
    un = build_dataset(
        DataConfig(root=str(samples / "cartoon"), layout="unpaired", load_size=72, crop_size=64, workers=0)
    )
    item = un[0]
    assert item["A"].shape == (3, 64, 64) and -1 <= item["A"].min() and item["A"].max() <= 1
    ab = build_dataset(DataConfig(root=str(samples / "edges2photo"), layout="paired_ab", load_size=72, crop_size=64))
    it = ab[0]
    assert it["A"].shape == it["B"].shape == (3, 64, 64)
    # A is the edge map of B: its pixels are (nearly) black or white after resizing.
    assert ((it["A"] > 0.8) | (it["A"] < -0.8)).float().mean() > 0.6
    for side in ("A", "B"):
        (tmp_path / "train" / side).mkdir(parents=True)
    for k in range(3):
        Image.fromarray(np.full((40, 40, 3), 10 * k, np.uint8)).save(tmp_path / "train" / "A" / f"{k}.png")
        Image.fromarray(np.full((40, 40, 3), 10 * k, np.uint8)).save(tmp_path / "train" / "B" / f"{k}.jpg")
    pf = build_dataset(DataConfig(root=str(tmp_path), layout="paired_folders", load_size=40, crop_size=32))
    assert len(pf) == 3
    assert torch.allclose(pf[2]["A"], pf[2]["B"], atol=0.02)


def test_pair_transform_crops_both_sides_alike():
    rng = np.random.default_rng(0)
    img = Image.fromarray(rng.integers(0, 255, (80, 120, 3), dtype=np.uint8))
    import random

    a, b = PairTransform(80, 48, True, True)(img, img, rng=random.Random(3))
    assert torch.equal(a, b)


def test_dataset_errors(tmp_path):
    with pytest.raises(EdgeganError, match="data.root is empty"):
        build_dataset(DataConfig())
    (tmp_path / "trainA").mkdir()
    (tmp_path / "trainB").mkdir()
    with pytest.raises(EdgeganError, match="no images in"):
        build_dataset(DataConfig(root=str(tmp_path)))
    with pytest.raises(EdgeganError, match="unknown dataset 'zip'"):
        build_dataset(DataConfig(root=str(tmp_path), layout="zip"))
