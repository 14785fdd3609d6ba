"""U-GAT-IT generators from znxlwm/UGATIT-pytorch training checkpoints (``<dataset>_params_<step>.pt``,
``<dataset>_params_latest.pt``).

``UGATIT.save`` writes one dict per checkpoint holding six state dicts: the generators ``genA2B`` and
``genB2A`` and the discriminators ``disGA``, ``disGB``, ``disLA``, ``disLB``. ``--direction`` picks the
generator (A2B by default); the discriminators are not imported. A file holding one bare generator state
dict is taken as it is (``--direction`` is then refused: there is nothing to choose).

The reference's generator and ours share the layer order, so the keys map one to one::

    DownBlock.*                 -> encoder.*        (residual ``conv_block`` -> ``body``)
    gap_fc / gmp_fc / conv1x1   -> cam.avg_fc / cam.max_fc / cam.fuse
    FC.*                        -> mlp.*            gamma, beta unchanged
    UpBlock1_<i>.conv<j>.weight -> blocks.<i-1>.conv<j>.1.weight   (norm<j>.rho unchanged)
    UpBlock2.*                  -> decoder.*

Read from the shapes: width (``ngf``), residual blocks (``n_res``), channels, and light vs full: the light
model's first FC layer takes the pooled 4*ngf vector, the full one the flattened (img_size/4)^2 * 4*ngf map,
which gives ``image_size``. The reference's adaILN and ILN use ``torch.var``'s unbiased variance, so the
imported model is built with ``unbiased_variance=True``; its eps (1e-5), reflection padding, nearest
up-sampling and unclipped rho (RhoClipper only runs after training steps) are what our layers do already.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import torch

from edgegan.errors import EdgeganError
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

FAMILY = "ugatit"
PARTS = ("genA2B", "genB2A", "disGA", "disGB", "disLA", "disLB")
_STATS = ("running_mean", "running_var", "num_batches_tracked")
_RULES = (
    (re.compile(r"DownBlock\.(\d+)\.conv_block\.(.+)"), r"encoder.\1.body.\2"),
    (re.compile(r"DownBlock\.(.+)"), r"encoder.\1"),
    (re.compile(r"gap_fc\.weight"), "cam.avg_fc.weight"),
    (re.compile(r"gmp_fc\.weight"), "cam.max_fc.weight"),
    (re.compile(r"conv1x1\.(weight|bias)"), r"cam.fuse.\1"),
    (re.compile(r"FC\.(.+)"), r"mlp.\1"),
    (re.compile(r"(gamma|beta)\.weight"), r"\1.weight"),
    (re.compile(r"UpBlock2\.(.+)"), r"decoder.\1"),
)
_UP1 = re.compile(r"UpBlock1_(\d+)\.(conv[12]\.weight|norm[12]\.rho)")


def _pick(raw: dict, path: Path, direction: str | None) -> tuple[dict[str, torch.Tensor], str]:
    """The chosen generator's state dict, and a note saying which one it is."""
    if "genA2B" in raw or "genB2A" in raw:
        name = f"gen{direction or 'A2B'}"
        if not isinstance(raw.get(name), dict):
            found = ", ".join(k for k in PARTS if k in raw)
            raise mismatch(FAMILY, path, list(raw), f"no {name!r} state dict in the checkpoint (it holds {found})")
        return tensors_only(raw[name], path), f"{name} of {path.name}"
    if any(re.fullmatch(r"(module\.)?DownBlock\.1\.weight", str(k)) for k in raw):
        if direction is not None:
            raise EdgeganError(
                f"{str(path)!r} holds one bare U-GAT-IT generator, not a genA2B/genB2A pair: drop --direction"
            )
        return tensors_only(raw, path), path.name
    keys = [str(k) for k in raw] + [str(k) for v in raw.values() if isinstance(v, dict) for k in v]
    first = ", ".join(str(k) for k in list(raw)[:4]) or "nothing"
    raise mismatch(FAMILY, path, keys, f"no 'genA2B' / 'genB2A' generator state dicts; its first keys are {first}")


