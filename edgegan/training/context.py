"""What an objective needs from the loop: device, mixed precision, distributed wrapping.

An objective builds its networks and optimizers, wraps trainable networks with :meth:`wrap` (DDP when
the process was started by ``torchrun``), computes losses under :meth:`autocast`, and applies them with
:meth:`backward` and :meth:`step`. It never touches GradScaler or process groups itself.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import torch
from torch import nn

from edgegan.errors import EdgeganError


def unwrap(module: nn.Module) -> nn.Module:
    """The network inside a DDP wrapper (or the network itself)."""
    return module.module if isinstance(module, nn.parallel.DistributedDataParallel) else module


def set_requires_grad(module: nn.Module, flag: bool) -> None:
    for p in module.parameters():
        p.requires_grad_(flag)


def init_weights(module: nn.Module, gain: float = 0.02) -> None:
    """N(0, gain) conv/linear weights and N(1, gain) norm scales, as in the CycleGAN/pix2pix papers."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, gain)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.InstanceNorm2d)) and m.weight is not None:
            nn.init.normal_(m.weight, 1.0, gain)
            nn.init.zeros_(m.bias)


@dataclass
class Distributed:
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @classmethod
    def from_env(cls) -> "Distributed":
        """Read torchrun's environment; one process when it is absent."""
        return cls(
            int(os.environ.get("RANK", 0)), int(os.environ.get("LOCAL_RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
        )


def pick_device(spec: str, dist: Distributed) -> torch.device:
    if spec == "auto":
        spec = "cuda" if torch.cuda.is_available() else "cpu"
    if spec.startswith("cuda"):
        if not torch.cuda.is_available():
            raise EdgeganError(f"train.device={spec!r} but no CUDA GPU is visible; use train.device=cpu")
        if dist.enabled:
            return torch.device("cuda", dist.local_rank)  # one GPU per torchrun process
    return torch.device(spec)


class TrainContext:
    def __init__(self, device: torch.device, amp: bool, dist: Distributed, accumulate: int = 1):
        self.device = device
        self.dist = dist
        self.accumulate = accumulate
        self.micro = 0  # index of the current micro-batch within the optimizer step (set by the loop)
        # Mixed precision only where it pays: CUDA. On CPU, autocast to bf16 would change the numerics
        # of a model that is then exported in fp32.
        self.amp = amp and device.type == "cuda"
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp)

    def autocast(self):
        if self.amp:
            return torch.autocast("cuda", dtype=torch.float16)
        return contextlib.nullcontext()

    def wrap(self, module: nn.Module) -> nn.Module:
        """Move to the device; DDP-wrap when distributed and the module has trainable parameters."""
        module = module.to(self.device)
        if self.dist.enabled and any(p.requires_grad for p in module.parameters()):
            ids = [self.device.index] if self.device.type == "cuda" else None
            module = nn.parallel.DistributedDataParallel(module, device_ids=ids, broadcast_buffers=False)
        return module

    def backward(self, loss: torch.Tensor) -> None:
        self.scaler.scale(loss / self.accumulate).backward()

    def step(self, optimizer: torch.optim.Optimizer) -> None:
        """Apply the accumulated gradients on the last micro-batch of an optimizer step; else keep them."""
        if self.micro < self.accumulate - 1:
            return
        self.scaler.step(optimizer)
        optimizer.zero_grad(set_to_none=True)

    def end_iteration(self) -> None:
        self.scaler.update()
