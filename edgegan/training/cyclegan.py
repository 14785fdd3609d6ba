"""CycleGAN's objective (Zhu et al. 2017), one optimizer step at a time.

Symbols as in the paper: G: A -> B (``G_A``), F: B -> A (``G_B``), D_B judges domain B (``D_A`` in the
reference code, which names discriminators by the generator they train against; here they are named
by the domain they judge).

    L_G = lambda_adv * (L_GAN(G, D_B) + L_GAN(F, D_A)) + lambda_cycle * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
          + lambda_identity * lambda_cycle * (|G(b) - b|_1 + |F(a) - a|_1)
    L_D = 0.5 * (L_GAN(D(real), real) + L_GAN(D(pool(fake)), fake))   for each discriminator
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.config import Config
from edgegan.losses.adversarial import GANLoss, gradient_penalty
from edgegan.registry import OBJECTIVES
from edgegan.training.context import TrainContext
from edgegan.training.two_domain import TwoDomainObjective, as_floats, image_pools, translators_and_discriminators


@dataclass
class CycleGANArgs:
    gan_mode: str = "lsgan"
    lambda_adv: float = 1.0
    lambda_cycle: float = 10.0
    lambda_identity: float = 0.5  # relative to lambda_cycle, as in the paper's code
    pool_size: int = 50
    gp_weight: float = 10.0  # only for gan_mode=wgangp
    init_gain: float = 0.02


class CycleGANObjective(TwoDomainObjective):
    args_class = CycleGANArgs

    def __init__(self, cfg: Config, ctx: TrainContext):
        super().__init__(cfg, ctx)
        t = cfg.train
        self._setup(
            translators_and_discriminators(cfg),
            lambda params: torch.optim.Adam(params, lr=t.lr, betas=t.betas),
            self.args.init_gain,
        )
        self.gan = GANLoss(self.args.gan_mode)
        self.pools = image_pools(self.args.pool_size, t.seed)

    def _d_loss(self, d: nn.Module, real: Tensor, fake: Tensor) -> Tensor:
        loss = 0.5 * (self.gan(d(real), True) + self.gan(d(fake), False))
        if self.args.gan_mode == "wgangp":
            loss = loss + self.args.gp_weight * gradient_penalty(d, real, fake)
        return loss

    def step(self, batch: dict) -> dict[str, float]:
        a, b = self._domains(batch)
        G, Fm, D_A, D_B = self.modules["G_A"], self.modules["G_B"], self.modules["D_A"], self.modules["D_B"]
        lam, lam_idt = self.args.lambda_cycle, self.args.lambda_identity * self.args.lambda_cycle
        with self._frozen_discriminators() as d_raw:  # generators first
            with self.ctx.autocast():
                fake_b, fake_a = G(a), Fm(b)
                rec_a, rec_b = Fm(fake_b), G(fake_a)
                adv = self.gan(d_raw["D_B"](fake_b), True, False) + self.gan(d_raw["D_A"](fake_a), True, False)
                cycle = F.l1_loss(rec_a.float(), a) + F.l1_loss(rec_b.float(), b)
                idt = torch.zeros((), device=a.device)
                if lam_idt > 0:
                    idt = F.l1_loss(G(b).float(), b) + F.l1_loss(Fm(a).float(), a)
                loss_g = self.args.lambda_adv * adv + lam * cycle + lam_idt * idt
            self.ctx.backward(loss_g)
            self.ctx.step(self.optimizers["G"])
        # Discriminators, on pooled fakes.
        with self.ctx.autocast():
            loss_d = self._d_loss(D_B, b, self.pools["B"].query(fake_b)) + self._d_loss(
                D_A, a, self.pools["A"].query(fake_a)
            )
        self.ctx.backward(loss_d)
        self.ctx.step(self.optimizers["D"])
        return as_floats(loss_G=loss_g, adv_G=adv, cycle=cycle, identity=idt, loss_D=loss_d)


OBJECTIVES.register("cyclegan", CycleGANObjective)
