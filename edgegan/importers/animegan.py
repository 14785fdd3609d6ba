"""AnimeGANv2 generators of bryandlee/animegan2-pytorch: ``face_paint_512_v2.pt``, ``face_paint_512_v1.pt``,
``celeba_distill.pt``, ``paprika.pt`` (plain state dicts saved with ``torch.save``).

edgegan's ``animeganv2`` is that port's ``Generator`` module for module (same keys: ``block_a.0.1.weight``,
``block_c.1.layers.1.1.bias``, ``out_layer.0.weight``...), so the weights load unrenamed; what a file does not
say is which decoder resize to run. ``--upsample``:

    align_corners  (default) bilinear with aligned corners to the encoder's measured sizes: the port's
                   ``Generator.forward`` default, what its torch.hub ``generator`` and ``face2paint`` run; any H, W
    scale2         bilinear x2 with ``align_corners=False``: the port's first version and its test.py default
                   (``--upsample_align`` False); H and W multiples of 4

stored as the model argument ``align_corners`` (True / False).
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from edgegan.importers.base import (
    Option,
    load_into,
    load_state_dict_file,
    mismatch,
    register,
    save_imported,
    tensors_only,
)
from edgegan.registry import MODELS

UPSAMPLE = {"align_corners": True, "scale2": False}
_BLOCK_C = re.compile(r"block_c\.(\d+)\..+")


def _infer_args(state: dict[str, torch.Tensor], path: Path) -> dict:
    """Width, inverted-residual count and expansion from the shapes (the releases: 32, 4, 2)."""
    keys = list(state)
    first = state.get("block_a.0.1.weight")
    if first is None or first.dim() != 4:
        shown = ", ".join(keys[:4])
        raise mismatch("animeganv2", path, keys, f"no 4-D key 'block_a.0.1.weight'; first keys are {shown}")
    # block_c holds a ConvNormLReLU, the inverted residual blocks, then a ConvNormLReLU: indices 0 .. n + 1
    last = max((int(m.group(1)) for k in keys if (m := _BLOCK_C.fullmatch(k))), default=-1)
    expand = state.get("block_c.1.layers.0.1.weight")
    base = int(first.shape[0])
    args = {"in_channels": int(first.shape[1]), "base_channels": base, "n_blocks": max(last - 1, 0)}
    if expand is not None and expand.dim() == 4 and tuple(expand.shape[2:]) == (1, 1):
        args["expansion"] = float(expand.shape[0]) / float(expand.shape[1])
    out = state.get("out_layer.0.weight")
    if out is not None and out.dim() == 4:
        args["out_channels"] = int(out.shape[0])
    return args


@register(
    "animeganv2",
    title="bryandlee/animegan2-pytorch AnimeGANv2",
    options={
        "upsample": Option(
            "the decoder resize: align_corners (the port's forward(), torch.hub and face2paint; any size) or scale2 "
            "(x2, align_corners=False: its test.py default; H, W multiples of 4)",
            choices=tuple(UPSAMPLE),
        )
    },
    keys=(r"block_a\.0\.1\.weight", r"block_c\.1\.layers\.1\.1\.bias", r"out_layer\.0\.weight"),
    formats="bryandlee/animegan2-pytorch `face_paint_512_v2.pt`, `face_paint_512_v1.pt`, `celeba_distill.pt`, "
    "`paprika.pt` (plain state dicts)",
    quirks="GroupNorm(1) layer norm, right/bottom-only padding of stride-2 convs, bias only on depthwise convs; "
    "`--upsample align_corners` (default: forward()/torch.hub/face2paint, any size) or `scale2` "
    "(x2, align_corners=False: test.py's default, H, W multiples of 4)",
)
def import_animeganv2(path: Path, out: Path, *, upsample: str = "align_corners") -> Path:
    state = tensors_only(load_state_dict_file(path, "animeganv2"), path, "animeganv2")
    args = _infer_args(state, path)
    args["align_corners"] = UPSAMPLE[upsample]
    if args["n_blocks"] < 1:
        raise mismatch("animeganv2", path, list(state), "no inverted residual blocks block_c.1 ..")
    try:
        model = MODELS.build("animeganv2", args)
    except (RuntimeError, ValueError) as e:  # shapes no AnimeGANv2 generator has (a 0 width, groups...)
        raise mismatch("animeganv2", path, list(state), f"shapes do not build a generator ({e})") from None
    load_into(model, state, "animeganv2", path, list(state))
    return save_imported(out, model, "animeganv2", args, path, f"animeganv2 {path} --upsample {upsample}")
