import numpy as np
import pytest
from PIL import Image

from edgegan.errors import EdgeganError
from edgegan.io import atomic_dir, atomic_write
from edgegan.media import load_image


def test_grayscale_rgba_and_exif(tmp_path):
    Image.fromarray(np.full((10, 20), 100, np.uint8), "L").save(tmp_path / "g.png")
    im = load_image(tmp_path / "g.png")
    assert im.mode == "RGB" and im.size == (20, 10) and np.asarray(im)[0, 0].tolist() == [100, 100, 100]

    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[..., 0] = 255  # red, fully transparent: must become the white background, not red
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    assert np.asarray(load_image(tmp_path / "a.png"))[0, 0].tolist() == [255, 255, 255]

    # A 30x10 landscape stored with EXIF orientation 6 (rotate 90 degrees clockwise) is a 10x30 portrait.
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(np.zeros((10, 30, 3), np.uint8)).save(tmp_path / "r.jpg", exif=exif)
    assert load_image(tmp_path / "r.jpg").size == (10, 30)


def test_bad_images(tmp_path):
    (tmp_path / "x.png").write_text("not an image")
    with pytest.raises(EdgeganError, match="not an image"):
        load_image(tmp_path / "x.png")
    with pytest.raises(EdgeganError, match="input not found"):
        load_image(tmp_path / "missing.png")


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target, "w") as f:
            f.write("half")
            raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temporary left behind


def test_atomic_dir_all_or_nothing(tmp_path):
    d = tmp_path / "ckpt"
    with atomic_dir(d) as tmp:
        (tmp / "a").write_text("1")
    with pytest.raises(RuntimeError):
        with atomic_dir(d) as tmp:
            (tmp / "a").write_text("2")
            raise RuntimeError("killed")
    assert (d / "a").read_text() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"]


def test_atomic_outputs_get_ordinary_permissions(tmp_path):
    import os
    import stat

    from edgegan.io import atomic_dir, write_json

    mask = os.umask(0o022)
    try:
        write_json(tmp_path / "a.json", {"x": 1})
        with atomic_dir(tmp_path / "ckpt") as d:
            (d / "f").write_text("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644  # not mkstemp's private 0600
    assert stat.S_IMODE((tmp_path / "ckpt").stat().st_mode) == 0o755
