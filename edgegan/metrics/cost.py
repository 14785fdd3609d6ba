"""Multiply-accumulates of a generator at a given input size, counted with forward hooks.

Two conventions exist for transposed convolutions, and tables must say which they use:
- ``real``: the arithmetic actually done, each input pixel times each kernel tap
  (H_in * W_in * C_in * C_out * k * k / groups). CycleGAN ResNet-9 at 256x256: 49.5 G.
- ``output``: counted at output resolution as if the inserted zeros were multiplied, which is what
  profilers used by the GAN-compression literature report (56.8 G for the same model).
Only Conv, ConvTranspose and Linear are counted; norms, activations and adds are left out, as usual.
"""

from __future__ import annotations

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
        if isinstance(mod, nn.ConvTranspose2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels * mod.out_channels // mod.groups
            pixels = x.shape[2] * x.shape[3] if convention == "real" else output.shape[2] * output.shape[3]
            total += x.shape[0] * pixels * k
        elif isinstance(mod, nn.Conv2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels * mod.out_channels // mod.groups
            total += output.shape[0] * output.shape[2] * output.shape[3] * k
        elif isinstance(mod, nn.Linear):
            total += output.numel() // output.shape[-1] * mod.in_features * mod.out_features

    _visit_layers(model, _example(size, in_channels), visit)
    return total


def count_traffic(model: nn.Module, size: int | tuple[int, int] | torch.Tensor = 256, in_channels: int = 3) -> dict:
    """Elements an inference engine that fuses norms, activations and adds into the convolutions moves per
    forward pass: every Conv/ConvTranspose/Linear input and output once (``activations``), and every weight
    once (``weights``). Multiply by the bytes of an element for a memory-traffic floor."""
    acts = weights = 0

    def visit(mod, x, output):
        nonlocal acts, weights
        acts += x.numel() + output.numel()
        weights += mod.weight.numel()

    _visit_layers(model, _example(size, in_channels), visit)
    return {"activations": acts, "weights": weights}


def cost(checkpoint, size: int = 256) -> dict:
    """Parameters and real MACs at ``size`` x ``size`` of a checkpoint (a path or a ``ModelRef``), or of a network
    the caller has built from one already."""
    model = checkpoint if isinstance(checkpoint, torch.nn.Module) else load_model(checkpoint)
    return {"parameters": count_parameters(model), "macs": int(count_macs(model, size)), "macs_convention": "real"}
