"""Norms and paddings by name, so every family spells them the same way.

All of these export to plain ONNX ops (InstanceNormalization, BatchNormalization folded into Conv,
Pad reflect/edge), which ONNX Runtime, OpenVINO and TensorRT all take.
"""

from __future__ import annotations

from torch import nn

from edgegan.errors import EdgeganError

# instance: no affine parameters, as in the CycleGAN/pix2pix reference; instance_affine: learned scale and
# shift (what many re-implementations, e.g. vintagify, use); batch: folds into the conv at export.
NORMS = ("instance", "instance_affine", "batch", "none")
PADDINGS = ("reflect", "replicate", "zeros")


def make_norm(kind: str, channels: int) -> nn.Module:
    if kind == "instance":
        return nn.InstanceNorm2d(channels, affine=False, track_running_stats=False)
    if kind == "instance_affine":
        return nn.InstanceNorm2d(channels, affine=True, track_running_stats=False)
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "none":
        return nn.Identity()
    raise EdgeganError(f"unknown norm {kind!r}; choose one of: {', '.join(NORMS)}")


def conv_bias(norm: str) -> bool:
    """A conv followed by batch norm needs no bias (the norm's shift replaces it)."""
    return norm != "batch"


def make_pad(kind: str, amount: int) -> tuple[nn.Module, int]:
    """A padding layer and the padding left for the conv: zeros pad inside the conv (cheaper, and lets
    INT8 kernels fuse), reflect/replicate as their own layer."""
    if kind == "reflect":
        return nn.ReflectionPad2d(amount), 0
    if kind == "replicate":
        return nn.ReplicationPad2d(amount), 0
    if kind == "zeros":
        return nn.Identity(), amount
    raise EdgeganError(f"unknown padding {kind!r}; choose one of: {', '.join(PADDINGS)}")
