"""pix2pix generators: junyanz/pytorch-CycleGAN-and-pix2pix ``latest_net_G.pth`` (U-Net or ResNet).

Its ``save_networks`` writes the generator's plain state dict (a ``module.`` prefix appears when someone saved
the DataParallel wrapper itself; it is removed). Two layouts:

U-Net (``--netG unet_128`` / ``unet_256``): recursive ``UnetSkipConnectionBlock``s, each holding its layers in
a Sequential ``model`` with the next-inner block inside it, so a key's path of indices names its level::

    model.model.0 / .3                         outermost: down conv, up conv (index 1 is the inner block)
    model.model.1[.model.3]*.model.1 / 2 / 5 / 6   middle levels: down conv, down norm, up conv, up norm
    (the deepest level)          .model.1 / 3 / 4   innermost: down conv, up conv, up norm

These map onto :class:`edgegan.models.pix2pix.UnetGenerator` (depth, width, channels and norm read from the
keys and shapes). Dropout leaves no trace in the file and is left out: the imported generator is
deterministic (the reference's test script without ``--eval`` also keeps dropout active, a noise source).

ResNet (``--netG resnet_9blocks`` / ``resnet_6blocks``): the CycleGAN layout, read by the CycleGAN importer's
own inference (:mod:`edgegan.importers.cyclegan`).

BatchNorm (pix2pix's default ``--norm batch``), ``--bn``:

* ``instance`` (the default): every image normalized by its own statistics, then the learned BatchNorm scale
  and shift. This is what the reference's ``test.py`` computes unless ``--eval`` is given (the generator stays
  in training mode, at the batch size 1 that test.py forces) and what the pix2pix paper prescribes; releases
  trained at batch size 1 often look blurred or washed out with running statistics (junyanz issues #555,
  #1329, #748). Exported as InstanceNormalization.
* ``eval``: the running statistics (the reference with ``--eval``); folds into the convolutions at export.

The choice is stored in the checkpoint's model arguments (``bn`` for a U-Net; for a ResNet ``norm:
instance_affine`` with the BatchNorm's scale and shift and zero convolution biases), so it rebuilds with no
flags and the ONNX export computes the same.
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
from edgegan.importers.cyclegan import infer_resnet
from edgegan.registry import MODELS

FAMILY = "pix2pix"
_LEVEL = re.compile(r"model\.(\d+)\.")
_STATS = ("running_mean", "running_var", "num_batches_tracked")


def _unet_path(key: str) -> tuple[list[int], str] | None:
    """``model.model.1.model.3.model.5.weight`` -> ([1, 3, 5], "weight"); None if the key is not nested so."""
    if not key.startswith("model."):
        return None
    rest, indices = key[len("model.") :], []
    while m := _LEVEL.match(rest):
        indices.append(int(m.group(1)))
        rest = rest[m.end() :]
    if not indices or "." in rest:
        return None
    level = len(indices) - 1
    if level and (indices[0] != 1 or any(i != 3 for i in indices[1:-1])):
        return None  # the inner block sits at index 1 of the outermost Sequential, at 3 of every middle one
    return indices, rest


def _infer_unet(state: dict[str, torch.Tensor], path: Path) -> tuple[str, dict, dict[str, torch.Tensor]]:
    """Registry name, architecture arguments and our key names for a junyanz U-Net state dict."""
    keys = list(state)
    parsed = {k: _unet_path(k) for k in keys}
    bad = [k for k, p in parsed.items() if p is None]
    if bad:
        raise mismatch(FAMILY, path, keys, f"keys that do not fit a U-Net generator: {', '.join(bad[:6])}")
    n = max(len(p[0]) for p in parsed.values())  # levels: the innermost block is the deepest
    for need in ("model.model.0.weight", "model.model.3.weight"):
        if need not in state:
            raise mismatch(FAMILY, path, keys, f"no key {need!r} (the outermost level's convolutions)")
    if n < 5:
        raise mismatch(FAMILY, path, keys, f"a U-Net of {n} levels (the reference builds at least 5)")
    first_norm = "model.model.1.model.2"  # level 1's down norm
    if f"{first_norm}.weight" in state:
        norm = "batch" if f"{first_norm}.running_mean" in state else "instance_affine"
    elif "model.model.1.model.1.bias" in state:
        norm = "instance"  # no affine parameters (old files may still carry unused running statistics)
    else:
        raise mismatch(FAMILY, path, keys, "--norm none (convolutions without bias and no normalization)")
    layer_names = {0: {0: "down.0.0", 3: f"up.{n - 1}.1"}, n - 1: {1: f"down.{n - 1}.1", 3: "up.0.1", 4: "up.0.2"}}
    renamed: dict[str, torch.Tensor] = {}
    unmapped: list[str] = []
    for k, (indices, param) in parsed.items():
        level, layer = len(indices) - 1, indices[-1]
        names = layer_names.get(level) or {1: f"down.{level}.1", 2: f"down.{level}.2",
                                           5: f"up.{n - 1 - level}.1", 6: f"up.{n - 1 - level}.2"}  # fmt: skip
        if norm.startswith("instance") and param in _STATS:
            continue  # instance norm keeps no statistics
        if layer not in names:
            unmapped.append(k)
            continue
        value = state[k]
        if names[layer].startswith("up.") and names[layer] != "up.0.1" and param == "weight" and value.dim() == 4:
            # The reference concatenates [skip, decoder] and ours [decoder, skip]: swap the input halves.
            value = torch.cat(value.chunk(2, dim=0)[::-1], dim=0)
        renamed[f"{names[layer]}.{param}"] = value
    if unmapped:
        raise mismatch(FAMILY, path, keys, f"keys that do not fit a U-Net generator: {', '.join(unmapped[:6])}")
    down0, up_last = state["model.model.0.weight"], state["model.model.3.weight"]
    if down0.dim() != 4 or tuple(down0.shape[2:]) != (4, 4):
        raise mismatch(FAMILY, path, keys, f"first convolution {tuple(down0.shape)}, expected 4x4 kernels")
    args = {
        "in_channels": int(down0.shape[1]),
        "out_channels": int(up_last.shape[1]),
        "base_channels": int(down0.shape[0]),
        "n_down": n,
        "norm": norm,
        "dropout": 0.0,
    }
    name = {8: "pix2pix_unet256", 7: "pix2pix_unet128"}.get(n, "pix2pix_unet256")
    return name, args, renamed


def _per_image_resnet(model: torch.nn.Module, renamed: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A batch-norm ResNet's tensors for the same network built with affine instance norm: running statistics
    dropped, and the convolutions that precede a norm (bias-free in the reference) given zero biases; the output
    convolution always has its own (a file without it still fails to load)."""
    out = {k: v for k, v in renamed.items() if not k.endswith(_STATS)}
    modules = dict(model.named_modules())
    for k, v in model.state_dict().items():
        owner = modules.get(k.rpartition(".")[0])
        if (
            k not in out
            and k != "head.1.bias"
            and k.endswith(".bias")
            and isinstance(owner, torch.nn.modules.conv._ConvNd)
        ):
            out[k] = torch.zeros_like(v)
    return out


