import pytest
import torch

import edgegan.models  # noqa: F401
from edgegan.errors import EdgeganError
from edgegan.metrics.cost import count_macs
from edgegan.models import count_parameters
from edgegan.registry import DISCRIMINATORS, MODELS


def test_resnet9_at_published_size():
    g = MODELS.build("cyclegan_resnet9")
    assert count_parameters(g) == 11_378_179  # junyanz/pytorch-CycleGAN-and-pix2pix: 11.378 M
    # Real arithmetic vs. ConvTranspose counted at output resolution (the usual 56.8 G).
    assert count_macs(g, 256, "real") / 1e9 == pytest.approx(49.5, abs=0.1)
    assert count_macs(g, 256, "output") / 1e9 == pytest.approx(56.8, abs=0.1)


@pytest.mark.parametrize("norm", ["instance", "instance_affine", "batch", "none"])
@pytest.mark.parametrize("padding", ["reflect", "zeros"])
def test_generator_variants_keep_shape_and_range(norm, padding):
    g = MODELS.build("test_cyclegan_resnet", {"norm": norm, "padding": padding, "dropout": 0.5}).eval()
    x = torch.rand(2, 3, 36, 52) * 2 - 1
    y = g(x)
    assert y.shape == x.shape and y.abs().max() <= 1


def test_patchgan_receptive_field_output():
    d = DISCRIMINATORS.build("patchgan")
    assert d(torch.zeros(1, 3, 256, 256)).shape == (1, 1, 30, 30)  # the 70x70 PatchGAN's 30x30 map


def test_unknown_names_and_args():
    with pytest.raises(EdgeganError, match="unknown model 'cyclegan_resnet7'"):
        MODELS.build("cyclegan_resnet7")
    with pytest.raises(EdgeganError, match="'ngf'"):
        MODELS.build("cyclegan_resnet9", {"ngf": 64})
    with pytest.raises(EdgeganError, match="unknown norm"):
        MODELS.build("test_cyclegan_resnet", {"norm": "layer"})
