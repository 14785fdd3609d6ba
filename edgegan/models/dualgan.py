"""DualGAN (Yi et al. 2017): two U-Net translators trained as duals, A -> B and B -> A.

The networks are pix2pix's U-Net (:mod:`edgegan.models.pix2pix`) in the configuration of DualGAN's
reference code (duxingren14/DualGAN, TensorFlow): 5x5 kernels, a per-image normalization with learned
scale and shift (its ``batch_norm`` takes moments over H and W, which is instance norm), biases on every
convolution, and dropout on the three deepest decoder levels starting at the bottleneck. One deliberate
difference: the reference also normalizes the 1x1 bottleneck, which zeroes it (instance statistics of a
single pixel); here the bottleneck is not normalized, as in pix2pix (1,024 parameters fewer).
"""

from __future__ import annotations

from edgegan.models.discriminators import PatchDiscriminator
from edgegan.models.pix2pix import UnetGenerator
from edgegan.registry import DISCRIMINATORS, MODELS

_DUAL = dict(kernel_size=5, norm="instance_affine", dropout=0.5, dropout_at_bottleneck=True)
# Counted from the reference's layer list (e1-e8, d1-d8 with weights and biases, 14 scale/center pairs):
# 85,022,787; without the bottleneck's scale/center pair: 85,021,763.
_REF = {"parameters": 85_022_787, "source": "duxingren14/DualGAN model.py fcn() at image_size 256, fcn_filter_dim 64"}
MODELS.register(
    "dualgan_unet256",
    UnetGenerator,
    n_down=8,
    **_DUAL,
    meta={"family": "dualgan", "size_multiple": 256, "role": "generator", "reference": _REF},
)
MODELS.register(
    "test_dualgan_unet",
    UnetGenerator,
    base_channels=8,
    n_down=5,
    **_DUAL,
    meta={"family": "dualgan", "size_multiple": 32, "role": "generator"},
)
# The reference critic: 5x5 convs, widths 64-128-256-512, the last two at stride 1, per-image norm.
DISCRIMINATORS.register("dualgan_critic", PatchDiscriminator, kernel_size=5, norm="instance_affine")
DISCRIMINATORS.register(
    "test_dualgan_critic", PatchDiscriminator, base_channels=8, n_layers=2, kernel_size=5, norm="instance_affine"
)
