"""CartoonGAN generators of Yijunmaverick/CartoonGAN-Test-Pytorch-Torch: ``Hayao_net_G_float.pth``,
``Hosoda_net_G_float.pth``, ``Paprika_net_G_float.pth``, ``Shinkai_net_G_float.pth`` (plain state dicts of its
``network/Transformer.py``).

That module names every layer flat (``conv01_1``, ``in01_1``, ``conv04_1`` ... ``conv11_2`` for the eight
residual blocks, ``deconv01_1``, ``in12_1``, ``deconv03_1``); its instance norm is its own (``scale`` /
``shift``, epsilon 1e-9), and it takes and returns BGR in [-1, 1] (its test.py flips RGB to BGR before and
after). edgegan's ``cartoongan`` is the same graph with RGB in and out: the importer renames the keys, sets
``eps`` 1e-9, and folds both channel swaps into the weights (the first conv's input channels, the last conv's
output channels and bias), so the imported network needs no runtime op.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from edgegan.importers.base import load_into, load_state_dict_file, mismatch, register, save_imported, tensors_only
from edgegan.registry import MODELS

EPS = 1e-9  # the reference InstanceNormalization's default
_RES = re.compile(r"conv(\d\d)_1\.weight")


def _rename_table(n: int) -> dict[str, str]:
    """Reference module name -> edgegan module name, for ``n`` residual blocks (8 in the releases)."""
    table = {"conv01_1": "flat.1", "in01_1": "flat.2"}
    for stage, k in ((0, 2), (1, 3)):
        table |= {f"conv{k:02d}_1": f"down.{stage}.0", f"conv{k:02d}_2": f"down.{stage}.1"}
        table[f"in{k:02d}_1"] = f"down.{stage}.2"
    for i in range(n):
        k = 4 + i
        table |= {f"conv{k:02d}_1": f"blocks.{i}.body.1", f"in{k:02d}_1": f"blocks.{i}.body.2"}
        table |= {f"conv{k:02d}_2": f"blocks.{i}.body.5", f"in{k:02d}_2": f"blocks.{i}.body.6"}
    for stage, (up, norm) in enumerate(((1, 4 + n), (2, 5 + n))):
        table |= {f"deconv{up:02d}_1": f"up.{stage}.0", f"deconv{up:02d}_2": f"up.{stage}.1"}
        table[f"in{norm:02d}_1"] = f"up.{stage}.2"
    table["deconv03_1"] = "head.1"
    return table


def _convert(state: dict[str, torch.Tensor], path: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    keys = list(state)
    first = state.get("conv01_1.weight")
    if first is None or first.dim() != 4:
        shown = ", ".join(keys[:4])
        raise mismatch("cartoongan", path, keys, f"no 4-D key 'conv01_1.weight'; first keys are {shown}")
    blocks = sorted(int(m.group(1)) for k in keys if (m := _RES.fullmatch(k)) and int(m.group(1)) >= 4)
    n = len(blocks)
    if blocks != list(range(4, 4 + n)) or n == 0:
        raise mismatch("cartoongan", path, keys, f"residual blocks conv04_1 .. expected, found {blocks[:5]}")
    table = _rename_table(n)
    suffix = {"weight": "weight", "bias": "bias", "scale": "weight", "shift": "bias"}
    expected = {f"{m}.{p}" for m in table for p in (("scale", "shift") if m.startswith("in") else ("weight", "bias"))}
    unexpected, missing = [k for k in keys if k not in expected], sorted(expected - set(keys))
    if unexpected or missing:
        parts = [f"{label}: {', '.join(ks[:4])}" for label, ks in (("unexpected", unexpected), ("missing", missing))]
        raise mismatch("cartoongan", path, keys, "; ".join(p for p in parts if not p.endswith(": ")))
    renamed = {}
    for k, v in state.items():
        module, param = k.rsplit(".", 1)
        renamed[f"{table[module]}.{suffix[param]}"] = v.float()
    if first.shape[1] != 3 or state["deconv03_1.weight"].shape[0] != 3:
        raise mismatch(
            "cartoongan", path, keys, f"a BGR generator has 3 input and output channels: {tuple(first.shape)}"
        )
    # BGR in: the conv that saw channel c now sees channel 2 - c. BGR out: output channels (and bias) reversed.
    renamed["flat.1.weight"] = renamed["flat.1.weight"].flip(1).contiguous()
    renamed["head.1.weight"] = renamed["head.1.weight"].flip(0).contiguous()
    renamed["head.1.bias"] = renamed["head.1.bias"].flip(0).contiguous()
    args = {"base_channels": int(first.shape[0]), "n_blocks": n, "norm": "instance_affine", "eps": EPS}
    return args, renamed


@register(
    "cartoongan",
    title="CartoonGAN (Yijunmaverick/CartoonGAN-Test-Pytorch-Torch)",
    keys=(r"conv01_1\.weight", r"in01_1\.scale", r"conv04_1\.weight", r"deconv03_1\.weight"),
    formats="Yijunmaverick/CartoonGAN-Test-Pytorch-Torch `{Hayao,Hosoda,Paprika,Shinkai}_net_G_float.pth` "
    "(plain state dicts of network/Transformer.py)",
    quirks="its own instance norm (`scale`/`shift`, eps 1e-9); BGR in and out folded into the first and last "
    "convs (RGB model, no runtime op); output tanh in [-1, 1]; H, W multiples of 4",
)
def import_cartoongan(path: Path, out: Path) -> Path:
    state = tensors_only(load_state_dict_file(path, "cartoongan"), path, "cartoongan")
    args, renamed = _convert(state, path)
    model = MODELS.build("cartoongan", args)
    load_into(model, renamed, "cartoongan", path, list(state))
    return save_imported(out, model, "cartoongan", args, path, f"cartoongan {path} (BGR folded into RGB)")
