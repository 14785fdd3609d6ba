"""``edgegan import dualgan``: duxingren14/DualGAN's TensorFlow checkpoints against a NumPy re-implementation of its
generator graph with TensorFlow's semantics (tests/reference/dualgan.py), on real photos, from both file formats
(the V2 checkpoint, read here without TensorFlow, and an .npz of its variables); and the files that must be
refused. The reference's graph functions were checked against TensorFlow 2.21's own ops (conv2d, conv2d_transpose,
moments; max |diff| < 2e-14 in float64) and its checkpoint writer against TensorFlow's reader when this test was
written; TensorFlow is not needed to run it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import run_cli
from parity import assert_parity, float32_bound, network_bound
from reference.dualgan import (
    conv2d_same,
    conv2d_transpose_same,
    dualnet_variables,
    fcn,
    random_generator,
    save_npz,
    write_tf_checkpoint,
)

from edgegan.checkpoint import read_model_config
from edgegan.data.samples import photo_paths
from edgegan.errors import EdgeganError
from edgegan.importers import import_checkpoint
from edgegan.importers.dualgan import read_tf_checkpoint
from edgegan.media import center_square, load_image, to_tensor
from edgegan.models import load_model
from edgegan.models.dualgan import SameConv2d, SameConvTranspose2d

PREFIX = {"A2B": "A_g_", "B2A": "B_g_"}


def photos(n: int, size: int = 256) -> np.ndarray:
    """NCHW float32 in [-1, 1]: centre squares of real sample photos."""
    paths = list(photo_paths().values())[:n]
    return np.concatenate([to_tensor(center_square(load_image(p), size)) for p in paths])


def reference_output(variables: dict, direction: str, x_nchw: np.ndarray) -> np.ndarray:
    return fcn(variables, PREFIX[direction], x_nchw.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


def assert_refused(args: list[str], out: Path, match: str) -> str:
    """The CLI refuses with one line and exit 2, and writes nothing."""
    code, _, err = run_cli("import", "dualgan", *args, "--out", str(out))
    assert code == 2 and match in err and len(err.strip().splitlines()) == 1, (code, err)
    assert not out.exists()
    return err


@pytest.mark.parity
@pytest.mark.parametrize(
    "layout,fmt,direction",
    [("2017", "dir", "A2B"), ("2020", "npz", "B2A")],
    ids=["2017-5x5-checkpoint-dir-A2B", "2020-3x3-npz-B2A"],
)
def test_published_width_matches_reference_on_photos(tmp_path, layout, fmt, direction):
    """At the published width (gcn 64: 85.0 M parameters in the 2017 code, 30.6 M in the 2020 code)."""
    t0 = time.perf_counter()
    v = dualnet_variables(np.random.default_rng(13), PREFIX[direction], 64, layout)
    if fmt == "npz":
        source = save_npz(tmp_path / "dualnet.npz", v)
    else:  # the directory as tf.train.Saver leaves it, its state file naming the training machine's path
        source = tmp_path / "facades-img_sz_256-fltr_dim_64-L1-lambda_AB_500.0_500.0"
        source.mkdir()
        write_tf_checkpoint(source / "DualNet.model-14002", v)
        (source / "checkpoint").write_text(
            'model_checkpoint_path: "/home/someone/DualGAN/checkpoint/facades/DualNet.model-14002"\n'
        )
    code, out, err = run_cli(
        "import", "dualgan", str(source), "--out", str(tmp_path / "ckpt"), "--direction", direction
    )
    assert code == 0, err
    args = read_model_config(tmp_path / "ckpt")["model"]["args"]
    want_k = {"2017": (5, None), "2020": (3, 5)}[layout]
    assert (args["kernel_size"], args["outer_kernel_size"], args["base_channels"], args["n_down"]) == (*want_k, 64, 8)
    model = load_model(tmp_path / "ckpt")
    assert sum(p.numel() for p in model.parameters()) == {"2017": 85_022_787, "2020": 30_627_907}[layout]
    x = photos(2)
    with torch.inference_mode():
        got = model(torch.from_numpy(x)).numpy()
    want = reference_output(v, direction, x)
    diff = assert_parity(got, want, network_bound(model))  # the reference computes in float64
    print(f"dualgan {layout} {fmt} {direction} gcn 64: max |diff| {diff:.2e} ({time.perf_counter() - t0:.1f} s)")
    assert want.std() > 0.2  # the random reference is not saturated: the comparison means something


@pytest.mark.parity
def test_onnx_export_matches_reference(tmp_path):
    """Both code releases' kernels (3x3 inner, 5x5 outer: the crop of odd kernels at both sizes) exported to
    ONNX and run by ONNX Runtime. At gcn 16 (a quarter of the published width) to keep the export quick."""
    import onnxruntime as ort

    from edgegan.export import export_onnx

    v = dualnet_variables(np.random.default_rng(3), "A_g_", 16, "2020")
    write_tf_checkpoint(tmp_path / "DualNet.model-5", v)
    # the .data file named instead of the .index: the same checkpoint
    ckpt = import_checkpoint("dualgan", tmp_path / "DualNet.model-5.data-00000-of-00001", tmp_path / "ckpt")
    export_onnx(ckpt, tmp_path / "dualgan.onnx")
    sess = ort.InferenceSession(str(tmp_path / "dualgan.onnx"), providers=["CPUExecutionProvider"])
    x = photos(3)[1:]
    got = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    diff = assert_parity(got, reference_output(v, "A2B", x), network_bound(load_model(ckpt)), "ONNX")
    print(f"dualgan ONNX gcn 16 vs reference: max |diff| {diff:.2e}")


@pytest.mark.parity
@pytest.mark.parametrize("k", [2, 3, 4, 5, 7])
def test_same_padding_layers_match_tensorflow_semantics(k):
    """TF "SAME" puts the odd padding pixel after the image; odd kernels leave one extra transposed-conv pixel
    to crop at the end. Checked per kernel size on even, non-square sizes, both directions."""
    rng = np.random.default_rng(k)
    x = rng.standard_normal((2, 12, 8, 3)).astype(np.float32)
    w, b = rng.standard_normal((k, k, 3, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    conv = SameConv2d(3, 4, k)
    conv.weight.data, conv.bias.data = torch.from_numpy(w.transpose(3, 2, 0, 1).copy()), torch.from_numpy(b)
    y = rng.standard_normal((2, 6, 4, 4)).astype(np.float32)
    wt, bt = rng.standard_normal((k, k, 3, 4)).astype(np.float32), rng.standard_normal(3).astype(np.float32)
    deconv = SameConvTranspose2d(4, 3, k)
    deconv.weight.data, deconv.bias.data = torch.from_numpy(wt.transpose(3, 2, 0, 1).copy()), torch.from_numpy(bt)
    with torch.inference_mode():
        got = conv(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy().transpose(0, 2, 3, 1)
        got_t = deconv(torch.from_numpy(y.transpose(0, 3, 1, 2))).numpy().transpose(0, 2, 3, 1)
    # one layer, both sides float32 (the reference's NumPy multiplies the float32 arrays it is given), at the scale
    # of its outputs (standard-normal inputs and weights)
    assert_parity(got, conv2d_same(x, w, b), float32_bound(1, 3 * k * k, scale=float(np.abs(got).max()), sides=2))
    assert got_t.shape == (2, 12, 8, 3)
    want_t = conv2d_transpose_same(y, wt, bt, (12, 8))
    assert_parity(got_t, want_t, float32_bound(1, 4 * k * k, scale=float(np.abs(want_t).max()), sides=2))
    # tf_same=False: PyTorch's symmetric padding (pix2pix's U-Net), same sizes
    with torch.inference_mode():
        assert SameConv2d(3, 4, k, tf_same=False)(torch.zeros(1, 3, 12, 8)).shape[2:] == (6, 4)
        assert SameConvTranspose2d(4, 3, k, tf_same=False)(torch.zeros(1, 4, 6, 4)).shape[2:] == (12, 8)
    # and the reference's transposed conv is the adjoint of its conv: <conv(x), y> == <x, conv_T(y)>
    x64, y64, w64 = x.astype(np.float64), y.astype(np.float64), wt.astype(np.float64)
    lhs = np.sum(conv2d_same(x64, w64, 0.0) * y64)
    assert lhs == pytest.approx(np.sum(x64 * conv2d_transpose_same(y64, w64, 0.0, (12, 8))), rel=1e-12)


# Written by TensorFlow 2.21 (tf.compat.v1.train.Saver, write_meta_graph=False) from: A_g_e1_conv/w =
# arange(12).reshape(2, 2, 1, 3) / 8 - 0.7 (float32), its RMSProp slot abs(w), A_g_bn_e2/center [0.5, -0.25],
# B_d_h0_conv/biases [1.5, 2.5] (float64), global_step 3 (int64).
TF_INDEX = (
    "00000608011a02080100100f415f675f626e5f65322f63656e7465720801120412020802280835120b1c4c04091d65315f636f6e762f"
    "7708011210120208021202080212020801120208032008283035f4b2c3c90d081d2f524d5350726f7008011210120208021202080212"
    "0208011202080320382830352951ece4001211425f645f68305f636f6e762f62696173657308021204120208022068281035c4699950"
    "000b0d676c6f62616c5f73746570080912002078280835b099490e00000000010000000071881d23000000000100000000c0f2a1b000"
    "01036800c5010000000001000000001cd7ca0fca0108d7010f00000000000000000000000000000000000000000000000000000000000"
    "0000000000057fb808b247547db"
)
TF_DATA = (
    "0000003f000080be333333bf333313bf6666e6be6666a6becccc4cbe989999bdd0cc4c3d3433333e9a99993e9a99d93ecdcc0c3fcdcc"
    "2c3f3333333f3333133f6666e63e6666a63ecccc4c3e9899993dd0cc4c3d3433333e9a99993e9a99d93ecdcc0c3fcdcc2c3f00000000"
    "0000f83f00000000000004400300000000000000"
)


def test_reads_bytes_tensorflow_wrote(tmp_path):
    (tmp_path / "DualNet.model-3.index").write_bytes(bytes.fromhex(TF_INDEX))
    (tmp_path / "DualNet.model-3.data-00000-of-00001").write_bytes(bytes.fromhex(TF_DATA))
    names, t = read_tf_checkpoint(tmp_path / "DualNet.model-3.index")
    w = np.arange(12, dtype=np.float32).reshape(2, 2, 1, 3) / 8 - 0.7
    assert names == ["A_g_bn_e2/center", "A_g_e1_conv/w", "A_g_e1_conv/w/RMSProp", "B_d_h0_conv/biases", "global_step"]
    assert t["A_g_e1_conv/w"].dtype == np.float32 and np.array_equal(t["A_g_e1_conv/w"], w)
    assert np.array_equal(t["A_g_e1_conv/w/RMSProp"], np.abs(w))
    assert np.array_equal(t["A_g_bn_e2/center"], np.array([0.5, -0.25], np.float32))
    assert t["B_d_h0_conv/biases"].dtype == np.float64 and list(t["B_d_h0_conv/biases"]) == [1.5, 2.5]
    assert t["global_step"].shape == () and t["global_step"] == 3
    # our fixture writer lays the same variables out byte for byte as TensorFlow did, checksums aside
    write_tf_checkpoint(tmp_path / "mine", {k: t[k] for k in names}, data_crc=True)
    assert (tmp_path / "mine.data-00000-of-00001").read_bytes() == bytes.fromhex(TF_DATA)
    assert read_tf_checkpoint(tmp_path / "mine.index")[0] == names


# ---- files that must be refused ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_dualnet(tmp_path_factory):
    """A small whole-DualNet checkpoint (gcn 4) in both formats."""
    d = tmp_path_factory.mktemp("tiny_dualnet")
    v = dualnet_variables(np.random.default_rng(0), "A_g_", 4, "2017")
    return v, write_tf_checkpoint(d / "DualNet.model-1", v), save_npz(d / "dualnet.npz", v)


def test_wrong_family_names_the_nearest(tmp_path):
    # a junyanz CycleGAN generator's keys, as .pth and as .npz
    keys = {"model.1.weight": np.zeros((4, 3, 7, 7), np.float32), "model.10.conv_block.1.weight": np.zeros(3)}
    torch.save({k: torch.from_numpy(np.asarray(a, np.float32)) for k, a in keys.items()}, tmp_path / "G.pth")
    err = assert_refused([str(tmp_path / "G.pth")], tmp_path / "o1", "not a DualGAN")
    assert "edgegan import cyclegan" in err
    save_npz(tmp_path / "G.npz", keys)
    assert "edgegan import cyclegan" in assert_refused([str(tmp_path / "G.npz")], tmp_path / "o2", "not a DualGAN")
    # pix2pix-tensorflow's scope names: no DualGAN scope, the scopes found are named
    v = {k.replace("A_g_", "g_"): a for k, a in random_generator("A_g_", np.random.default_rng(0), gcn=4).items()}
    err = assert_refused([str(save_npz(tmp_path / "p2p.npz", v))], tmp_path / "o3", "no variables under 'A_g_'")
    assert "found scopes: g_bn_d1" in err


def test_other_direction_only_says_which(tmp_path):
    v = random_generator("B_g_", np.random.default_rng(0), gcn=4)
    err = assert_refused([str(save_npz(tmp_path / "b.npz", v)), "--direction", "A2B"], tmp_path / "o", "B_g_")
    assert "--direction B2A" in err


def test_truncated_files(tiny_dualnet, tmp_path):
    _, index, npz = tiny_dualnet
    cut = tmp_path / "cut.npz"
    cut.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    assert_refused([str(cut)], tmp_path / "o1", "not a readable .npz")
    (tmp_path / "m.index").write_bytes(index.read_bytes()[:-20])
    assert_refused([str(tmp_path / "m.index")], tmp_path / "o2", "not a readable TensorFlow checkpoint index")
    data = Path(str(index).replace(".index", ".data-00000-of-00001"))
    (tmp_path / "m.index").write_bytes(index.read_bytes())
    assert_refused([str(tmp_path / "m.index")], tmp_path / "o3", "data file of")  # .data missing
    (tmp_path / "m.data-00000-of-00001").write_bytes(data.read_bytes()[:100])
    assert_refused([str(tmp_path / "m.index")], tmp_path / "o4", "is truncated")
    corrupt = bytearray(index.read_bytes())
    corrupt[10] ^= 0xFF
    (tmp_path / "m.index").write_bytes(bytes(corrupt))
    assert_refused([str(tmp_path / "m.index")], tmp_path / "o5", "checksum mismatch")


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_npz_with_objects_is_refused_without_running_them(tmp_path):
    marker = tmp_path / "pwned"
    v = random_generator("A_g_", np.random.default_rng(0), gcn=4)
    v["A_g_e1_conv/w"] = np.array([_RunsCode(marker)], dtype=object)
    np.savez(tmp_path / "evil.npz", **v)
    assert_refused([str(tmp_path / "evil.npz")], tmp_path / "o", "allow_pickle=False")
    assert not marker.exists()


def test_unknown_layouts(tiny_dualnet, tmp_path):
    v = dict(tiny_dualnet[0])
    # April 2017 code: tf.contrib batch norm (gamma/beta/moving statistics)
    contrib = {k.replace("/scale", "/gamma").replace("/center", "/beta"): a for k, a in v.items()}
    assert_refused([str(save_npz(tmp_path / "apr.npz", contrib))], tmp_path / "o1", "tf.contrib batch-norm")
    # a kernel size per layer that is neither release's
    odd = dict(v, **{"A_g_e3_conv/w": np.zeros((3, 3, 8, 16), np.float32)})
    assert_refused([str(save_npz(tmp_path / "k.npz", odd))], tmp_path / "o2", "e3_conv: 3x3")
    # a width that does not follow C, 2C, 4C, 8C, named by its TF name and shape
    wide = dict(v, **{"A_g_bn_e4/scale": np.zeros(7, np.float32)})
    assert_refused([str(save_npz(tmp_path / "w.npz", wide))], tmp_path / "o3", "A_g_bn_e4/scale has shape (7,)")
    # not a checkpoint at all
    (tmp_path / "g.h5").write_bytes(b"\x89HDF")
    assert_refused([str(tmp_path / "g.h5")], tmp_path / "o4", "takes a TensorFlow checkpoint")
    with pytest.raises(EdgeganError, match="choose one of: A2B, B2A"):
        import_checkpoint("dualgan", tiny_dualnet[1], tmp_path / "o5", direction="AtoB")


@pytest.mark.parity
def test_tiny_import_rebuilds_without_flags(tiny_dualnet, tmp_path):
    v, index, _ = tiny_dualnet
    out = import_checkpoint("dualgan", index, tmp_path / "ckpt")
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["model"]["name"] == "dualgan_tf" and cfg["io"]["size_multiple"] == 256
    x = photos(1)
    with torch.inference_mode():
        got = load_model(out)(torch.from_numpy(x)).numpy()
    assert_parity(got, reference_output(v, "A2B", x), network_bound(load_model(out)))
