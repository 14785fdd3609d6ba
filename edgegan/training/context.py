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
from edgegan.machine import has_bf16
from edgegan.metrics.domain import stats_distance


def unwrap(module: nn.Module) -> nn.Module:
    """The network inside a DDP wrapper (or the network itself)."""
    return module.module if isinstance(module, nn.parallel.DistributedDataParallel) else module


def set_requires_grad(module: nn.Module, flag: bool) -> None:
    for p in module.parameters():
        p.requires_grad_(flag)


def init_weights(module: nn.Module, gain: float = 0.02) -> None:
    """N(0, gain) conv/linear weights and N(1, gain) norm scales, as in the CycleGAN/pix2pix papers. A submodule
    marked ``keep_init = True`` (a backbone loaded with its weights, a layer that must start at zero) is left as
    the model built it."""
    keep = [f"{name}." if name else "" for name, m in module.named_modules() if getattr(m, "keep_init", False)]
    for name, m in module.named_modules():
        if any(f"{name}.".startswith(k) for k in keep):
            continue
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
    def __init__(
        self,
        device: torch.device,
        amp: bool,
        dist: Distributed,
        accumulate: int = 1,
        clip_grad: float = 0.0,
        cpu_bf16: bool = False,
    ):
        self.device = device
        self.clip_grad = clip_grad  # largest gradient norm per optimizer step; 0: no clipping
        self.skipped = 0  # optimizer steps skipped because a gradient was not finite
        self.dist = dist
        self.accumulate = accumulate
        self.micro = 0  # index of the current micro-batch within the optimizer step (set by the loop)
        # Mixed precision only where it pays: CUDA (float16, loss-scaled, train.amp) and, when a recipe asks
        # (train.cpu_bf16), a CPU with bf16 units (AMX, AVX512_BF16: about 2x faster steps for the guided
        # students). The weights, the optimizer and the exported model stay float32.
        if device.type == "cuda":
            self.amp = amp
        else:
            self.amp = cpu_bf16 and device.type == "cpu" and has_bf16()
        self.amp_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp and device.type == "cuda")

    def autocast(self):
        if self.amp:
            return torch.autocast(self.device.type, dtype=self.amp_dtype)
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
        """Apply the accumulated gradients on the last micro-batch of an optimizer step; else keep them.

        A step whose gradient is not finite is skipped (and counted in :attr:`skipped`) instead of writing
        NaN into every weight: one bad batch must not end a run. Instance-normalized networks meet such batches:
        on a flat image every norm sees zero variance and scales the gradient by 1/sqrt(eps), layer after
        layer, until it overflows. With ``clip_grad`` the gradient's global norm is also clipped to it.
        (Under CUDA AMP the gradients are unscaled first and GradScaler still lowers its scale on overflow; its
        usual overflow steps while it finds the scale count as skipped too.)
        """
        if self.micro < self.accumulate - 1:
            return
        self.scaler.unscale_(optimizer)
        params = [p for group in optimizer.param_groups for p in group["params"] if p.grad is not None]
        norm = nn.utils.clip_grad_norm_(params, self.clip_grad or float("inf")) if params else torch.zeros(())
        if torch.isfinite(norm):
            self.scaler.step(optimizer)
        else:
            self.skipped += 1
        optimizer.zero_grad(set_to_none=True)

    def end_iteration(self) -> None:
        self.scaler.update()


@contextlib.contextmanager
def eval_mode(*modules: nn.Module):
    """Eval mode and no gradients inside the block; each module's previous mode restored after it."""
    was = [m.training for m in modules]
    for m in modules:
        m.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for m, w in zip(modules, was, strict=True):
            m.train(w)


def translator_evaluation(G: nn.Module, Fm: nn.Module, batches: dict[str, dict], device) -> dict[str, float]:
    """For a pair of translators G: A -> B and F: B -> A, per fixed batch (``train``, ``test``): the cycle
    L1 |F(G(a)) - a|, and on held-out images how far G(a) is from domain B's low-level statistics, next to
    how far a itself is (the baseline a translation should beat)."""
    import torch.nn.functional as F

    out = {}
    with eval_mode(G, Fm):
        for split, batch in batches.items():
            a, b = batch["A"].to(device), batch["B"].to(device)
            fake_b = G(a)
            out[f"{split}_cycle_l1"] = F.l1_loss(Fm(fake_b), a).item()
            if split == "test":
                out["test_stats_dist_to_B"] = stats_distance(fake_b, b)
                out["test_input_stats_dist_to_B"] = stats_distance(a, b)
    return out


def paired_samples(G: nn.Module, batch: dict, device) -> list[list[torch.Tensor]]:
    """Grid rows for a paired objective: a, G(a), b."""
    with eval_mode(G):
        a, b = batch["A"].to(device), batch["B"].to(device)
        return [list(a), list(G(a)), list(b)]


def translator_samples(G: nn.Module, Fm: nn.Module, batch: dict, device) -> list[list[torch.Tensor]]:
    """Grid rows for a pair of translators: a, G(a), F(G(a)), b, F(b)."""
    with eval_mode(G, Fm):
        a, b = batch["A"].to(device), batch["B"].to(device)
        fake_b = G(a)
        return [list(a), list(fake_b), list(Fm(fake_b)), list(b), list(Fm(b))]


class PairedObjective:
    """Base of an objective that maps A to its paired target B with one exported network, ``modules["G"]``
    (pix2pix, distillation): evaluation and sample grids on the fixed batches, and no extra resume state.
    A subclass writes :meth:`metrics` and names its grid rows in ``sample_labels``."""

    sample_labels = ("A", "G(A)", "B")  # rows of paired_samples

    @property
    def generator(self) -> nn.Module:
        return unwrap(self.modules["G"])

    @staticmethod
    def metrics(y: torch.Tensor, b: torch.Tensor) -> dict[str, float]:
        """What :meth:`evaluate` reports of outputs ``y`` against targets ``b``."""
        raise NotImplementedError

    @torch.no_grad()
    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        """Per fixed batch (``train``, and ``test`` when there is one): :meth:`metrics` of G(a) against b, each
        name prefixed with the split. In eval mode (running batch-norm statistics, no dropout): what the
        exported model computes."""
        G, out = generator or self.generator, {}
        with eval_mode(G):
            for split, batch in batches.items():
                a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
                out.update({f"{split}_{k}": v for k, v in self.metrics(G(a), b).items()})
        return out

    @torch.no_grad()
    def sample(self, batch: dict, generator: nn.Module | None = None):
        return paired_samples(generator or self.generator, batch, self.ctx.device), list(self.sample_labels)

    def extra_state(self) -> dict:
        return {}

    def load_extra_state(self, state: dict) -> None:
        pass
