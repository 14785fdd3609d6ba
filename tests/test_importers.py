"""Published generators in: the real vintagify weights, and the junyanz key layout."""

import pytest
import torch
from parity import U64, assert_parity, network_bound
from torch import nn

from edgegan.checkpoint import read_model_config
from edgegan.errors import EdgeganError
from edgegan.importers import import_checkpoint, original_vintagify_generator
from edgegan.media import center_square, list_images, load_image, to_image, to_tensor
from edgegan.metrics.drift import psnr
from edgegan.models import load_model


@pytest.mark.slow
def test_vintagify_matches_original_on_unseen_photos(vintagify_ckpt, samples, tmp_path):
    from edgegan.export import export_onnx
    from edgegan.runtime import load_backend

    cfg = read_model_config(vintagify_ckpt)
    assert cfg["model"]["name"] == "cyclegan_resnet9" and cfg["model"]["args"]["norm"] == "instance_affine"
    ref = original_vintagify_generator()
    export_onnx(vintagify_ckpt, tmp_path / "v.onnx")
    backends = {"torch": load_backend(vintagify_ckpt), "onnx": load_backend(tmp_path / "v.onnx")}
    scores = {k: [] for k in backends}
    for p in list_images(samples / "photos")[:6]:
        x = to_tensor(center_square(load_image(p), 256))
        with torch.inference_mode():
            want = to_image(ref(torch.from_numpy(x)).numpy())
        for k, b in backends.items():
            scores[k].append(psnr(to_image(b.run(x)), want))
    for k, s in scores.items():
        assert min(s) >= 40.0, (k, s)


class _Block(nn.Module):
    def __init__(self, c, norm, dropout):
        super().__init__()
        layers = [nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=norm is not nn.BatchNorm2d), norm(c), nn.ReLU(True)]
        layers += [nn.Dropout(0.5)] if dropout else []
        layers += [nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3, bias=norm is not nn.BatchNorm2d), norm(c)]
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


class JunyanzLayout(nn.Module):
    """The key layout of junyanz/pytorch-CycleGAN-and-pix2pix's ResnetGenerator, written from its
    documented structure: one Sequential named ``model``, residual blocks with a ``conv_block``."""

    def __init__(self, c=16, n_blocks=6, norm=nn.InstanceNorm2d, dropout=False):
        super().__init__()
        bias = norm is not nn.BatchNorm2d
        L = [nn.ReflectionPad2d(3), nn.Conv2d(3, c, 7, bias=bias), norm(c), nn.ReLU(True)]
        for m in (1, 2):
            L += [nn.Conv2d(c * m, c * m * 2, 3, 2, 1, bias=bias), norm(c * m * 2), nn.ReLU(True)]
        L += [_Block(c * 4, norm, dropout) for _ in range(n_blocks)]
        for m in (4, 2):
            L += [
                nn.ConvTranspose2d(c * m, c * m // 2, 3, 2, 1, output_padding=1, bias=bias),
                norm(c * m // 2),
                nn.ReLU(True),
            ]
        L += [nn.ReflectionPad2d(3), nn.Conv2d(c, 3, 7), nn.Tanh()]
        self.model = nn.Sequential(*L)

    def forward(self, x):
        return self.model(x)


@pytest.mark.parity
@pytest.mark.parametrize(
    "norm,dropout,expect",
    [(nn.InstanceNorm2d, False, "instance"), (nn.BatchNorm2d, True, "batch")],
)
def test_junyanz_layout_imports_exactly(tmp_path, norm, dropout, expect):
    torch.manual_seed(0)
    ref = JunyanzLayout(norm=norm, dropout=dropout)
    if norm is nn.BatchNorm2d:  # non-trivial running statistics
        ref.train()
        with torch.no_grad():
            ref(torch.rand(4, 3, 32, 32))
    ref.eval()
    torch.save(ref.state_dict(), tmp_path / "latest_net_G_A.pth")
    out = import_checkpoint("cyclegan", str(tmp_path / "latest_net_G_A.pth"), tmp_path / "ckpt")
    args = read_model_config(out)["model"]["args"]
    assert (args["n_blocks"], args["base_channels"], args["norm"], args["dropout"]) == (
        6,
        16,
        expect,
        0.5 if dropout else 0.0,
    )
    x = torch.rand(1, 3, 40, 28, dtype=torch.float64) * 2 - 1
    with torch.inference_mode():  # in float64: an epsilon or a statistic off by little shows far above rounding
        assert_parity(load_model(out).double()(x), ref.double()(x), network_bound(ref, sides=2, unit=U64))


def test_keys_that_do_not_fit_are_named(tmp_path):
    ref = JunyanzLayout()
    sd = ref.state_dict()
    sd["model.30.weight"] = torch.zeros(3)
    torch.save(sd, tmp_path / "bad.pth")
    with pytest.raises(EdgeganError, match=r"keys that do not fit.*model\.30\.weight"):
        import_checkpoint("cyclegan", str(tmp_path / "bad.pth"), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    torch.save({"encoder.weight": torch.zeros(3)}, tmp_path / "other.pth")
    with pytest.raises(EdgeganError, match="not a CycleGAN ResNet generator"):
        import_checkpoint("cyclegan", str(tmp_path / "other.pth"), tmp_path / "out")
    (tmp_path / "junk.pth").write_bytes(b"\x00garbage")
    with pytest.raises(EdgeganError, match="not a loadable PyTorch state dict"):
        import_checkpoint("cyclegan", str(tmp_path / "junk.pth"), tmp_path / "out")
    with pytest.raises(EdgeganError, match="unknown import source"):
        import_checkpoint("pix3pix", None, tmp_path / "out")
