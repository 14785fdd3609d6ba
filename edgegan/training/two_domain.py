"""The skeleton the two-domain objectives share (CycleGAN, DualGAN, U-GAT-IT).

Two translators, ``G_A``: A -> B (the exported :attr:`~TwoDomainObjective.generator`) and ``G_B``: B -> A,
discriminators named ``D_<domain>...`` (judging that domain), one optimizer ``G`` over both translators and
one ``D`` over every discriminator, optional image pools of generated images (saved for an exact resume),
and the cycle evaluation and sample grids. A family keeps what differs: its networks and their
initialisation, its optimizer, its losses (``step``).

Registers no objective: :mod:`edgegan.training` needs no line for it.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator

import torch
from torch import Tensor, nn

from edgegan.config import Config, from_dict
from edgegan.registry import DISCRIMINATORS, MODELS
from edgegan.training.context import (
    TrainContext,
    init_weights,
    set_requires_grad,
    translator_evaluation,
    translator_samples,
    unwrap,
)


class ImagePool:
    """A history of generated images (Shrivastava et al. 2017): the discriminator sees, half the time,
    an older fake instead of the newest, which damps oscillation."""

    def __init__(self, size: int, rng: random.Random | None = None):
        self.size = size
        self.images: list[Tensor] = []
        self.rng = rng or random.Random(0)

    def query(self, images: Tensor) -> Tensor:
        if self.size <= 0:
            return images
        out = []
        for img in images.detach():
            img = img.unsqueeze(0)
            if len(self.images) < self.size:
                self.images.append(img.clone())
                out.append(img)
            elif self.rng.random() < 0.5:
                k = self.rng.randrange(self.size)
                out.append(self.images[k].clone())
                self.images[k] = img.clone()
            else:
                out.append(img)
        return torch.cat(out, 0)

    def state_dict(self) -> dict:
        version, internal, gauss = self.rng.getstate()
        return {"images": [t.cpu() for t in self.images], "rng": [version, list(internal), gauss]}

    def load_state_dict(self, state: dict) -> None:
        self.images = list(state.get("images", []))
        if "rng" in state:
            version, internal, gauss = state["rng"]
            self.rng.setstate((version, tuple(internal), gauss))


def image_pools(size: int, seed: int) -> dict[str, ImagePool]:
    """One pool of fakes per domain, each with its own seeded draws (``seed`` for A, ``seed + 1`` for B)."""
    return {"A": ImagePool(size, random.Random(seed)), "B": ImagePool(size, random.Random(seed + 1))}


def translators(cfg: Config) -> tuple[nn.Module, nn.Module, int, int]:
    """``G_A`` (the config's model) and ``G_B`` (the same model with its channel counts swapped), built in
    that order, and the channel counts of domains A and B."""
    margs = MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
    c_a, c_b = margs.get("in_channels", 3), margs.get("out_channels", 3)
    g_a = MODELS.build(cfg.model.name, cfg.model.args)
    g_b = MODELS.build(cfg.model.name, dict(cfg.model.args, in_channels=c_b, out_channels=c_a))
    return g_a, g_b, c_a, c_b


def discriminator(name: str, args: dict, channels: int) -> nn.Module:
    """Discriminator ``name`` for images of ``channels`` channels."""
    return DISCRIMINATORS.build(name, dict(args, in_channels=channels))


def translators_and_discriminators(cfg: Config) -> dict[str, nn.Module]:
    """``G_A``, ``G_B`` and one ``cfg.discriminator`` per domain, ``D_B`` built before ``D_A`` (the order of
    the random draws of their default initialisation)."""
    g_a, g_b, c_a, c_b = translators(cfg)
    d_b = discriminator(cfg.discriminator.name, cfg.discriminator.args, c_b)
    d_a = discriminator(cfg.discriminator.name, cfg.discriminator.args, c_a)
    return {"G_A": g_a, "G_B": g_b, "D_A": d_a, "D_B": d_b}


def as_floats(**losses: Tensor) -> dict[str, float]:
    """A step's record: each loss as a float, in the order given."""
    return {k: v.item() for k, v in losses.items()}


class TwoDomainObjective:
    """Base of a two-domain objective: a subclass sets ``args_class`` and builds its networks with
    :meth:`_setup`; it writes ``step`` (and what else differs)."""

    args_class: type
    sample_labels = ("A", "G(A)", "F(G(A))", "B", "F(B)")  # rows of translator_samples

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.ctx = ctx
        self.pools: dict[str, ImagePool] = {}  # none: no extra state

    def _setup(
        self, nets: dict[str, nn.Module], optimizer: Callable[[list], torch.optim.Optimizer], init_gain: float | None
    ) -> None:
        """``init_weights`` on every net in order (unless ``init_gain`` is None: the networks' own
        initialisation), then wrap them all in :attr:`modules`, then :attr:`optimizers` ``G`` over
        ``G_A`` and ``G_B``'s parameters and ``D`` over those of every ``D_*`` (in ``nets``' order)."""
        if init_gain is not None:
            for m in nets.values():
                init_weights(m, init_gain)
        self.modules = {k: self.ctx.wrap(m) for k, m in nets.items()}
        self.optimizers = {
            "G": optimizer([p for k in ("G_A", "G_B") for p in nets[k].parameters()]),
            "D": optimizer([p for k, m in nets.items() if k.startswith("D_") for p in m.parameters()]),
        }

    @property
    def generator(self) -> nn.Module:
        """The network that is exported: A -> B."""
        return unwrap(self.modules["G_A"])

    def _domains(self, batch: dict) -> tuple[Tensor, Tensor]:
        return batch["A"].to(self.ctx.device, non_blocking=True), batch["B"].to(self.ctx.device, non_blocking=True)

    def _pair(self, generator: nn.Module | None) -> tuple[nn.Module, nn.Module]:
        """(G: A -> B, F: B -> A), G the one given (the EMA copy) or the trained one."""
        return generator or self.generator, unwrap(self.modules["G_B"])

    @contextlib.contextmanager
    def _frozen_discriminators(self) -> Iterator[dict[str, nn.Module]]:
        """For a generator step: every discriminator unwrapped (no DDP) and frozen inside the block, so the
        step leaves no gradients in them, nor makes DDP wait for gradients that never come."""
        d_raw = {k: unwrap(m) for k, m in self.modules.items() if k.startswith("D_")}
        for m in d_raw.values():
            set_requires_grad(m, False)
        try:
            yield d_raw
        finally:
            for m in d_raw.values():
                set_requires_grad(m, True)

    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        return translator_evaluation(*self._pair(generator), batches, self.ctx.device)

    def sample(self, batch: dict, generator: nn.Module | None = None):
        return translator_samples(*self._pair(generator), batch, self.ctx.device), list(self.sample_labels)

    def extra_state(self) -> dict:
        return {"pools": {k: p.state_dict() for k, p in self.pools.items()}} if self.pools else {}

    def load_extra_state(self, state: dict) -> None:
        for k, p in self.pools.items():
            p.load_state_dict(state.get("pools", {}).get(k, {}))
