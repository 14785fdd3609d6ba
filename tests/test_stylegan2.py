"""StyleGAN2: published size, learning on the smoke set, style mixing, truncation, checkpoints, ONNX
export, projection, and the generate / pseudo-pairs commands. Run with OMP_NUM_THREADS=1; each test
stays well under a minute on one core."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import run_cli
from parity import assert_parity, network_bound, run_onnx

import edgegan.models  # noqa: F401
from edgegan.models import count_parameters, load_model, save_model
from edgegan.registry import DISCRIMINATORS, MODELS

SMOKE = "train/configs/smoke/stylegan2_photos.yaml"


def tiny(seed: int = 0):
    torch.manual_seed(seed)
    return MODELS.build("test_stylegan2").eval()


@pytest.fixture()
def tiny_sg2_ckpt(tmp_path):
    g = tiny()
    g.w_avg.normal_()  # a non-trivial truncation centre, as after training
    return save_model(tmp_path / "sg2", g, {"name": "test_stylegan2", "args": {}})


def test_published_variant_matches_reference():
    entry = MODELS.get("stylegan2_256")
    ref = entry.meta["reference"]["parameters"]
    g = MODELS.build("stylegan2_256")
    n = count_parameters(g)
    assert abs(n - ref) <= 0.01 * ref, (n, ref)
    assert n == 24_767_458  # exact: same layers as stylegan2-ada-pytorch --cfg=paper256
    assert g.num_ws == 14 and entry.meta["input"] == "latent" and entry.meta["family"] == "stylegan2"
    d = DISCRIMINATORS.build("test_stylegan2")
    assert d(torch.zeros(4, 3, 32, 32)).shape == (4, 1)


@pytest.fixture(scope="module")
def smoke_run(samples, tmp_path_factory):
    run = tmp_path_factory.mktemp("sg2smoke") / "run"
    code, _, err = run_cli(
        "train",
        SMOKE,
        f"data.root={samples / 'cartoon' / 'trainA'}",
        "train.steps=100",
        "train.log_every=50",
        "train.sample_every=100",
        "--out",
        str(run),
    )
    assert code == 0, err
    return run


@pytest.mark.slow
def test_smoke_training_learns(smoke_run):
    """Both sample-to-training-set distances fall by at least 25% from step 0 (EMA generator)."""
    rows = [json.loads(ln) for ln in (smoke_run / "stats.jsonl").read_text().splitlines()]
    first, last = rows[0], rows[-1]
    assert first["step"] == 0 and last["step"] == 100
    assert last["sample_stats_dist_to_train"] <= 0.75 * first["sample_stats_dist_to_train"], (first, last)
    assert last["sample_nn_l1_16px"] <= 0.75 * first["sample_nn_l1_16px"], (first, last)
    assert (smoke_run / "samples" / "step_0000100.png").is_file()


@pytest.mark.slow
@pytest.mark.parity
def test_smoke_checkpoint_reloads_and_exports(smoke_run, tmp_path):
    from edgegan.export import export_onnx

    g = load_model(smoke_run / "generator")
    assert g.w_avg.abs().sum() > 0  # the tracked mean w travelled with the EMA copy
    report = export_onnx(smoke_run / "generator", tmp_path / "g.onnx")
    assert report["check"]["shapes"] == [[1, 64], [3, 64]]
    z = np.random.default_rng(7).standard_normal((4, 64)).astype(np.float32)  # a batch the check never saw
    with torch.no_grad():
        want = g.export_module()(torch.from_numpy(z)).numpy()
    assert_parity(run_onnx(tmp_path / "g.onnx", z), want, network_bound(g, scale=float(np.abs(want).max()), sides=2))


def test_style_mixing_keeps_coarse_structure_changes_fine_detail():
    g = tiny()
    torch.manual_seed(1)
    with torch.no_grad():
        wa, wb = g.map(torch.randn(16, g.z_dim)), g.map(torch.randn(16, g.z_dim))
        feats = []

        def keep(module, inputs, output):
            feats.append(output[0])  # the block's features (output[1] is the running image)

        hook = g.synthesis.blocks[1].register_forward_hook(keep)
        a, b, m = g.synthesis(wa), g.synthesis(wb), g.synthesis(g.mix(wa, wb, 4))  # coarse = 4x4, 8x8
        hook.remove()
    # The 8x8 features (the layout) are those of A exactly; the image is not.
    assert torch.equal(feats[0], feats[2]) and not torch.equal(feats[0], feats[1])
    full = (m - a).abs().mean() / (b - a).abs().mean()
    low = lambda x: F.avg_pool2d(x, 8)  # noqa: E731  (4x4 of a 32x32 image)
    coarse = (low(m) - low(a)).abs().mean() / (low(b) - low(a)).abs().mean()
    assert full > 0.2, float(full)  # fine styles visibly change the picture ...
    assert coarse < full, (float(coarse), float(full))  # ... less at low frequency than overall


@pytest.mark.parity
def test_truncation_psi_zero_gives_w_avg_image():
    g = tiny()
    g.w_avg.normal_()
    with torch.no_grad():
        ref = g.synthesis(g.w_avg[None, None].expand(1, g.num_ws, -1))
        out = g(torch.randn(3, g.z_dim) * 5, psi=0.0)
    # float rounding only (batched conv vs batch of one)
    assert_parity(out, ref.expand_as(out), network_bound(g, scale=float(ref.abs().max()), sides=2))
    with torch.no_grad():
        assert not torch.allclose(g(torch.randn(2, g.z_dim), psi=1.0)[0], ref[0], atol=1e-3)


def test_w_avg_is_tracked_in_training_mode_only():
    g = tiny()
    g(torch.randn(4, g.z_dim))  # eval: unchanged
    assert g.w_avg.abs().sum() == 0
    g.train()(torch.randn(4, g.z_dim))
    assert g.w_avg.abs().sum() > 0


def test_checkpoint_reloads_from_its_directory_alone(tiny_sg2_ckpt):
    g = load_model(tiny_sg2_ckpt)
    src = tiny()
    src.w_avg.copy_(g.w_avg)
    z = torch.randn(2, g.z_dim)
    with torch.no_grad():
        assert torch.equal(g(z), src(z))  # same seed -> same weights and stored noise
        assert torch.equal(g(z, psi=0.5), load_model(tiny_sg2_ckpt)(z, psi=0.5))
    cfg = json.loads((tiny_sg2_ckpt / "config.json").read_text())
    assert cfg["io"]["input"] == "latent" and cfg["io"]["latent_dim"] == 64


@pytest.mark.parity
def test_onnx_export_matches_torch_at_two_batch_sizes(tiny_sg2_ckpt, tmp_path):
    import numpy as np
    import onnxruntime as ort

    from edgegan.export import export_onnx

    report = export_onnx(tiny_sg2_ckpt, tmp_path / "sg2.onnx")
    assert report["input"]["name"] == "latent"
    sess = ort.InferenceSession(str(tmp_path / "sg2.onnx"), providers=["CPUExecutionProvider"])
    wrapper = load_model(tiny_sg2_ckpt).export_module()
    for n in (2, 5):  # batch sizes beyond the export check's
        z = np.random.default_rng(n).standard_normal((n, 64)).astype(np.float32)
        with torch.no_grad():
            ref = wrapper(torch.from_numpy(z)).numpy()
        bound = network_bound(wrapper, scale=float(np.abs(ref).max()), sides=2)
        assert_parity(sess.run(None, {"latent": z})[0], ref, bound, f"batch {n}")


def test_projection_reconstruction_error_falls():
    from edgegan.pipelines.generate import project

    g = tiny()
    with torch.no_grad():
        target = g(torch.randn(1, g.z_dim))[0].clamp(-1, 1)
        w_mean = g.mapping(torch.randn(1000, g.z_dim, generator=torch.Generator().manual_seed(0))).mean(0, keepdim=True)
        err0 = F.mse_loss(g.synthesis(w_mean[:, None].expand(-1, g.num_ws, -1)), target[None]).item()
    w, noise = project(g, target, steps=150, return_noise=True)
    with torch.no_grad():
        err = F.mse_loss(g.synthesis(w[:, None].expand(-1, g.num_ws, -1), noise=noise), target[None]).item()
    assert w.shape == (1, g.w_dim)
    assert err <= 0.5 * err0, (err0, err)
    assert all(p.requires_grad for p in g.parameters())  # the model is left as it was


def test_generate_cli_writes_samples_and_grid(tiny_sg2_ckpt, tmp_path):
    out = tmp_path / "gen"
    code, stdout, err = run_cli("generate", str(tiny_sg2_ckpt), "--seeds", "0-2,7", "--psi", "0.7", "--out", str(out))
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["seed0000.png", "seed0001.png", "seed0002.png", "seed0007.png", "style_mixing.png"]
    # Same seed, same image.
    code, _, _ = run_cli("generate", str(tiny_sg2_ckpt), "--seeds", "7", "--psi", "0.7", "--out", str(tmp_path / "g2"))
    assert code == 0 and (tmp_path / "g2" / "seed0007.png").read_bytes() == (out / "seed0007.png").read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seeds", "3-1"], "bad seed range"),
        (["--seeds", "a,b"], "bad seed list"),
        (["--trunc", "5"], "--trunc must be between"),
        (["--psi", "5"], "--trunc must be between"),  # the former spelling, still accepted
        (["--seeds", "4294967296"], "seed 4294967296 is out of range"),  # NVlabs' RandomState takes 32 bits
        (["--noise-mode", "loud"], "invalid choice: 'loud'"),
        (["--seed-rule", "rosinality"], "invalid choice: 'rosinality'"),
    ],
)
def test_generate_cli_rejects_bad_input(tiny_sg2_ckpt, tmp_path, args, message):
    code, _, err = run_cli("generate", str(tiny_sg2_ckpt), *args, "--out", str(tmp_path / "x"))
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_generate_cli_rejects_an_image_model(tiny_ckpt, tmp_path):
    code, _, err = run_cli("generate", str(tiny_ckpt), "--out", str(tmp_path / "x"))
    assert code == 2 and "takes an image input" in err and err.count("\n") == 1, err


def test_pseudo_pairs_from_stylegan2(tiny_sg2_ckpt, tmp_path):
    from edgegan.data.folders import PairedFoldersDataset

    out = tmp_path / "pairs"
    code, _, err = run_cli("data", "pseudo-pairs", "--teacher", str(tiny_sg2_ckpt), "--out", str(out), "--count", "3")
    assert code == 0, err
    ds = PairedFoldersDataset(str(out))
    assert len(ds) == 3
    item = ds[0]
    assert item["A"].shape == item["B"].shape and not torch.equal(item["A"], item["B"])
    info = json.loads((out / "pairs.json").read_text())
    assert info["teacher_input"] == "latent" and info["crossover"] == 4


def test_pseudo_pairs_from_an_image_teacher(tiny_ckpt, samples, tmp_path):
    from edgegan.data.folders import PairedFoldersDataset

    out = tmp_path / "pairs"
    code, _, err = run_cli(
        "data",
        "pseudo-pairs",
        "--teacher",
        str(tiny_ckpt),
        "--inputs",
        str(samples / "photos"),
        "--count",
        "2",
        "--size",
        "64",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert sorted(p.name for p in (out / "train" / "A").iterdir()) == ["000000.png", "000001.png"]
    assert len(PairedFoldersDataset(str(out))) == 2


@pytest.mark.parametrize(
    "teacher, extra, message",
    [
        ("image", [], "give them with --inputs"),
        ("latent", ["--inputs", "PHOTOS"], "--inputs is for image-input teachers"),
        ("missing", [], "model not found"),
        ("latent", ["--style-seed", "-1"], "seed -1 is out of range"),
        ("latent", ["--psi", "5"], "--psi must be between"),
    ],
)
def test_pseudo_pairs_rejects_bad_input(tiny_ckpt, tiny_sg2_ckpt, samples, tmp_path, teacher, extra, message):
    path = {"image": tiny_ckpt, "latent": tiny_sg2_ckpt, "missing": tmp_path / "nope"}[teacher]
    extra = [str(samples / "photos") if e == "PHOTOS" else e for e in extra]
    code, _, err = run_cli("data", "pseudo-pairs", "--teacher", str(path), *extra, "--out", str(tmp_path / "o"))
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "o" / "train").exists()
