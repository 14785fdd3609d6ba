"""StyleGAN2 generators: rosinality/stylegan2-pytorch checkpoints and NVlabs/stylegan2-ada-pytorch snapshots.

rosinality (``.pt``, ``torch.save``): a training checkpoint ``{g, d, g_ema, g_optim, d_optim, args, ada_aug_p}``
(``args`` is an ``argparse.Namespace``, allowed for this load only: building one runs no code) or a
converted release ``{g_ema, latent_avg}``. We take ``g_ema``; its keys::

    style.{1..n}.weight/bias          mapping (style.0 is the pixel norm)
    input.input (1, C, 4, 4)          the constant
    conv1.*, convs.{2k, 2k+1}.*       StyledConv: conv.weight (1, O, I, k, k), conv.modulation.*, noise.weight (1,),
                                      activate.bias, conv.blur.kernel (up-sampling convs)
    to_rgb1.*, to_rgbs.{k}.*          conv.weight (1, 3, I, 1, 1), conv.modulation.*, bias (1, 3, 1, 1), upsample.kernel
    noises.noise_{i} (1, 1, r, r)     the fixed noise of layer i (0: 4x4, then two per resolution)

``latent_avg`` becomes the truncation centre; a training checkpoint has none, so it is estimated the way
rosinality's generate.py does (mean w of 4096 latents, here from seed 0) and the checkpoint says so.

NVlabs (``network-snapshot-*.pkl``, a plain pickle of whole modules via ``torch_utils.persistence``): read by
:mod:`edgegan.importers.safe_pickle` (no pickled code runs); we take ``G_ema``::

    mapping.fc{i}.weight/bias, mapping.w_avg
    synthesis.b{res}.const (C, 4, 4) | conv0 (up-sampling) | conv1 | torgb | resample_filter
      layer: weight (O, I, k, k), affine.*, bias, noise_const (r, r), noise_strength (), resample_filter

plus attributes that are not tensors: ``conv_clamp`` (reproduced), the mapping's learning-rate multiplier,
the block architecture ('skip' only), ``use_fp16`` (edgegan computes in float32: the output is the
reference's with ``force_fp32=True``).

Both become ``StyleGAN2Generator(upsample="fir")`` (the reference's up-sampling, see edgegan.models.stylegan2)
with the widths, mapping depth and clamp read from the file.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path
from typing import Any

import torch

from edgegan.errors import EdgeganError
from edgegan.importers.base import load_into, load_state_dict_file, mismatch, register, save_imported, tensors_only
from edgegan.importers.safe_pickle import PersistentRecord, is_torch_legacy, load_restricted
from edgegan.registry import MODELS

FAMILY = "stylegan2"
_F = torch.tensor([1.0, 3.0, 3.0, 1.0])
FIR = _F[:, None] * _F[None, :] / 64.0  # the reference's resample filter, normalized to sum 1
MEAN_LATENTS = 4096  # rosinality's generate.py --truncation_mean default


def _fail(path, keys, problem: str) -> EdgeganError:
    return mismatch(FAMILY, path, list(keys), problem)


def _check_fir(t: torch.Tensor, key: str, path, keys) -> None:
    """The file's resample filter must be [1, 3, 3, 1] (the only one edgegan's "fir" up-sampling has)."""
    if t.is_meta:
        return
    if tuple(t.shape) != (4, 4) or not torch.allclose(t.float() / t.float().sum(), FIR, atol=1e-6):
        raise _fail(path, keys, f"{key} is not the [1, 3, 3, 1] resample filter (unknown layout)")


def fit_channels(chans: list[int]) -> dict[str, Any]:
    """``channel_base``/``channel_max`` reproducing the widths at 4, 8, ..., or an explicit ``channels`` list."""
    res = [4 * 2**i for i in range(len(chans))]
    cmax = max(chans)
    candidates = [16384, 32768] + [c * r for c, r in zip(chans, res, strict=True) if c < cmax] + [cmax * res[-1]]
    for base in candidates:
        if [min(base // r, cmax) for r in res] == chans:
            return {"channel_base": base, "channel_max": cmax}
    return {"channel_base": 16384, "channel_max": cmax, "channels": chans}


def variant_name(args: dict) -> str:
    f = dict(resolution=256, z_dim=512, w_dim=512, mapping_layers=8, channel_base=32768, channel_max=512)
    same = all(args.get(k) == v for k, v in f.items()) and "channels" not in args
    return "stylegan2_256_f" if same else "stylegan2_256"


def _first(t: torch.Tensor) -> torch.Tensor:
    return t[0]


# rosinality's key inside a StyledConv / ToRGB -> ours inside StyleLayer / ToRGB, and the reshape it needs
_ROS_LAYER = {
    "conv.weight": ("conv.conv.weight", _first),  # (1, O, I, k, k) -> (O, I, k, k)
    "conv.modulation.weight": ("conv.affine.weight", None),
    "conv.modulation.bias": ("conv.affine.bias", None),
    "noise.weight": ("noise_strength", lambda t: t.reshape(())),
    "activate.bias": ("bias", None),
}
_ROS_RGB = {
    "conv.weight": ("conv.conv.weight", _first),
    "conv.modulation.weight": ("conv.affine.weight", None),
    "conv.modulation.bias": ("conv.affine.bias", None),
    "bias": ("bias", lambda t: t.reshape(-1)),  # (1, 3, 1, 1) -> (3,)
}


def _sub(table: dict, prefix: str, sub: str, v: torch.Tensor) -> tuple[str, torch.Tensor] | None:
    if sub not in table:
        return None
    name, f = table[sub]
    return f"{prefix}.{name}", (f(v) if f else v)


def rosinality_layout(state: dict[str, torch.Tensor], path) -> tuple[dict, dict[str, torch.Tensor]]:
    """Architecture arguments and our keys for a rosinality ``Generator`` state dict (``g_ema``)."""
    keys = list(state)
    for k in ("input.input", "conv1.conv.weight", "to_rgb1.conv.weight", "style.1.weight"):
        if k not in state:
            raise _fail(path, keys, f"no key {k!r} of rosinality's Generator; first keys: {', '.join(keys[:4])}")
    n_mlp = len([k for k in keys if re.fullmatch(r"style\.\d+\.weight", k)])
    n_rgb = len([k for k in keys if re.fullmatch(r"to_rgbs\.\d+\.conv\.weight", k)])
    chans = [int(state["conv1.conv.weight"].shape[1])]
    for k in range(n_rgb):
        w = state.get(f"convs.{2 * k}.conv.weight")
        if w is None:
            raise _fail(path, keys, f"to_rgbs.{k} without convs.{2 * k} (unknown layout)")
        chans.append(int(w.shape[1]))
    args = {
        "resolution": 2 ** (n_rgb + 2),
        "z_dim": int(state["style.1.weight"].shape[1]),
        "w_dim": int(state["style.1.weight"].shape[0]),
        "mapping_layers": n_mlp,
        **fit_channels(chans),
        "upsample": "fir",
    }
    renamed: dict[str, torch.Tensor] = {}
    unmapped: list[str] = []
    for k, v in state.items():
        out: tuple[str, torch.Tensor] | None = None
        if m := re.fullmatch(r"style\.(\d+)\.(weight|bias)", k):
            out = (f"mapping.fcs.{int(m[1]) - 1}.{m[2]}", v)
        elif k == "input.input":
            out = ("synthesis.blocks.0.const", v[0])
        elif m := re.fullmatch(r"(conv1|convs\.(\d+))\.(.+)", k):
            i = -1 if m[2] is None else int(m[2])
            block, j = (0, 0) if i < 0 else (i // 2 + 1, i % 2)
            if m[3] == "conv.blur.kernel":
                _check_fir(v, k, path, keys)
                continue
            out = _sub(_ROS_LAYER, f"synthesis.blocks.{block}.convs.{j}", m[3], v)
        elif m := re.fullmatch(r"(to_rgb1|to_rgbs\.(\d+))\.(.+)", k):
            if m[3] == "upsample.kernel":
                _check_fir(v, k, path, keys)
                continue
            out = _sub(_ROS_RGB, f"synthesis.blocks.{0 if m[2] is None else int(m[2]) + 1}.torgb", m[3], v)
        elif m := re.fullmatch(r"noises\.noise_(\d+)", k):
            n = int(m[1])
            block, j = (0, 0) if n == 0 else ((n - 1) // 2 + 1, (n - 1) % 2)
            out = (f"synthesis.blocks.{block}.convs.{j}.noise_const", v)
        if out is None:
            unmapped.append(k)
        else:
            renamed[out[0]] = out[1]
    if unmapped:
        raise _fail(path, keys, f"keys that do not fit rosinality's Generator: {', '.join(unmapped[:6])}")
    return args, renamed


def nvlabs_attrs(g: PersistentRecord, path) -> dict[str, Any]:
    """What the layout needs beyond tensors, read from the pickled attributes of G_ema and its modules."""
    keys = list(g.tensors())
    if g.class_name != "Generator" or g.child("mapping") is None or g.child("synthesis") is None:
        raise _fail(path, keys, f"G_ema is a {g.class_name!r} without mapping/synthesis networks (unknown layout)")
    recs = list(g.modules())
    fc0 = g.child("mapping.fc0")

    def attr(kinds: tuple[str, ...], name: str, default=None) -> list:
        return [r.state.get(name, default) for _, r in recs if r.class_name in kinds]

    layer_acts = attr(("SynthesisLayer",), "activation", "lrelu")
    mapping_acts = [r.state.get("activation", "lrelu") for n, r in recs if n.startswith("mapping.fc")]
    clamps = set(attr(("SynthesisLayer", "ToRGBLayer"), "conv_clamp"))
    return {
        "c_dim": int(g.state.get("c_dim") or 0),
        "mapping_lr_mul": float(fc0.state.get("bias_gain", 0.01)) if fc0 is not None else 0.01,
        "w_avg_beta": g.child("mapping").state.get("w_avg_beta", 0.995),
        "architectures": sorted(set(map(str, attr(("SynthesisBlock",), "architecture")))),
        "activations": sorted(set(map(str, layer_acts + mapping_acts))),
        "conv_clamps": sorted(clamps, key=lambda c: (c is None, c or 0)),
        "fp16_blocks": sum(map(bool, attr(("SynthesisBlock",), "use_fp16"))),
        "no_noise": [n.removeprefix("synthesis.") for n, r in recs
                     if r.class_name == "SynthesisLayer" and not r.state.get("use_noise", True)],
    }  # fmt: skip


def nvlabs_layout(state: dict[str, torch.Tensor], attrs: dict, path) -> tuple[dict, dict[str, torch.Tensor]]:
    """Architecture arguments and our keys for an NVlabs ``Generator`` (its state dict and attributes)."""
    keys = list(state)
    if attrs.get("c_dim") or "mapping.embed.weight" in state:
        raise _fail(path, keys, f"a conditional generator (c_dim={attrs.get('c_dim')}): edgegan's takes no label")
    if attrs.get("architectures", ["skip"]) != ["skip"]:
        raise _fail(path, keys, f"synthesis architecture {attrs['architectures']} (only 'skip' is reproduced)")
    if attrs.get("activations", ["lrelu"]) != ["lrelu"]:
        raise _fail(path, keys, f"activations {attrs['activations']} (only 'lrelu' is reproduced)")
    clamps = attrs.get("conv_clamps", [None])
    if len(clamps) > 1:
        raise _fail(path, keys, f"different conv_clamp values per layer {clamps} (unknown layout)")
    blocks = sorted({int(m[1]) for k in keys if (m := re.fullmatch(r"synthesis\.b(\d+)\..+", k))})
    fcs = sorted({int(m[1]) for k in keys if (m := re.fullmatch(r"mapping\.fc(\d+)\.weight", k))})
    if not blocks or blocks[0] != 4 or blocks != [4 * 2**i for i in range(len(blocks))] or not fcs:
        raise _fail(
            path, keys, f"no mapping.fc*/synthesis.b4..b{blocks[-1] if blocks else '?'} blocks (unknown layout)"
        )
    chans = []
    for r in blocks:
        w = state.get(f"synthesis.b{r}.conv1.weight")
        if w is None:
            raise _fail(path, keys, f"no synthesis.b{r}.conv1.weight (unknown layout)")
        chans.append(int(w.shape[0]))
    clamp = clamps[0] if clamps else None
    args = {
        "resolution": blocks[-1],
        "z_dim": int(state["mapping.fc0.weight"].shape[1]),
        "w_dim": int(state[f"mapping.fc{fcs[-1]}.weight"].shape[0]),
        "mapping_layers": len(fcs),
        "mapping_lr_mul": float(attrs.get("mapping_lr_mul", 0.01)),
        **fit_channels(chans),
        "upsample": "fir",
        "conv_clamp": None if clamp is None else float(clamp),
    }
    if attrs.get("w_avg_beta") is not None:
        args["w_avg_beta"] = float(attrs["w_avg_beta"])
    layer_map = {"affine.weight": "conv.affine.weight", "affine.bias": "conv.affine.bias", "weight": "conv.conv.weight",
                 "bias": "bias", "noise_strength": "noise_strength", "noise_const": "noise_const"}  # fmt: skip
    rgb_map = {"affine.weight": "conv.affine.weight", "affine.bias": "conv.affine.bias", "weight": "conv.conv.weight",
               "bias": "bias"}  # fmt: skip
    renamed: dict[str, torch.Tensor] = {}
    unmapped: list[str] = []
    for k, v in state.items():
        out = None
        if m := re.fullmatch(r"mapping\.fc(\d+)\.(weight|bias)", k):
            out = f"mapping.fcs.{m[1]}.{m[2]}"
        elif k == "mapping.w_avg":
            out = "w_avg"
        elif m := re.fullmatch(r"synthesis\.b(\d+)\.(.+)", k):
            b, rest = int(math.log2(int(m[1]))) - 2, m[2]
            pre = f"synthesis.blocks.{b}"
            if rest == "const":
                out = f"{pre}.const"
            elif rest == "resample_filter" or rest.endswith(".resample_filter"):
                _check_fir(v, k, path, keys)
                continue
            elif (m2 := re.fullmatch(r"conv([01])\.(.+)", rest)) and m2[2] in layer_map:
                j = 0 if b == 0 or m2[1] == "0" else 1
                out = f"{pre}.convs.{j}.{layer_map[m2[2]]}"
                if m2[2] == "noise_const":
                    v = v.reshape(1, 1, *v.shape[-2:])
            elif (m2 := re.fullmatch(r"torgb\.(.+)", rest)) and m2[1] in rgb_map:
                out = f"{pre}.torgb.{rgb_map[m2[1]]}"
        if out is None:
            unmapped.append(k)
        else:
            renamed[out] = v
    if unmapped:
        raise _fail(path, keys, f"keys that do not fit NVlabs' Generator: {', '.join(unmapped[:6])}")
    for name in attrs.get("no_noise", []):  # use_noise=False layers: strength 0 adds nothing
        b, conv = re.fullmatch(r"b(\d+)\.conv([01])", name).groups()
        blk = int(math.log2(int(b))) - 2
        pre = f"synthesis.blocks.{blk}.convs.{0 if blk == 0 or conv == '0' else 1}"
        renamed[f"{pre}.noise_strength"] = torch.zeros(())
        renamed[f"{pre}.noise_const"] = torch.zeros(1, 1, int(b), int(b))
    return args, renamed


def _read(path: Path) -> tuple[str, Any]:
    """("torch", dict) for a torch.save file, ("pickle", object) for a plain pickle (read without code)."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(b"PK") or is_torch_legacy(path):
        with torch.serialization.safe_globals([argparse.Namespace]):  # rosinality's training args
            return "torch", load_state_dict_file(path, FAMILY)
    return "pickle", load_restricted(path, "pickle (NVlabs snapshot)")


