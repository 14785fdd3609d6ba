"""DualGAN's objective (Yi et al. 2017): two translators G_A: A -> B and G_B: B -> A, Wasserstein critics.

    L_G   = -D_B(G_A(a)) - D_A(G_B(b)) + lambda_A |G_B(G_A(a)) - a|_1 + lambda_B |G_A(G_B(b)) - b|_1
    L_D_B = D_B(G_A(a)) - D_B(b)        (and the same for D_A), critic weights clipped to [-c, c]

as in the paper (WGAN with weight clipping, RMSProp, lr 5e-5, lambda_A = lambda_B = 20, the reference
code's defaults). ``critic="gp"`` replaces clipping by a gradient penalty (WGAN-GP), which trains more
stably; ``gan_mode`` other than ``wgan`` gives the cross-entropy loss of the reference code's later
version. The reference code takes one critic step and then two generator steps per iteration
(``generator_steps``).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from edgegan.config import Config
from edgegan.errors import EdgeganError
from edgegan.losses.adversarial import GANLoss, gradient_penalty
from edgegan.registry import OBJECTIVES
from edgegan.training.context import TrainContext, unwrap
from edgegan.training.two_domain import TwoDomainObjective, translators_and_discriminators


@dataclass
class DualGANArgs:
    gan_mode: str = "wgan"  # wgan (critic, no sigmoid) | vanilla | lsgan
    critic: str = "clip"  # clip (paper) | gp (gradient penalty); only for gan_mode=wgan
    clip: float = 0.01
    gp_weight: float = 10.0
    lambda_A: float = 20.0
    lambda_B: float = 20.0
    generator_steps: int = 2
    optimizer: str = "rmsprop"  # rmsprop (paper) | adam (uses train.betas)
    init_gain: float = 0.02


class DualGANObjective(TwoDomainObjective):
    args_class = DualGANArgs
    sample_labels = ("A", "G_A(A)", "G_B(G_A(A))", "B", "G_B(B)")

    def __init__(self, cfg: Config, ctx: TrainContext):
        super().__init__(cfg, ctx)
        if self.args.critic not in ("clip", "gp"):
            raise EdgeganError(f"objective.args.critic must be clip or gp, got {self.args.critic!r}")
        t = cfg.train

        def opt(params):
            if self.args.optimizer == "rmsprop":
                return torch.optim.RMSprop(params, lr=t.lr, alpha=0.9)  # TensorFlow's decay=0.9
            if self.args.optimizer == "adam":
                return torch.optim.Adam(params, lr=t.lr, betas=t.betas)
            raise EdgeganError(f"objective.args.optimizer must be rmsprop or adam, got {self.args.optimizer!r}")

        self._setup(translators_and_discriminators(cfg), opt, self.args.init_gain)
        self.wgan = self.args.gan_mode == "wgan"
        self.gan = None if self.wgan else GANLoss(self.args.gan_mode)

    def _adv(self, logits: Tensor, real: bool, for_d: bool) -> Tensor:
        if self.wgan:
            return -logits.float().mean() if real else logits.float().mean()
        return self.gan(logits, real, for_d)

    def _critic_step(self, a: Tensor, b: Tensor) -> float:
        G_A, G_B, D_A, D_B = (self.modules[k] for k in ("G_A", "G_B", "D_A", "D_B"))
        with torch.no_grad():
            fake_b, fake_a = G_A(a), G_B(b)
        with self.ctx.autocast():
            loss = (self._adv(D_B(b), True, True) + self._adv(D_B(fake_b), False, True)) + (
                self._adv(D_A(a), True, True) + self._adv(D_A(fake_a), False, True)
            )
            if self.wgan and self.args.critic == "gp":
                loss = loss + self.args.gp_weight * (
                    gradient_penalty(D_B, b, fake_b) + gradient_penalty(D_A, a, fake_a)
                )
        self.ctx.backward(loss)
        self.ctx.step(self.optimizers["D"])
        if self.wgan and self.args.critic == "clip" and self.ctx.micro == self.ctx.accumulate - 1:
            with torch.no_grad():  # the Lipschitz constraint of the original WGAN
                for d in (unwrap(D_A), unwrap(D_B)):
                    for p in d.parameters():
                        p.clamp_(-self.args.clip, self.args.clip)
        return loss.item()

    def _generator_step(self, a: Tensor, b: Tensor) -> dict[str, float]:
        G_A, G_B = self.modules["G_A"], self.modules["G_B"]
        with self._frozen_discriminators() as d_raw:
            with self.ctx.autocast():
                fake_b, fake_a = G_A(a), G_B(b)
                rec_a, rec_b = G_B(fake_b), G_A(fake_a)
                adv = self._adv(d_raw["D_B"](fake_b), True, False) + self._adv(d_raw["D_A"](fake_a), True, False)
                w = self.args
                rec = w.lambda_A * F.l1_loss(rec_a.float(), a) + w.lambda_B * F.l1_loss(rec_b.float(), b)
                loss = adv + rec
            self.ctx.backward(loss)
            self.ctx.step(self.optimizers["G"])
        return {"loss_G": loss.item(), "adv_G": adv.item(), "recovery": rec.item()}

    def step(self, batch: dict) -> dict[str, float]:
        a, b = self._domains(batch)
        loss_d = self._critic_step(a, b)
        for _ in range(self.args.generator_steps):
            out = self._generator_step(a, b)
        return {**out, "loss_D": loss_d}


OBJECTIVES.register("dualgan", DualGANObjective)
