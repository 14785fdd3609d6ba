"""``edgegan import stylegan2`` against test-only re-implementations of rosinality/stylegan2-pytorch's and
NVlabs/stylegan2-ada-pytorch's generators (tests/reference/stylegan2.py): random weights, biases, noise
strengths, stored noise and truncation centres, saved the way each repository saves them (torch.save'd
training checkpoints and converted releases; a persistence pickle whose embedded module source would create a
marker file), imported through the CLI, compared on fixed latents with the stored noise, at psi 1 and 0.7.

Reduced size for the numbers: 64x64 with 16-64 channels and the published mapping (z = w = 512, 8 layers);
the published 256x256 layouts are checked key by key and shape by shape on the meta device."""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import run_cli
from parity import assert_parity, float32_bound, network_bound
from PIL import Image
from reference import stylegan2 as ref

from edgegan.checkpoint import read_model_config
from edgegan.importers.safe_pickle import PersistentRecord
from edgegan.importers.stylegan2 import nvlabs_attrs, nvlabs_layout, rosinality_layout, variant_name
from edgegan.models import count_parameters, describe_state_dict_mismatch, load_model
from edgegan.registry import MODELS

CHANNELS = {4: 64, 8: 64, 16: 64, 32: 32, 64: 16}  # rosinality's table, narrowed
NV_SYNTH = dict(channel_base=1024, channel_max=64, num_fp16_res=2, conv_clamp=1.0)  # 64, 64, 64, 32, 16


def latents(n: int = 3, dim: int = 512) -> torch.Tensor:
    return torch.randn(n, dim, generator=torch.Generator().manual_seed(1))