def _build(args: dict, renamed: dict, path, keys) -> tuple[str, torch.nn.Module]:
    name = variant_name(args)
    model = MODELS.build(name, args)
    if "w_avg" not in renamed:
        renamed["w_avg"] = model.w_avg.clone()  # filled after loading (rosinality training checkpoints)
    load_into(model, renamed, FAMILY, path, keys)
    return name, model.eval()


def import_rosinality(obj: dict, path: Path, out: Path) -> Path:
    if "g_ema" in obj:
        if not isinstance(obj["g_ema"], dict):
            raise _fail(path, list(obj), f"'g_ema' holds a {type(obj['g_ema']).__name__}, not a state dict")
        state, latent_avg = tensors_only(obj["g_ema"], path), obj.get("latent_avg")
    elif "style.1.weight" in obj:
        state, latent_avg = tensors_only(obj, path), None
    else:
        raise _fail(path, list(obj), f"no 'g_ema' generator; top-level keys: {', '.join(map(str, list(obj)[:6]))}")
    args, renamed = rosinality_layout(state, path)
    if latent_avg is not None:
        if not isinstance(latent_avg, torch.Tensor) or latent_avg.numel() != args["w_dim"]:
            raise _fail(path, list(state), f"latent_avg is not a vector of {args['w_dim']} values")
        renamed["w_avg"] = latent_avg.reshape(-1).float()
    name, model = _build(args, renamed, path, list(state))
    note = "latent_avg as truncation centre"
    if latent_avg is None:
        gen = torch.Generator().manual_seed(0)
        with torch.no_grad():
            model.w_avg.copy_(model.mapping(torch.randn(MEAN_LATENTS, args["z_dim"], generator=gen)).mean(0))
        note = f"no latent_avg: truncation centre = mean w of {MEAN_LATENTS} latents (seed 0)"
    return save_imported(out, model, name, args, path, f"stylegan2 {path} (rosinality g_ema; {note})")