@register(
    FAMILY,
    title="pix2pix (junyanz U-Net or ResNet)",
    options={
        "bn": Option(
            "BatchNorm statistics: instance (per image, what test.py computes without --eval) or eval (the "
            "running statistics)",
            choices=("eval", "instance"),
        )
    },
    keys=(r"model\.model\.0\.weight", r"model\.model\.3\.weight", r"model\.model\.1\.model\.1\.weight"),
    formats="junyanz/pytorch-CycleGAN-and-pix2pix `latest_net_G.pth` (unet_128, unet_256, resnet_6blocks, "
    "resnet_9blocks)",
    quirks="U-Net depth, width, channels and norm read from the nested keys; BatchNorm per image (--bn instance, "
    "the default: what test.py computes without --eval) or with running statistics (--bn eval), stored in the "
    "checkpoint (a ResNet's as affine instance norm); dropout left out (deterministic output); DataParallel "
    "`module.` prefix and the unused instance-norm statistics of old files dropped",
)
def import_pix2pix(path: Path, out: Path, *, bn: str = "instance") -> Path:
    state = tensors_only(load_state_dict_file(path, FAMILY), path, FAMILY)
    keys = list(state)
    per_image = False
    if any(k.startswith("model.model.") for k in keys):
        name, args, renamed = _infer_unet(state, path)
        if args["norm"] == "batch":
            args["bn"], per_image = bn, bn == "instance"
        if per_image:  # per-image normalization keeps the scale and shift, not the running statistics
            renamed = {k: v for k, v in renamed.items() if not k.endswith(_STATS)}
        model = MODELS.build(name, args)
        load_into(model, renamed, FAMILY, path, keys)
    elif "model.1.weight" in state:
        args, renamed = infer_resnet(state, FAMILY, path)
        name = {9: "cyclegan_resnet9", 6: "cyclegan_resnet6"}.get(args["n_blocks"], "cyclegan_resnet9")
        if args["norm"] == "batch" and bn == "instance":
            args["norm"], per_image = "instance_affine", True
            model = MODELS.build(name, args)
            renamed = _per_image_resnet(model, renamed)
        else:
            model = MODELS.build(name, args)
        load_into(model, renamed, FAMILY, path, keys)
    else:
        raise mismatch(
            FAMILY,
            path,
            keys,
            f"neither a U-Net (model.model.0.weight) nor a ResNet (model.1.weight); first keys are "
            f"{', '.join(keys[:4])}",
        )
    note = f"{FAMILY} {path}" + (" (BatchNorm per image)" if per_image else "")
    return save_imported(out, model, name, args, path, note)
