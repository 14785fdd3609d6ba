"""Model families. Importing this package registers every variant in :data:`edgegan.registry.MODELS`.

Each module here is one family: it defines its networks and registers named variants (published sizes
plus a tiny ``test_`` variant). Every module is imported below, so a new family needs no edit here.

Registry metadata a family may set (``meta={...}``):
    family          the family name shown by ``edgegan models``
    size_multiple   H and W must be multiples of this (stylize pads to it)
    fixed_size      the network only takes this H = W (stylize resizes to it and back); implies no dynamic H/W
    input           "image" (default) or "latent": what the exported graph takes
    latent_dim      for input="latent"
    reference       {"parameters": N, "source": "..."}: the published size this variant must match (1%)

A network whose forward returns more than an image (U-GAT-IT's CAM logits) or takes more than one input
defines ``export_module()`` returning the image-in/image-out (or latent-in/image-out) module to export.
"""

from __future__ import annotations

from edgegan.models.loading import describe_state_dict_mismatch, load_model, save_model
from edgegan.models.spec import count_parameters, example_input, exportable, io_spec
from edgegan.registry import MODELS

# the families, each registering its variants on import (a new family adds its line here)
from edgegan.models import (  # noqa: E402, F401  isort: skip
    animegan,
    cyclegan,
    discriminators,
    dualgan,
    fast,
    guided,
    magenta,
    pix2pix,
    student,
    stylegan2,
    ugatit,
)

__all__ = [
    "MODELS",
    "count_parameters",
    "describe_state_dict_mismatch",
    "example_input",
    "exportable",
    "io_spec",
    "load_model",
    "save_model",
]