def import_nvlabs(g: PersistentRecord, path: Path, out: Path) -> Path:
    state = g.tensors()
    attrs = nvlabs_attrs(g, path)
    args, renamed = nvlabs_layout(state, attrs, path)
    name, model = _build(args, renamed, path, list(state))
    parts = [f"conv_clamp {args['conv_clamp']:g}" if args["conv_clamp"] is not None else "no conv_clamp"]
    if attrs["fp16_blocks"]:
        parts.append(f"{attrs['fp16_blocks']} fp16 blocks computed in float32")
    return save_imported(out, model, name, args, path, f"stylegan2 {path} (NVlabs G_ema; {', '.join(parts)})")


@register(
    FAMILY,
    title="StyleGAN2",
    keys=(
        r"g_ema",
        r"G_ema",
        r"style\.1\.weight",
        r"conv1\.conv\.modulation\.weight",
        r"to_rgbs\.\d+\.conv\.weight",
        r"mapping\.fc0\.weight",
        r"synthesis\.b4\.conv1\.affine\.weight",
    ),
    formats="rosinality/stylegan2-pytorch `.pt` (training checkpoints and converted releases: g_ema, latent_avg); "
    "NVlabs/stylegan2-ada-pytorch `network-snapshot-*.pkl` (G_ema), read without running its pickled code",
    quirks="widths, mapping depth and lr multiplier read from the file; the reference's [1, 3, 3, 1] FIR "
    "up-sampling; stored noise and truncation centre (latent_avg / w_avg); conv_clamp; fp16 layers in float32",
)
def import_stylegan2(path: Path, out: Path) -> Path:
    kind, obj = _read(path)
    if isinstance(obj, PersistentRecord):
        return import_nvlabs(obj, path, out)
    if not isinstance(obj, dict):
        raise EdgeganError(f"{str(path)!r} is not a StyleGAN2 generator: it holds a {type(obj).__name__}")
    if isinstance(obj.get("G_ema"), PersistentRecord):
        return import_nvlabs(obj["G_ema"], path, out)
    if kind == "pickle" and any(isinstance(v, PersistentRecord) for v in obj.values()):
        raise _fail(path, list(obj), f"an NVlabs pickle without 'G_ema' (it holds {', '.join(map(str, obj))})")
    return import_rosinality(obj, path, out)
