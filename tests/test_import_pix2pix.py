"""edgegan import pix2pix: junyanz/pytorch-CycleGAN-and-pix2pix generators (U-Net 128/256, ResNet) against a
test-only re-implementation of the reference (tests/reference/junyanz.py), on real photos, in PyTorch and ONNX,
with both BatchNorm semantics; and the files it must refuse."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from conftest import run_cli
from parity import assert_parity, network_bound
from reference.junyanz import define_G
from torch import nn

from edgegan.checkpoint import read_model_config
from edgegan.data.samples import photo_paths
from edgegan.errors import EdgeganError
from edgegan.importers import import_checkpoint
from edgegan.media import center_square, load_image, to_tensor
from edgegan.models import count_parameters, load_model

PHOTOS = ("astronaut", "coffee")


def photos(size: int, names: tuple[str, ...] = PHOTOS) -> list[torch.Tensor]:
    paths = photo_paths()
    return [torch.from_numpy(to_tensor(center_square(load_image(paths[n]), size))) for n in names]


def randomized(net: nn.Module, seed: int) -> nn.Module:
    """Random weights (the reference's N(0, 0.02) for convolutions) and random BatchNorm scales, shifts and
    running statistics, far from any image's own statistics: running and per-image BatchNorm give clearly
    different outputs, so a mix-up shows."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                m.weight.normal_(0, 0.02, generator=g)
                if m.bias is not None:
                    m.bias.normal_(0, 0.05, generator=g)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.normal_(1, 0.2, generator=g)
                m.bias.normal_(0, 0.2, generator=g)
                m.running_mean.normal_(0, 0.5, generator=g)
                m.running_var.uniform_(0.3, 3.0, generator=g)
                m.num_batches_tracked.fill_(int(torch.randint(1, 10**5, (1,), generator=g)))
    return net.eval()


def reference_outputs(ref: nn.Module, xs: list[torch.Tensor], bn: str) -> list[np.ndarray]:
    """The reference's own forward, dropout off. ``eval``: ``.eval()`` (test.py --eval). ``instance``: BatchNorm
    in training mode at batch size 1, as test.py runs it by default, on a copy (the saved running statistics are
    not touched), in float64: PyTorch's float32 training-mode BatchNorm on the CPU is itself up to ~1.4e-4 off its
    exact value on these activations, which would hide what is being measured."""
    net = copy.deepcopy(ref)
    if bn == "eval":
        with torch.no_grad():
            return list(net(torch.cat(xs)).numpy())
    net.double().train()
    for m in net.modules():
        if isinstance(m, nn.Dropout):
            m.eval()
    with torch.no_grad():
        return [net(x.double())[0].numpy() for x in xs]


def imported_outputs(model: nn.Module, xs: list[torch.Tensor]) -> list[np.ndarray]:
    """The imported model as edgegan runs it: float32, the photos in one batch (BatchNorm stays per image)."""
    with torch.no_grad():
        return list(model(torch.cat(xs)).numpy())


def max_diff(a: list, b: list) -> float:
    return max(float(np.abs(np.asarray(x, np.float64) - y).max()) for x, y in zip(a, b, strict=True))


def save_like_reference(ref: nn.Module, tmp_path, prefix: str = ""):
    """``save_networks``: the generator's plain state dict (``module.`` keys when saved through DataParallel)."""
    path = tmp_path / "latest_net_G.pth"
    torch.save({prefix + k: v for k, v in ref.state_dict().items()}, path)
    return path


def check_both_bn(tmp_path, ref, weights, size, onnx_bn=None, names=PHOTOS) -> dict:
    """Import with each --bn, compare with the reference on real photos (and ONNX for ``onnx_bn``)."""
    xs, got, ckpts = photos(size, names), {}, {}
    for bn in ("instance", "eval"):
        ckpts[bn] = import_checkpoint("pix2pix", str(weights), tmp_path / f"ckpt_{bn}", bn=bn)
        want = reference_outputs(ref, xs, bn)
        got[bn] = imported_outputs(load_model(ckpts[bn]), xs)  # rebuilt from config.json alone
        sides = 1 if bn == "instance" else 2  # the reference runs in float64 for instance, float32 for eval
        assert_parity(got[bn], want, network_bound(ref, sides=sides), f"--bn {bn}")
        if bn == onnx_bn:
            from edgegan.export import export_onnx
            from edgegan.runtime import load_backend

            export_onnx(ckpts[bn], tmp_path / f"{bn}.onnx")
            backend = load_backend(tmp_path / f"{bn}.onnx")
            assert_parity([backend.run(x.numpy())[0] for x in xs], want, network_bound(ref, sides=sides), "ONNX")
    assert max_diff(got["eval"], got["instance"]) > 0.05  # the two semantics differ: the test tells them apart
    return ckpts


@pytest.mark.parity
@pytest.mark.parametrize(
    "netG,size,onnx_bn", [pytest.param("unet_256", 256, "instance", marks=pytest.mark.slow), ("unet_128", 128, "eval")]
)
def test_unet_matches_reference(tmp_path, netG, size, onnx_bn):
    ref = randomized(define_G(3, 3, 64, netG, norm="batch", use_dropout=True), seed=size)
    ckpts = check_both_bn(tmp_path, ref, save_like_reference(ref, tmp_path), size, onnx_bn)
    for bn, ckpt in ckpts.items():
        spec = read_model_config(ckpt)["model"]
        assert spec["name"] == {"unet_256": "pix2pix_unet256", "unet_128": "pix2pix_unet128"}[netG]
        assert (spec["args"]["bn"], spec["args"]["norm"], spec["args"]["base_channels"]) == (bn, "batch", 64)
        assert count_parameters(load_model(ckpt)) == count_parameters(ref)  # 54,413,955 / 41,828,995


@pytest.mark.parity
def test_resnet_with_batch_norm_and_dropout(tmp_path):
    ref = randomized(define_G(3, 3, 64, "resnet_6blocks", norm="batch", use_dropout=True), seed=6)
    weights = save_like_reference(ref, tmp_path, prefix="module.")  # saved through DataParallel
    for bn, ckpt in check_both_bn(tmp_path, ref, weights, 256, names=PHOTOS[:1]).items():
        args = read_model_config(ckpt)["model"]["args"]
        assert (args["n_blocks"], args["base_channels"], args["dropout"]) == (6, 64, 0.5)
        assert args["norm"] == {"instance": "instance_affine", "eval": "batch"}[bn]


@pytest.mark.parity
def test_unet_instance_norm_with_stale_statistics(tmp_path):
    """--norm instance (no affine parameters): --bn does not apply; the running statistics that files from old
    PyTorch versions carry for instance norm are unused by the reference and dropped. (A narrow width: the
    published widths are covered above.)"""
    ref = randomized(define_G(3, 3, 16, "unet_128", norm="instance", use_dropout=True), seed=1)
    state = ref.state_dict()
    for key in [k for k in state if k.endswith(".model.1.weight")]:  # every block's down conv
        block = key.removesuffix(".model.1.weight")
        if f"{block}.model.5.weight" in state:  # a middle level: down norm at 2, up norm at 6
            norms = {2: state[key].shape[0], 6: state[f"{block}.model.5.weight"].shape[1]}
        else:  # the innermost: up norm at 4
            norms = {4: state[f"{block}.model.3.weight"].shape[1]}
        for i, c in norms.items():  # as PyTorch 0.4 saved them
            state[f"{block}.model.{i}.running_mean"] = torch.zeros(c)
            state[f"{block}.model.{i}.running_var"] = torch.ones(c)
    torch.save(state, tmp_path / "latest_net_G.pth")
    out = import_checkpoint("pix2pix", str(tmp_path / "latest_net_G.pth"), tmp_path / "ckpt")
    args = read_model_config(out)["model"]["args"]
    assert args["norm"] == "instance" and "bn" not in args
    xs = photos(128)  # the reference's instance norm computes per-image statistics in eval mode too
    want = reference_outputs(ref, xs, "eval")
    assert_parity(imported_outputs(load_model(out), xs), want, network_bound(ref, sides=2))


@pytest.fixture()
def small_unet_file(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "latest_net_G.pth"
    torch.save(define_G(3, 3, 8, "unet_128", norm="batch").state_dict(), path)
    return path


def test_cli_default_is_per_image_and_rebuilds_without_flags(small_unet_file, tmp_path):
    code, out, err = run_cli("import", "pix2pix", str(small_unet_file), "--out", str(tmp_path / "a"))
    assert code == 0, err
    assert read_model_config(tmp_path / "a")["model"]["args"]["bn"] == "instance"
    code, _, err = run_cli("import", "pix2pix", str(small_unet_file), "--out", str(tmp_path / "b"), "--bn", "eval")
    assert code == 0, err
    assert read_model_config(tmp_path / "b")["model"]["args"]["bn"] == "eval"
    code, _, err = run_cli("import", "pix2pix", str(small_unet_file), "--out", str(tmp_path / "c"), "--bn", "train")
    assert code == 2 and "choose one of: eval, instance" in err and not (tmp_path / "c").exists()


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _refused(tmp_path, path, *patterns, family="pix2pix"):
    code, _, err = run_cli("import", family, str(path), "--out", str(tmp_path / "out"))
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    for p in patterns:
        assert p in err, err
    assert not (tmp_path / "out").exists()


def test_wrong_family_truncated_pickle_and_unknown_layout(small_unet_file, tmp_path):
    # a pix2pix U-Net given to the CycleGAN importer: the error names pix2pix
    _refused(tmp_path, small_unet_file, "not a CycleGAN ResNet generator", "edgegan import pix2pix", family="cyclegan")
    # the discriminator saved next to it (latest_net_D.pth), given by mistake
    disc = nn.Sequential(nn.Conv2d(6, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 16, 4, 2, 1), nn.BatchNorm2d(16))
    torch.save(nn.ModuleDict({"model": disc}).state_dict(), tmp_path / "latest_net_D.pth")
    _refused(tmp_path, tmp_path / "latest_net_D.pth", "not a pix2pix", "neither a U-Net")
    # truncated download
    data = small_unet_file.read_bytes()
    (tmp_path / "cut.pth").write_bytes(data[: len(data) // 2])
    _refused(tmp_path, tmp_path / "cut.pth", "not a loadable PyTorch state dict")
    # a pickle that would create a file when loaded
    marker = tmp_path / "ran"
    torch.save({"model.model.0.weight": _RunsCode(marker)}, tmp_path / "evil.pth")
    _refused(tmp_path, tmp_path / "evil.pth", "not a loadable PyTorch state dict")
    assert not marker.exists()
    # unknown layouts: a key at no index of a U-Net block; norm none; a block nested at the wrong index
    state = torch.load(small_unet_file, weights_only=True)
    torch.save(dict(state, **{"model.model.1.model.9.weight": torch.zeros(1)}), tmp_path / "extra.pth")
    _refused(tmp_path, tmp_path / "extra.pth", "keys that do not fit a U-Net generator", "model.model.1.model.9")
    norm_at = tuple(f"{i}.{p}" for i in (2, 4, 6) for p in ("weight", "bias"))  # no other layer there has tensors
    no_norm = {k: v for k, v in state.items() if not k.endswith(norm_at)}
    torch.save({k: v for k, v in no_norm.items() if "running" not in k and "tracked" not in k}, tmp_path / "n.pth")
    _refused(tmp_path, tmp_path / "n.pth", "--norm none")
    torch.save({k.replace("model.model.1.", "model.model.2.", 1): v for k, v in state.items()}, tmp_path / "x.pth")
    _refused(tmp_path, tmp_path / "x.pth", "keys that do not fit a U-Net generator")
    with pytest.raises(EdgeganError, match="wrong shape"):
        wide = dict(state, **{"model.model.1.model.1.weight": torch.zeros(99, 8, 4, 4)})
        torch.save(wide, tmp_path / "w.pth")
        import_checkpoint("pix2pix", str(tmp_path / "w.pth"), tmp_path / "out")
    assert not (tmp_path / "out").exists()
