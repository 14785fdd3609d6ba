"""Stress inputs, stress views in the teacher-label cache, and the exposure-normalised colour-operator student."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from edgegan.data.samples import photo_paths
from edgegan.data.stress import SIZES, TRANSFORMS, random_stress, write_stress_set
from edgegan.errors import EdgeganError
from edgegan.media import load_image
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def photo():
    return np.asarray(load_image(photo_paths()["coffee"]))


def test_each_transform_is_the_image_at_strength_zero_and_moves_it_at_one(photo):
    for name, fn in TRANSFORMS.items():
        same = fn(photo, 0.0, np.random.default_rng(0)).astype(int)
        assert np.abs(same - photo).max() <= 1, name  # rounding only
        moved = fn(photo, 1.0, np.random.default_rng(0)).astype(int)
        assert moved.shape == photo.shape and moved.dtype != object
        assert np.abs(moved - photo).mean() > 8, name


def test_transforms_do_what_they_say(photo):
    x = photo.astype(float)
    assert TRANSFORMS["bright"](photo, 1.0).mean() > x.mean() + 40
    assert TRANSFORMS["dark"](photo, 1.0).mean() < x.mean() / 2
    assert TRANSFORMS["pastel"](photo, 1.0).std() < 0.4 * x.std() and TRANSFORMS["pastel"](photo, 1.0).mean() > x.mean()
    assert TRANSFORMS["low_contrast"](photo, 1.0).std() < 0.3 * x.std()
    g = TRANSFORMS["grayscale"](photo, 1.0).astype(int)
    assert np.abs(g[..., 0] - g[..., 2]).max() <= 1
    assert TRANSFORMS["flat"](photo, 1.0).std(axis=(0, 1)).max() < 0.15 * x.std()


def test_stress_set_files_and_errors(tmp_path):
    src = [photo_paths()["coffee"], photo_paths()["chelsea"]]
    written = write_stress_set(src, tmp_path / "s")
    assert len(written) == 2 * (len(TRANSFORMS) + len(SIZES)) and all(p.is_file() for p in written)
    assert max(load_image(tmp_path / "s" / "coffee__huge.jpg").size) == SIZES["huge"]
    assert max(load_image(tmp_path / "s" / "coffee__tiny.jpg").size) == SIZES["tiny"]
    again = write_stress_set(src, tmp_path / "t", ["noisy"])
    assert [p.name for p in again] == ["coffee__noisy.png", "chelsea__noisy.png"]  # --only means only
    assert [p.name for p in write_stress_set(src[:1], tmp_path / "w", ["tiny"])] == ["coffee__tiny.jpg"]
    assert np.array_equal(
        np.asarray(load_image(again[0])), np.asarray(load_image(tmp_path / "s" / "coffee__noisy.png"))
    )
    with pytest.raises(EdgeganError, match="unknown stress transform 'blurry'"):
        write_stress_set(src, tmp_path / "u", ["blurry"])
    code, _, err = run_cli("data", "stress", str(src[0]), "--out", str(tmp_path / "v"), "--only", "sepia")
    assert code == 2 and "sepia" in err and "Traceback" not in err


def test_random_stress_varies(photo):
    rng = np.random.default_rng(0)
    outs = [random_stress(photo[:64, :64], rng) for _ in range(12)]
    assert len({o.tobytes() for o in outs}) == 12


def test_normalised_grid_student_is_blind_to_exposure_like_its_teacher():
    """x -> a x + b (a > 0, b per channel) leaves an InstanceNorm teacher's output unchanged; the normalised
    student has the same invariance built in, the plain one does not."""
    import edgegan.models  # noqa: F401 -- registers the students
    from edgegan.registry import MODELS

    torch.manual_seed(0)
    x = torch.rand(2, 3, 72, 96) * 1.2 - 0.6
    washed = 0.35 * x + torch.tensor([0.4, 0.35, 0.3]).view(1, 3, 1, 1)
    for name, invariant in (("test_affine_grid_norm", True), ("test_affine_grid", False)):
        m = MODELS.build(name).eval()
        with torch.no_grad():
            for p in m.parameters():
                p.add_(0.05 * torch.randn_like(p))
            a, b = m(x), m(washed)
        inside = (a.abs() < 0.999) & (b.abs() < 0.999)  # compared where the output clamp did not act
        assert inside.float().mean() > 0.5
        if invariant:
            assert (a - b)[inside].abs().max() < 0.01  # up to the variance floor NORM_EPS
        else:
            assert (a - b)[inside].abs().max() > 0.1


def test_a_cached_views_stress_transform_replays_on_a_blank_image(photo):
    """filter_cache.py --drop-stress drops views by their stress transform without relabelling: view_stress
    replays each view's random draws, which depend on the source's shape only."""
    from pathlib import Path

    from edgegan.compress.cache import draw_whole, random_view, view_stress

    spec = {"seed": 3, "size": 64, "stress": 0.8}
    seen = []
    for k in range(40):
        job = (Path("photo.jpg"), -1, k % 4) if k % 2 else (Path("clip.mp4"), 2 * k, 0)
        rng = np.random.default_rng([3, k])
        info: dict = {}
        random_view(photo, 64, rng, draw_whole(job[1], job[2], rng), 0.8, info)  # as build_cache draws it
        assert view_stress(photo.shape[:2], job, k, spec) == info.get("stress")
        seen.append(info.get("stress"))
    assert None in seen and len(set(seen)) > 4


def test_coloured_light_tints_unevenly_and_keeps_exposure(photo):
    x = photo.astype(float)
    lit = TRANSFORMS["coloured_light"](photo, 1.0, np.random.default_rng(1)).astype(float)
    assert abs(lit.mean() - x.mean()) < 0.1 * x.mean()  # the exposure is kept
    ratio = (lit + 1) / (x + 1)  # the light each pixel got, per channel
    q = min(photo.shape[:2]) // 4
    corners = [ratio[:q, :q], ratio[:q, -q:], ratio[-q:, :q], ratio[-q:, -q:]]
    tints = np.array([np.median(c.reshape(-1, 3), axis=0) for c in corners])
    tints /= tints.mean(axis=1, keepdims=True)  # colour of the light, not its brightness
    assert np.ptp(tints, axis=0).max() > 0.2  # not one colour over the whole frame
    assert np.ptp(tints[0]) > 0.3 or np.ptp(tints[-1]) > 0.3  # and a saturated one somewhere


def test_label_views_draw_from_the_original_transforms_unless_told(photo, tmp_path):
    """Caches made before coloured_light replay the same names (view_stress); --stress-only picks, and the cache
    records the pick so its views replay too."""
    from pathlib import Path

    from edgegan.compress.cache import draw_whole, random_view, view_stress
    from edgegan.data.stress import LABEL_TRANSFORMS

    assert "coloured_light" in TRANSFORMS and "coloured_light" not in LABEL_TRANSFORMS
    drawn = set()
    for k in range(60):
        info: dict = {}
        random_stress(photo[:32, :32], np.random.default_rng(k), info)
        drawn.add(info["stress"])
    assert drawn == set(LABEL_TRANSFORMS)
    spec = {"seed": 5, "size": 64, "stress": 1.0, "stress_transforms": ["coloured_light"]}
    for k in range(6):
        job = (Path("photo.jpg"), -1, k)
        rng = np.random.default_rng([5, k])
        info = {}
        random_view(photo, 64, rng, draw_whole(-1, k, rng), 1.0, info, ["coloured_light"])
        assert info["stress"] == "coloured_light" == view_stress(photo.shape[:2], job, k, spec)
    code, _, err = run_cli(
        "distill", "--teacher", "test_resnet", "--student", "test_affine_grid", "--data", str(photo_paths()["coffee"]),
        "--out", str(tmp_path / "d"), "--stress", "0.5", "--stress-only", "neon", "--label-only",
    )  # fmt: skip
    assert code == 2 and "'neon'" in err and "Traceback" not in err
