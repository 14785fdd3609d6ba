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
        (tmp / "lineage.json").write_text("{}")  # what every edgegan artifact holds
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


def test_atomic_dir_never_replaces_what_edgegan_did_not_write(tmp_path):
    import os
    import stat

    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "apple.jpg").write_bytes(b"a user's photo")
    with pytest.raises(EdgeganError, match="refusing to replace"):
        with atomic_dir(photos):
            pass
    assert (photos / "apple.jpg").read_bytes() == b"a user's photo"
    (tmp_path / "model.onnx").write_bytes(b"onnx")
    with pytest.raises(EdgeganError, match="existing file"):
        with atomic_dir(tmp_path / "model.onnx"):
            pass
    # an artifact edgegan wrote (lineage.json) or an empty folder is replaced as before
    out = tmp_path / "out"
    out.mkdir()
    with atomic_dir(out) as d:
        (d / "lineage.json").write_text("{}")
        os.chmod(d / "lineage.json", 0o600)  # a writer that makes private files (safetensors' save_file did)
    assert stat.S_IMODE((out / "lineage.json").stat().st_mode) == 0o666 & ~_umask()
    with atomic_dir(out) as d:
        (d / "lineage.json").write_text("2")
    assert (out / "lineage.json").read_text() == "2"
    with atomic_dir(photos, replace_any=True) as d:  # a fixed sub-folder of an output edgegan owns
        (d / "x").write_text("4")
    assert sorted(p.name for p in photos.iterdir()) == ["x"]
    old = tmp_path / "old"
    old.mkdir()
    (old / "lineage.json").write_text("{}")
    with atomic_dir(old) as d:
        (d / "w").write_text("3")
    assert (old / "w").read_text() == "3"


def _umask() -> int:
    import os

    m = os.umask(0)
    os.umask(m)
    return m


def test_16_bit_gray_is_scaled_not_clipped(tmp_path):
    import cv2

    cv2.imwrite(str(tmp_path / "g16.png"), np.full((8, 8), 32896, np.uint16))  # mid-grey in 16 bits
    im = load_image(tmp_path / "g16.png")
    assert np.asarray(im)[0, 0].tolist() == [128, 128, 128]


def test_unwritable_outputs_and_bad_sizes_are_one_line_errors(tmp_path):
    from tests.conftest import run_cli

    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "apple.jpg").write_bytes(b"x")
    code, _, err = run_cli("import", "vintagify", "--out", str(photos))
    assert code == 2 and "refusing to replace" in err and (photos / "apple.jpg").exists()
    for args in (
        ["bench", "x.onnx", "--json", "/proc/x/b.json"],
        ["video", "m.onnx", "in.mp4", "o.mp4", "--json", str(tmp_path)],
        ["stylize", "m.onnx", "in.jpg", "--out", str(tmp_path / "o"), "--size", "100000"],
        ["models", "--size", "7"],
        ["video", "m.onnx", "in.mp4", "o.mp4", "--alpha", "2"],  # checked without --temporal too
        ["quantize", "m.onnx", "--fp16", "--calib", "photos", "--out", str(tmp_path / "q")],  # would be ignored
        ["quantize", "m.onnx", "--int8", "--steps", "5", "--out", str(tmp_path / "q")],  # QAT only
        ["quantize", "m.onnx", "--int8", "--min-psnr", "-5", "--out", str(tmp_path / "q")],
        ["quantize", "m.onnx", "--int8", "--qat", "--min-psnr", "30", "--out", str(tmp_path / "q")],
        ["quantize", "m.onnx", "--fp16", "--steps", "3", "--out", str(tmp_path / "q")],
    ):
        code, _, err = run_cli(*args)
        assert code == 2 and len(err.strip().splitlines()) == 1, (args, err)


def test_stylize_never_overwrites_its_inputs(tmp_path):
    from tests.conftest import run_cli

    d = tmp_path / "photos"
    d.mkdir()
    Image.fromarray(np.full((8, 8, 3), 90, np.uint8)).save(d / "p.png")
    before = (d / "p.png").read_bytes()
    code, _, err = run_cli("stylize", "vintage_guided", str(d), "--out", str(d))  # refused before the model loads
    assert code == 2 and "would overwrite the input 'p.png'" in err and (d / "p.png").read_bytes() == before
