"""CycleGAN's objective (Zhu et al. 2017), one optimizer step at a time.

Symbols as in the paper: G: A -> B (``G_A``), F: B -> A (``G_B``), D_B judges domain B (``D_A`` in the
reference code, which names discriminators by the generator they train against; here they are named
by the domain they judge).

    L_G = lambda_adv * (L_GAN(G, D_B) + L_GAN(F, D_A)) + lambda_cycle * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
          + lambda_identity * lambda_cycle * (|G(b) - b|_1 + |F(a) - a|_1)
    L_D = 0.5 * (L_GAN(D(real), real) + L_GAN(D(pool(fake)), fake))   for each discriminator
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.config import Config, from_dict
from edgegan.losses.adversarial import GANLoss, gradient_penalty
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import (
    TrainContext,
    init_weights,
    set_requires_grad,
    translator_evaluation,
    translator_samples,
    unwrap,
)


@dataclass
class CycleGANArgs:
    gan_mode: str = "lsgan"
    lambda_adv: float = 1.0
    lambda_cycle: float = 10.0
    lambda_identity: float = 0.5  # relative to lambda_cycle, as in the paper's code
    pool_size: int = 50
    gp_weight: float = 10.0  # only for gan_mode=wgangp
    init_gain: float = 0.02


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


class CycleGANObjective:
    args_class = CycleGANArgs

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.ctx = ctx
        margs = MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
        back = dict(cfg.model.args, in_channels=margs.get("out_channels", 3), out_channels=margs.get("in_channels", 3))
        g_a, g_b = MODELS.build(cfg.model.name, cfg.model.args), MODELS.build(cfg.model.name, back)
        d_b = DISCRIMINATORS.build(
            cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=margs.get("out_channels", 3))
        )
        d_a = DISCRIMINATORS.build(
            cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=margs.get("in_channels", 3))
        )
        for m in (g_a, g_b, d_a, d_b):
            init_weights(m, self.args.init_gain)
        self.modules = {"G_A": ctx.wrap(g_a), "G_B": ctx.wrap(g_b), "D_A": ctx.wrap(d_a), "D_B": ctx.wrap(d_b)}
        t = cfg.train
        self.optimizers = {
            "G": torch.optim.Adam(list(g_a.parameters()) + list(g_b.parameters()), lr=t.lr, betas=t.betas),
            "D": torch.optim.Adam(list(d_a.parameters()) + list(d_b.parameters()), lr=t.lr, betas=t.betas),
        }
        self.gan = GANLoss(self.args.gan_mode)
        self.pools = {
            "A": ImagePool(self.args.pool_size, random.Random(t.seed)),
            "B": ImagePool(self.args.pool_size, random.Random(t.seed + 1)),
        }

    @property
    def generator(self) -> nn.Module:
        """The network that is exported: A -> B."""
        return unwrap(self.modules["G_A"])

    def _d_loss(self, d: nn.Module, real: Tensor, fake: Tensor) -> Tensor:
        loss = 0.5 * (self.gan(d(real), True) + self.gan(d(fake), False))
        if self.args.gan_mode == "wgangp":
            loss = loss + self.args.gp_weight * gradient_penalty(d, real, fake)
        return loss

    def step(self, batch: dict) -> dict[str, float]:
        a, b = batch["A"].to(self.ctx.device, non_blocking=True), batch["B"].to(self.ctx.device, non_blocking=True)
        G, Fm, D_A, D_B = self.modules["G_A"], self.modules["G_B"], self.modules["D_A"], self.modules["D_B"]
        lam, lam_idt = self.args.lambda_cycle, self.args.lambda_identity * self.args.lambda_cycle
        # Generators. The discriminators are called unwrapped (no DDP) and frozen: the G step must not
        # leave gradients in them, nor make DDP wait for gradients that never come.
        d_a_raw, d_b_raw = unwrap(D_A), unwrap(D_B)
        set_requires_grad(d_a_raw, False)
        set_requires_grad(d_b_raw, False)
        with self.ctx.autocast():
            fake_b, fake_a = G(a), Fm(b)
            rec_a, rec_b = Fm(fake_b), G(fake_a)
            adv = self.gan(d_b_raw(fake_b), True, False) + self.gan(d_a_raw(fake_a), True, False)
            cycle = F.l1_loss(rec_a.float(), a) + F.l1_loss(rec_b.float(), b)
            idt = torch.zeros((), device=a.device)
            if lam_idt > 0:
                idt = F.l1_loss(G(b).float(), b) + F.l1_loss(Fm(a).float(), a)
            loss_g = self.args.lambda_adv * adv + lam * cycle + lam_idt * idt
        self.ctx.backward(loss_g)
        self.ctx.step(self.optimizers["G"])
        # Discriminators, on pooled fakes.
        set_requires_grad(d_a_raw, True)
        set_requires_grad(d_b_raw, True)
        with self.ctx.autocast():
            loss_d = self._d_loss(D_B, b, self.pools["B"].query(fake_b)) + self._d_loss(
                D_A, a, self.pools["A"].query(fake_a)
            )
        self.ctx.backward(loss_d)
        self.ctx.step(self.optimizers["D"])
        return {
            "loss_G": loss_g.item(),
            "adv_G": adv.item(),
            "cycle": cycle.item(),
            "identity": idt.item(),
            "loss_D": loss_d.item(),
        }

    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        return translator_evaluation(generator or self.generator, unwrap(self.modules["G_B"]), batches, self.ctx.device)

    def sample(self, batch: dict, generator: nn.Module | None = None):
        G, Fm = generator or self.generator, unwrap(self.modules["G_B"])
        return translator_samples(G, Fm, batch, self.ctx.device), ["A", "G(A)", "F(G(A))", "B", "F(B)"]

    def extra_state(self) -> dict:
        return {"pools": {k: p.state_dict() for k, p in self.pools.items()}}

    def load_extra_state(self, state: dict) -> None:
        for k, p in self.pools.items():
            p.load_state_dict(state.get("pools", {}).get(k, {}))


OBJECTIVES.register("cyclegan", CycleGANObjective)