def _infer(state: dict[str, torch.Tensor], path: Path) -> tuple[str, dict, dict[str, torch.Tensor]]:
    """Registered variant, its arguments and our key names for a reference ResnetGenerator state dict."""
    keys = list(state)
    for k in ("DownBlock.1.weight", "FC.0.weight", "UpBlock2.11.weight"):
        if k not in state or state[k].dim() not in (2, 4):
            raise mismatch(FAMILY, path, keys, f"no key {k!r} of the right rank; first keys are {', '.join(keys[:4])}")
    stem, fc0 = state["DownBlock.1.weight"], state["FC.0.weight"]
    ngf, width = int(stem.shape[0]), 4 * int(stem.shape[0])
    enc = sorted({int(m.group(1)) for k in keys if (m := re.fullmatch(r"DownBlock\.(\d+)\.conv_block\..+", k))})
    dec = sorted({int(m.group(1)) for k in keys if (m := _UP1.fullmatch(k))})
    n = len(dec)
    if enc != list(range(12, 12 + n)) or dec != list(range(1, n + 1)):
        raise mismatch(
            FAMILY, path, keys, f"residual blocks do not pair up: DownBlock.{enc[:6]} and UpBlock1_{dec[:6]}"
        )
    args = {
        "in_channels": int(stem.shape[1]),
        "out_channels": int(state["UpBlock2.11.weight"].shape[0]),
        "base_channels": ngf,
        "n_blocks": n,
        "unbiased_variance": True,
    }
    fc_in = int(fc0.shape[1])
    if fc_in == width:
        name = "ugatit_light"
    else:
        side = math.isqrt(fc_in // width)
        if fc_in % width or side * side * width != fc_in:
            problem = f"FC.0.weight takes {fc_in} inputs: not 4*ngf={width} (light) nor (img_size/4)^2*{width} (full)"
            raise mismatch(FAMILY, path, keys, problem)
        name, args["image_size"] = "ugatit_full", 4 * side
    renamed: dict[str, torch.Tensor] = {}
    unmapped: list[str] = []
    for k, v in state.items():
        if k.endswith(_STATS):
            continue  # statistics old PyTorch versions kept for untracked instance norms (the G has no BN): unused
        if m := _UP1.fullmatch(k):
            i, rest = int(m.group(1)) - 1, m.group(2)
            renamed[f"blocks.{i}.{rest.replace('.weight', '.1.weight')}"] = v
            continue
        for pattern, target in _RULES:
            if pattern.fullmatch(k):
                renamed[pattern.sub(target, k)] = v
                break
        else:
            unmapped.append(k)
    if unmapped:
        raise mismatch(FAMILY, path, keys, f"keys that do not fit a U-GAT-IT generator: {', '.join(unmapped[:6])}")
    return name, args, renamed


@register(
    FAMILY,
    title="U-GAT-IT",
    options={
        "direction": Option(
            "which generator of a training checkpoint's pair (default A2B); not for a file of one generator",
            choices=("A2B", "B2A"),
        )
    },
    keys=(r"genA2B", r"genB2A", r"disGA", r"DownBlock\.1\.weight", r"UpBlock1_1\.norm1\.rho", r"UpBlock2\.3\.rho"),
    formats="znxlwm/UGATIT-pytorch training checkpoints `*_params_*.pt` (dict of genA2B/genB2A/dis*; "
    "`--direction A2B|B2A`, default A2B), or one generator's state dict; light and full",
    quirks="light vs full and image_size from FC.0's shape, ngf and n_res from the keys; unbiased variance in "
    "adaILN/ILN (torch.var's default), exported as such; CAM logits and heatmap dropped from the exported graph",
)
def import_ugatit(path: Path, out: Path, *, direction: str | None = None) -> Path:
    raw = load_state_dict_file(path, FAMILY)
    state, what = _pick(raw, path, direction)
    name, args, renamed = _infer(state, path)
    model = MODELS.build(name, args)
    load_into(model, renamed, FAMILY, path, list(state))
    return save_imported(out, model.eval(), name, args, path, f"{FAMILY} ({what})")
