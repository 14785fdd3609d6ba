"""Multiply-accumulates of a generator at a given input size, counted with forward hooks.

Two conventions exist for transposed convolutions, and tables must say which they use:
- ``real``: the arithmetic actually done, each input pixel times each kernel tap
  (H_in * W_in * C_in * C_out * k * k / groups). CycleGAN ResNet-9 at 256x256: 49.5 G.
- ``output``: counted at output resolution as if the inserted zeros were multiplied, which is what
  profilers used by the GAN-compression literature report (56.8 G for the same model).
Only Conv, ConvTranspose and Linear are counted; norms, activations and adds are left out, as usual.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from edgegan.models import count_parameters, load_model

CONVENTIONS = ("real", "output")


_LAYERS = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)


def _example(size, in_channels: int) -> torch.Tensor:
    if isinstance(size, torch.Tensor):
        return size
    h, w = (size, size) if isinstance(size, int) else size
    return torch.zeros(1, in_channels, h, w)


def _visit_layers(model: nn.Module, example: torch.Tensor, visit) -> None:
    """One eval-mode forward pass of ``example``, calling ``visit(module, input, output)`` on every Conv,
    ConvTranspose and Linear layer."""
    handles = [m.register_forward_hook(lambda m, i, o: visit(m, i[0], o)) for m in model.modules()
               if isinstance(m, _LAYERS)]  # fmt: skip
    try:
        was_training = model.training
        model.eval()
        with torch.inference_mode():
            model(example)
        model.train(was_training)
    finally:
        for hd in handles:
            hd.remove()


def count_macs(
    model: nn.Module,
    size: int | tuple[int, int] | torch.Tensor = 256,
    convention: str = "real",
    in_channels: int = 3,
) -> int:
    """MACs of one forward pass on a (1, in_channels, size, size) image, or on the example tensor ``size``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    total = 0

    def visit(mod, x, output):
        nonlocal total
        total += _macs(mod, x, output, convention)

    _visit_layers(model, _example(size, in_channels), visit)
    return total


def _macs(mod: nn.Module, x: torch.Tensor, output: torch.Tensor, convention: str) -> int:
    if isinstance(mod, nn.ConvTranspose2d):
        k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels * mod.out_channels // mod.groups
        pixels = x.shape[2] * x.shape[3] if convention == "real" else output.shape[2] * output.shape[3]
        return x.shape[0] * pixels * k
    if isinstance(mod, nn.Conv2d):
        k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels * mod.out_channels // mod.groups
        return output.shape[0] * output.shape[2] * output.shape[3] * k
    return output.numel() // output.shape[-1] * mod.in_features * mod.out_features  # Linear


def count_work(model: nn.Module, size: int | tuple[int, int] | torch.Tensor = 256, in_channels: int = 3) -> dict:
    """One forward pass's work: real MACs (``macs``), and the elements an inference engine that fuses norms,
    activations and adds into the convolutions moves (every Conv/ConvTranspose/Linear input and output once,
    ``activations``; every weight once, ``weights``; times the bytes of an element, a memory-traffic floor).

    Counted on shapes alone: the pass runs on a copy of the network on PyTorch's meta device, so a 1280x720 frame
    through a large generator costs no arithmetic. A network with an operation that needs values (no meta kernel)
    is counted on a real pass. The count is at the input's own shape, so a network that resizes inside (a fixed
    working resolution carried back by a guided field) is counted as it runs, not scaled by area."""
    total = {"macs": 0, "activations": 0, "weights": 0}

    def visit(mod, x, output):
        total["macs"] += _macs(mod, x, output, "real")
        total["activations"] += x.numel() + output.numel()
        total["weights"] += mod.weight.numel()

    example = _example(size, in_channels)
    try:
        _visit_layers(copy.deepcopy(model).to("meta"), example.to("meta"), visit)
    except (NotImplementedError, RuntimeError):  # an operation without a meta kernel, or one that reads values
        total = dict.fromkeys(total, 0)
        _visit_layers(model, example, visit)
    return total


def cost(checkpoint, size: int = 256) -> dict:
    """Parameters and real MACs at ``size`` x ``size`` of a checkpoint (a path or a ``ModelRef``), or of a network
    the caller has built from one already."""
    model = checkpoint if isinstance(checkpoint, torch.nn.Module) else load_model(checkpoint)
    return {"parameters": count_parameters(model), "macs": int(count_macs(model, size)), "macs_convention": "real"}