def randomize_(net: torch.nn.Module, seed: int) -> None:
    """Everything that starts at a constant (biases, noise strengths, the mean w) gets random values; ToRGB
    weights are scaled down so the images stay near [-1, 1] as a trained generator's do. Filters stay. Mapping
    weights keep their stored scale of 1 / lr multiplier: at scale 1 the mapping's effective weights are 100x
    too small and w no longer depends on z at all, which would hide any error in how z is read or mapped."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for k, t in list(net.named_parameters()) + list(net.named_buffers()):
            r = torch.randn(t.shape, generator=gen)
            if k.endswith(("kernel", "resample_filter")):
                continue
            if k.endswith(("noise.weight", "noise_strength")):
                t.copy_(r * 0.5)
            elif k.endswith(("modulation.bias", "affine.bias")):
                t.copy_(1 + 0.2 * r)
            elif k.endswith("bias") and k.startswith(("style.", "mapping.")):
                t.copy_(10 * r)  # x lr multiplier 0.01
            elif k.endswith("weight") and k.startswith(("style.", "mapping.")):
                t.copy_(r / 0.01)  # stored N(0, 1) / lr multiplier as both repositories init them: w depends on z
            elif k.endswith("bias") or k.endswith("w_avg"):
                t.copy_(0.2 * r)
            else:
                t.copy_(r * (0.2 if "rgb" in k and k.endswith("weight") else 1.0))


def import_cli(path: Path, out: Path) -> tuple[int, str]:
    code, stdout, stderr = run_cli("import", "stylegan2", str(path), "--out", str(out))
    return code, stdout + stderr


def nv_generator(res=64, z=512, mapping_layers=8, c_dim=0, **synth) -> ref.Generator:
    kw = dict(mapping_kwargs=dict(num_layers=mapping_layers), synthesis_kwargs=synth or dict(NV_SYNTH))
    return ref.Generator(z, c_dim, z, res, 3, **kw).eval()


def marker_src(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('the pickled module source ran')\n"


@pytest.fixture(scope="module")
def rosinality(tmp_path_factory):
    torch.manual_seed(0)
    g = ref.RosinalityGenerator(64, 512, 8, channels=CHANNELS).eval()
    randomize_(g, 1)
    with torch.no_grad():
        latent_avg = g.mean_latent(4096, torch.Generator().manual_seed(5))[0]
    d = tmp_path_factory.mktemp("rosinality")
    ref.save_rosinality(d / "release.pt", g, training=False, latent_avg=latent_avg)
    obj = torch.load(d / "release.pt", weights_only=True)
    torch.save(obj, d / "release-legacy.pt", _use_new_zipfile_serialization=False)  # torch < 1.6 files
    ref.save_rosinality(d / "000010.pt", g, training=True)
    return g, latent_avg, d


@pytest.fixture(scope="module")
def nvlabs(tmp_path_factory):
    torch.manual_seed(0)
    G = nv_generator()
    randomize_(G, 2)
    d = tmp_path_factory.mktemp("nvlabs")
    marker = d / "MARKER"
    ref.save_snapshot(d / "network-snapshot-000100.pkl", G, marker_src(marker), 64)
    code, text = import_cli(d / "network-snapshot-000100.pkl", d / "ckpt")
    assert code == 0, text
    return G, d, marker


@pytest.mark.parity
def test_rosinality_release_matches_reference(rosinality, tmp_path):
    g, latent_avg, d = rosinality
    code, text = import_cli(d / "release.pt", tmp_path / "ckpt")
    assert code == 0, text
    args = read_model_config(tmp_path / "ckpt")["model"]["args"]
    assert args["upsample"] == "fir" and args["channel_base"] == 1024 and args["channel_max"] == 64
    ours, z = load_model(tmp_path / "ckpt").eval(), latents()
    assert torch.equal(ours.w_avg, latent_avg)
    code, text = import_cli(d / "release-legacy.pt", tmp_path / "legacy")
    assert code == 0, text
    legacy = load_model(tmp_path / "legacy")
    assert all(torch.equal(a, b) for a, b in zip(legacy.state_dict().values(), ours.state_dict().values(), strict=True))
    with torch.no_grad():
        for psi in (1.0, 0.7):
            want = g([z], truncation=psi, truncation_latent=latent_avg[None])
            got = ours(z, psi=psi, noise_mode="const")
            assert_parity(got, want, network_bound(ours, scale=float(want.abs().max()), sides=2), f"psi {psi}")
            assert want.abs().max() > 0.5  # a real picture, not a vanishing signal


@pytest.mark.parity
def test_rosinality_training_checkpoint(rosinality, tmp_path):
    """{g, d, g_ema, g_optim, d_optim, args: Namespace, ada_aug_p}: loads without weights_only=False; no
    latent_avg, so the truncation centre is the mean w of 4096 latents (generate.py's way), seed 0."""
    g, _, d = rosinality
    code, text = import_cli(d / "000010.pt", tmp_path / "ckpt")
    assert code == 0, text
    ours, z = load_model(tmp_path / "ckpt").eval(), latents()
    with torch.no_grad():
        want = g([z])
        assert_parity(ours(z, noise_mode="const"), want, network_bound(ours, scale=float(want.abs().max()), sides=2))
        mean = g.mean_latent(4096, torch.Generator().manual_seed(0))[0]
    # the mapping network, then a mean of 4096 of its outputs, each side in float32
    layers = read_model_config(tmp_path / "ckpt")["model"]["args"].get("mapping_layers", 8)
    bound = float32_bound(layers + 1, max(4096, ours.z_dim), scale=float(mean.abs().max()), sides=2)
    assert_parity(ours.w_avg, mean, bound, "mean w")
    assert "mean w of 4096" in (tmp_path / "ckpt" / "lineage.json").read_text()


@pytest.mark.parity
def test_nvlabs_snapshot_matches_reference_without_running_its_code(nvlabs):
    G, d, marker = nvlabs
    assert not marker.exists()  # the import read the pickle without executing module_src
    args = read_model_config(d / "ckpt")["model"]["args"]
    assert args["conv_clamp"] == 1.0 and args["upsample"] == "fir" and args["mapping_layers"] == 8
    ours, z = load_model(d / "ckpt").eval(), latents()
    assert torch.equal(ours.w_avg, G.mapping.w_avg)
    unclamped = nv_generator(**dict(NV_SYNTH, conv_clamp=None))
    unclamped.load_state_dict(G.state_dict())
    with torch.no_grad():
        for psi in (1.0, 0.7):
            want = G(z, truncation_psi=psi)
            got = ours(z, psi=psi, noise_mode="const")
            assert_parity(got, want, network_bound(ours, scale=float(want.abs().max()), sides=2), f"psi {psi}")
        assert (unclamped(z) - G(z)).abs().max() > 0.1  # the clamp is doing something here
    # What a plain pickle.load would have done: run the embedded source (and rebuild the same generator).
    naive = ref.load_snapshot_unsafely(d / "network-snapshot-000100.pkl")
    assert marker.exists()
    with torch.no_grad():
        assert torch.equal(naive["G_ema"](z), G(z))


@pytest.mark.parity
def test_nvlabs_onnx_export_matches_reference(nvlabs, tmp_path):
    import onnxruntime as ort

    from edgegan.export import export_onnx

    G, d, _ = nvlabs
    export_onnx(d / "ckpt", tmp_path / "sg2.onnx")  # truncation psi 0.7 baked in
    sess = ort.InferenceSession(str(tmp_path / "sg2.onnx"), providers=["CPUExecutionProvider"])
    z = latents(2)
    with torch.no_grad():
        want = G(z, truncation_psi=0.7).numpy()
    bound = network_bound(load_model(d / "ckpt"), scale=float(np.abs(want).max()), sides=2)
    assert_parity(sess.run(None, {"latent": z.numpy()})[0], want, bound, "ONNX")


def nvlabs_script_image(G: ref.Generator, seed: int, psi: float) -> torch.Tensor:
    """What NVlabs' generate.py (stylegan2-ada-pytorch) / gen_images.py (stylegan3) compute for one seed with
    --noise-mode const, as float (3, R, R): the latent is the seed's legacy RandomState drawn in float64, which
    their mapping network casts to float32 first (done here, since the stand-in's mapping does not cast)."""
    z = torch.from_numpy(np.random.RandomState(seed).randn(1, G.z_dim))
    return G(z.to(torch.float32), truncation_psi=psi)[0]


def nvlabs_uint8(img: torch.Tensor) -> np.ndarray:
    """Their conversion to the saved PNG: x * 127.5 + 128, clamped to [0, 255], truncated to uint8 (HxWx3)."""
    return (img.permute(1, 2, 0) * 127.5 + 128).clamp(0, 255).to(torch.uint8).numpy()


def png(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0**2 / mse)


def assert_same_uint8(got: np.ndarray, want: torch.Tensor, bound: float, what: str) -> int:
    """``got`` (a PNG edgegan wrote) is ``want`` (the reference's float image) saved as NVlabs saves it, up to
    float32 rounding: no pixel is off by more than 1, and a pixel off by 1 must have a reference value within
    ``bound`` (tests/parity.py's two-sided float32 bound of the network) of a rounding boundary, where the two
    computations may honestly round to neighbouring levels. Returns the number of such pixels."""
    ref_u8 = nvlabs_uint8(want)
    diff = np.abs(got.astype(int) - ref_u8.astype(int))
    assert diff.max() <= 1, f"{what}: {int(diff.max())} levels apart, PSNR {psnr(got, ref_u8):.1f} dB"
    level = want.permute(1, 2, 0).double().numpy() * 127.5 + 127.5  # both map [-1, 1] onto [0, 255]
    to_boundary = np.abs(level - np.floor(level) - 0.5)  # 0 at a half level, where rounding can go either way
    off = diff > 0
    assert (to_boundary[off] <= 127.5 * bound + 1e-9).all(), f"{what}: a pixel off by 1 far from a half level"
    return int(off.sum())


@pytest.mark.parity
def test_generate_gives_nvlabs_script_images(nvlabs, tmp_path):
    """``edgegan generate --seeds 0-3 --trunc 0.7`` on an imported NVlabs snapshot writes, per seed, the PNG that
    NVlabs' own script writes (latent from np.random.RandomState(seed), stored noise, truncation of every w).
    The reference latents are drawn here, not by edgegan. Measured: the NVlabs rule gives the reference's PNGs
    bit for bit (at most 1 level is allowed, and only within the float32 bound of a half level); edgegan's
    former rule (default_rng, still --seed-rule pcg64) gives other images, 38-52 levels off at worst (PSNR
    25-28 dB), and has to be at least 10 levels off here. --noise-mode none is checked against the same network
    with its noise strengths at zero (22-24 dB from the stored-noise images, so the check has teeth)."""
    G, d, _ = nvlabs
    ours = load_model(d / "ckpt").eval()
    seeds, psi = [0, 1, 2, 3], 0.7
    with torch.no_grad():
        want = {s: nvlabs_script_image(G, s, psi) for s in seeds}
        silent = nv_generator()  # noise_mode="none": the same network with every noise strength at zero
        silent.load_state_dict({k: v * 0 if k.endswith("noise_strength") else v for k, v in G.state_dict().items()})
        want_none = {s: nvlabs_script_image(silent, s, psi) for s in seeds}
        pcg64 = {s: torch.from_numpy(np.random.default_rng(s).standard_normal((1, G.z_dim))).float() for s in seeds}
        old = {s: G(z, truncation_psi=psi)[0] for s, z in pcg64.items()}
    bound = network_bound(ours, scale=max(float(w.abs().max()) for w in want.values()), sides=2)
    runs = {"default": [], "pcg64": ["--seed-rule", "pcg64"], "none": ["--noise-mode", "none", "--no-grid"]}
    for name, extra in runs.items():
        code, _, err = run_cli("generate", str(d / "ckpt"), "--seeds", "0-3", "--trunc", "0.7", *extra,
                               "--out", str(tmp_path / name))  # fmt: skip
        assert code == 0, err
    for s in seeds:
        got = png(tmp_path / "default" / f"seed{s:04d}.png")
        assert_same_uint8(got, want[s], bound, f"seed {s}")
        assert psnr(got, nvlabs_uint8(want[s])) > 50
        assert want[s].abs().max() > 0.5  # a picture, not a faint signal
        # The former rule: far from NVlabs' image, and itself what its description says.
        former = png(tmp_path / "pcg64" / f"seed{s:04d}.png")
        levels = int(np.abs(former.astype(int) - nvlabs_uint8(want[s]).astype(int)).max())
        assert levels >= 10, f"seed {s}: the former rule is only {levels} levels from NVlabs' image"
        assert_same_uint8(former, old[s], bound, f"seed {s}, pcg64")
        assert_same_uint8(png(tmp_path / "none" / f"seed{s:04d}.png"), want_none[s], bound, f"seed {s}, no noise")
        assert psnr(nvlabs_uint8(want_none[s]), nvlabs_uint8(want[s])) < 35  # the noise is visible here
    assert (tmp_path / "default" / "style_mixing.png").is_file()
    # Pseudo-pairs draw their A images by the same rule: pair k is seed k (default psi 0.7).
    code, _, err = run_cli("data", "pseudo-pairs", "--teacher", str(d / "ckpt"), "--count", "2",
                           "--out", str(tmp_path / "pairs"))  # fmt: skip
    assert code == 0, err
    for k in range(2):
        assert_same_uint8(png(tmp_path / "pairs" / "train" / "A" / f"{k:06d}.png"), want[k], bound, f"pair {k}")
    assert json.loads((tmp_path / "pairs" / "pairs.json").read_text())["seed_rule"] == "nvlabs"


def test_generate_random_noise_is_seeded_per_image(nvlabs, tmp_path):
    """--noise-mode random draws each image's noise maps from its own seed: a rerun, or the seed alone, gives
    the same PNG; the image differs from the stored-noise one."""
    _, d, _ = nvlabs
    for name, seeds in (("a", "0-1"), ("b", "1")):
        code, _, err = run_cli("generate", str(d / "ckpt"), "--seeds", seeds, "--noise-mode", "random",
                               "--no-grid", "--out", str(tmp_path / name))  # fmt: skip
        assert code == 0, err
    code, _, err = run_cli("generate", str(d / "ckpt"), "--seeds", "1", "--no-grid", "--out", str(tmp_path / "c"))
    assert code == 0, err
    assert (tmp_path / "a" / "seed0001.png").read_bytes() == (tmp_path / "b" / "seed0001.png").read_bytes()
    assert psnr(png(tmp_path / "b" / "seed0001.png"), png(tmp_path / "c" / "seed0001.png")) < 40


def _record(m: torch.nn.Module) -> PersistentRecord:
    """What the restricted unpickler makes of a pickled module: its class name and attributes."""
    state = dict(m.__dict__)
    state["_modules"] = {k: _record(v) for k, v in m._modules.items()}
    return PersistentRecord(type(m).__name__, state)


PUBLISHED_256 = {  # layout -> (parameters, variant)
    "nvlabs --cfg=paper256": (24_767_458, "stylegan2_256"),
    "nvlabs --cfg=stylegan2": (30_034_338, "stylegan2_256_f"),
    "nvlabs --cfg=auto": (23_191_522, "stylegan2_256"),
    "rosinality channel_multiplier=2": (30_034_338, "stylegan2_256_f"),
    "rosinality channel_multiplier=1": (24_767_458, "stylegan2_256"),
    "rosinality channel_multiplier=4": (None, "stylegan2_256"),
}


@pytest.mark.parametrize("layout", list(PUBLISHED_256))
def test_published_256_layouts_map_completely(layout):
    with torch.device("meta"):
        if layout.startswith("nvlabs"):
            cfg = layout.split("=")[1]
            base, layers = {"paper256": (16384, 8), "stylegan2": (32768, 8), "auto": (16384, 2)}[cfg]
            net = nv_generator(256, 512, layers, channel_base=base, channel_max=512, num_fp16_res=4, conv_clamp=256)
            args, renamed = nvlabs_layout(net.state_dict(), nvlabs_attrs(_record(net), "G"), "G")
            assert args["conv_clamp"] == 256.0
        else:
            net = ref.RosinalityGenerator(256, 512, 8, channel_multiplier=int(layout[-1]))
            args, renamed = rosinality_layout(net.state_dict(), "g_ema")
            renamed["w_avg"] = torch.zeros(512)
        name = variant_name(args)
        ours = MODELS.build(name, args)
    params, variant = PUBLISHED_256[layout]
    assert describe_state_dict_mismatch(ours, renamed) is None
    assert count_parameters(ours) == sum(p.numel() for p in net.parameters())
    assert name == variant and (params is None or count_parameters(ours) == params), (name, count_parameters(ours))
    if params is None:  # 1024, 512, 256 from 64x64 on: not min(base / res, max), given explicitly
        assert args["channels"] == [512, 512, 512, 512, 1024, 512, 256]


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",)


def _bad_files(tmp: Path, rosinality_dir: Path, marker: Path) -> dict[str, tuple[Path, str]]:
    """case -> (file, text the one-line error must contain)."""
    files = {}

    def nv(name: str, net: torch.nn.Module, edit=None) -> Path:
        if edit:
            edit(net)
        ref.save_snapshot(tmp / name, net, marker_src(marker), net.img_resolution)
        return tmp / name

    small = dict(channel_base=256, channel_max=32, conv_clamp=256)
    files["wrong family"] = tmp / "latest_net_G.pth"
    torch.save({"model.1.weight": torch.zeros(8, 3, 7, 7), "model.10.conv_block.1.weight": torch.zeros(8, 8, 3, 3)},
               files["wrong family"])  # fmt: skip
    data = (rosinality_dir / "release.pt").read_bytes()
    (tmp / "cut.pt").write_bytes(data[: len(data) // 2])
    data = nv("whole.pkl", nv_generator(16, 32, 2, **small)).read_bytes()
    (tmp / "cut.pkl").write_bytes(data[: len(data) // 2])
    (tmp / "evil.pkl").write_bytes(pickle.dumps({"G_ema": _RunsCode(marker)}))
    torch.save({"g_ema": _RunsCode(marker)}, tmp / "evil.pt")
    state = torch.load(rosinality_dir / "release.pt", weights_only=True)
    del state["g_ema"]["convs.0.conv.weight"]
    torch.save(state, tmp / "no_conv.pt")

    def resnet(g):
        for r in g.synthesis.block_resolutions:
            getattr(g.synthesis, f"b{r}").architecture = "resnet"

    def other_filter(g):
        g.synthesis.b8.conv0.resample_filter = ref.fir_kernel((1, 2, 1))

    return {
        "wrong family": (files["wrong family"], "edgegan import cyclegan"),
        "truncated .pt": (tmp / "cut.pt", "not a loadable PyTorch state dict"),
        "truncated .pkl": (tmp / "cut.pkl", "truncated or corrupt"),
        "pickle running code": (tmp / "evil.pkl", "refused to unpickle builtins.exec"),
        "torch.save running code": (tmp / "evil.pt", "not a loadable PyTorch state dict"),
        "rosinality without convs.0": (tmp / "no_conv.pt", "to_rgbs.0 without convs.0"),
        "resnet synthesis": (nv("resnet.pkl", nv_generator(16, 32, 2, **small), resnet), "architecture ['resnet']"),
        "conditional": (nv("cond.pkl", nv_generator(16, 32, 2, c_dim=5, **small)), "conditional generator"),
        "other filter": (nv("filt.pkl", nv_generator(16, 32, 2, **small), other_filter), "not the [1, 3, 3, 1]"),
    }


def test_bad_files_fail_in_one_line_and_write_nothing(rosinality, tmp_path):
    marker = tmp_path / "MARKER"
    for case, (path, expect) in _bad_files(tmp_path, rosinality[2], marker).items():
        out = tmp_path / f"out-{case.replace(' ', '-')}"
        code, text = import_cli(path, out)
        assert code == 2 and expect in text, (case, text)
        assert len(text.strip().splitlines()) == 1, (case, text)
        assert not out.exists(), case
    assert not marker.exists()
