"""The user's commands, including what a new user gets wrong."""

import numpy as np
import torch
from conftest import run_cli
from PIL import Image

from edgegan.io import read_json, write_json
from edgegan.models import load_model


def photo(path, w, h, mode="RGB"):
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 255, (h, w, 4 if mode == "RGBA" else 3), dtype=np.uint8)
    Image.fromarray(arr if mode != "L" else arr[..., 0], None if mode != "L" else "L").save(path)
    return path


def test_any_size_and_mode_round_trips(tiny_ckpt, tmp_path):
    inputs = [
        photo(tmp_path / "odd.png", 37, 23),
        photo(tmp_path / "gray.png", 30, 30, "L"),
        photo(tmp_path / "rgba.png", 18, 41, "RGBA"),
    ]
    code, out, err = run_cli("stylize", str(tiny_ckpt), *map(str, inputs), "--out", str(tmp_path / "o"))
    assert code == 0, err
    for p in inputs:
        res = Image.open(tmp_path / "o" / f"{p.stem}.png")
        assert res.size == Image.open(p).size and res.mode == "RGB"
    # The padded-and-cropped result equals the network on the valid region when the size is already a multiple.
    photo(tmp_path / "m.png", 32, 24)
    run_cli("stylize", str(tiny_ckpt), str(tmp_path / "m.png"), "--out", str(tmp_path / "o"))
    x = torch.from_numpy(np.asarray(Image.open(tmp_path / "m.png"), np.float32).transpose(2, 0, 1)[None] / 127.5 - 1)
    with torch.inference_mode():
        want = ((load_model(tiny_ckpt)(x)[0].permute(1, 2, 0).numpy() + 1) * 127.5).round().clip(0, 255)
    assert np.abs(np.asarray(Image.open(tmp_path / "o" / "m.png"), np.float32) - want).max() <= 1


def test_size_option_and_onnx_model(tiny_ckpt, tmp_path):
    photo(tmp_path / "big.png", 200, 100)
    assert run_cli("export", str(tiny_ckpt), "--format", "onnx", "--out", str(tmp_path / "g.onnx"))[0] == 0
    code, _, err = run_cli(
        "stylize", str(tmp_path / "g.onnx"), str(tmp_path / "big.png"), "--size", "64", "--out", str(tmp_path / "o")
    )
    assert code == 0, err
    assert Image.open(tmp_path / "o" / "big.png").size == (64, 32)


def one_line_error(code, err, *needles):
    assert code == 2
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], lines[0]


def test_user_mistakes_get_one_line(tiny_ckpt, tmp_path):
    img = photo(tmp_path / "ok.png", 16, 16)
    out = tmp_path / "out"
    one_line_error(
        *run_cli("stylize", str(tiny_ckpt), str(tmp_path / "missing.jpg"), "--out", str(out))[::2],
        "input not found",
        "missing.jpg",
    )
    (tmp_path / "notes.jpg").write_text("hello")
    one_line_error(
        *run_cli("stylize", str(tiny_ckpt), str(img), str(tmp_path / "notes.jpg"), "--out", str(out))[::2],
        "not an image",
        "notes.jpg",
    )
    assert not out.exists() or not any(out.iterdir())  # checked before anything was written
    torch.save({"model.1.weight": torch.zeros(1)}, tmp_path / "latest_net_G.pth")
    one_line_error(
        *run_cli("stylize", str(tmp_path / "latest_net_G.pth"), str(img), "--out", str(out))[::2],
        "latest_net_G.pth",
        "edgegan import",
    )
    (tmp_path / "afile").write_text("x")
    one_line_error(
        *run_cli("stylize", str(tiny_ckpt), str(img), "--out", str(tmp_path / "afile" / "sub"))[::2],
        "cannot write to output directory",
    )
    cfg = read_json(tiny_ckpt / "config.json")
    cfg["model"]["name"] = "cyclegan_resnet9"
    write_json(tiny_ckpt / "config.json", cfg)
    one_line_error(
        *run_cli("stylize", str(tiny_ckpt), str(img), "--out", str(out))[::2],
        "do not fit architecture",
        "cyclegan_resnet9",
    )
    one_line_error(
        *run_cli("export", str(tiny_ckpt), "--format", "tflite", "--out", str(tmp_path / "g.x"))[::2],
        "unknown export format 'tflite'",
    )
    one_line_error(*run_cli("stylize", str(tiny_ckpt), str(img), "--size", "-3", "--out", str(out))[::2], "--size")
    one_line_error(*run_cli("import", "pix3pix", "--out", str(out))[::2], "invalid choice: 'pix3pix'")


def test_unknown_config_key_on_the_command_line(tmp_path):
    code, _, err = run_cli(
        "train", "train/configs/smoke/cyclegan_cartoon.yaml", "train.lrr=0.1", "--out", str(tmp_path / "run")
    )
    one_line_error(code, err, "unknown config key 'train.lrr'")
    assert not (tmp_path / "run").exists()
    code, _, err = run_cli(
        "train", "train/configs/smoke/cyclegan_cartoon.yaml", "model.args.ngf=8", "--out", str(tmp_path / "run")
    )
    one_line_error(code, err, "'ngf'")


def test_bad_objective_arguments_fail_before_any_write(tmp_path):
    code, _, err = run_cli(
        "train",
        "train/configs/smoke/cyclegan_cartoon.yaml",
        "objective.args.lambda_cycl=5",
        "--out",
        str(tmp_path / "r"),
    )
    one_line_error(code, err, "unknown config key 'objective.args.lambda_cycl'")
    code, _, err = run_cli(
        "train",
        "train/configs/smoke/ugatit_cartoon.yaml",
        "objective.args.local_discriminator=nope",
        "--out",
        str(tmp_path / "r"),
    )
    one_line_error(code, err, "unknown discriminator 'nope'")
    assert not (tmp_path / "r").exists()


class _Recorder:
    """A backend that halves the image and records the shapes it was given (the runtime's Backend contract)."""

    name = "recorder"

    def __init__(self, size_multiple=1, fixed_size=None):
        self.size_multiple, self.fixed_size, self.shapes = size_multiple, fixed_size, []

    def run(self, x):
        self.shapes.append(x.shape)
        return x * 0.5


def test_the_stylizer_pads_batches_and_takes_fixed_sizes():
    from edgegan.runtime import Stylizer

    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, (37, 50, 3), dtype=np.uint8) for _ in range(5)] + [np.zeros((20, 30, 3), np.uint8)]
    one = _Recorder(size_multiple=8)
    single, _ = Stylizer(one).many(images)
    assert one.shapes[0] == (1, 3, 40, 56)  # padded up to the multiple
    batched = _Recorder(size_multiple=8)
    outs, times = Stylizer(batched).many(images, batch=4)
    assert [s[0] for s in batched.shapes] == [4, 1, 1]  # 4 + 1 of one shape, then the odd one alone
    assert all(np.array_equal(a, b) for a, b in zip(single, outs, strict=True)) and len(times) == 6
    assert single[0].shape == (37, 50, 3)  # cropped back
    expected = np.clip(np.rint(((images[0] / 127.5 - 1) * 0.5 + 1) * 127.5), 0, 255).astype(np.uint8)
    assert np.array_equal(single[0], expected)
    fixed = _Recorder(fixed_size=32)
    out = Stylizer(fixed, size=25)(images[0])  # long side to 25, then the network's own 32x32, then back
    assert fixed.shapes == [(1, 3, 32, 32)] and out.shape == (18, 25, 3)
