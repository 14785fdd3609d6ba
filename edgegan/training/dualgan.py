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
from torch import Tensor, nn

from edgegan.config import Config, from_dict
from edgegan.errors import EdgeganError
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


class DualGANObjective:
    args_class = DualGANArgs

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        if self.args.critic not in ("clip", "gp"):
            raise EdgeganError(f"objective.args.critic must be clip or gp, got {self.args.critic!r}")
        self.ctx = ctx
        margs = MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
        ca, cb = margs.get("in_channels", 3), margs.get("out_channels", 3)
        g_a = MODELS.build(cfg.model.name, cfg.model.args)
        g_b = MODELS.build(cfg.model.name, dict(cfg.model.args, in_channels=cb, out_channels=ca))
        d_b = DISCRIMINATORS.build(cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=cb))
        d_a = DISCRIMINATORS.build(cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=ca))
        for m in (g_a, g_b, d_a, d_b):
            init_weights(m, self.args.init_gain)
        self.modules = {"G_A": ctx.wrap(g_a), "G_B": ctx.wrap(g_b), "D_A": ctx.wrap(d_a), "D_B": ctx.wrap(d_b)}
        t = cfg.train

        def opt(params):
            if self.args.optimizer == "rmsprop":
                return torch.optim.RMSprop(params, lr=t.lr, alpha=0.9)  # TensorFlow's decay=0.9
            if self.args.optimizer == "adam":
                return torch.optim.Adam(params, lr=t.lr, betas=t.betas)
            raise EdgeganError(f"objective.args.optimizer must be rmsprop or adam, got {self.args.optimizer!r}")

        self.optimizers = {
            "G": opt(list(g_a.parameters()) + list(g_b.parameters())),
            "D": opt(list(d_a.parameters()) + list(d_b.parameters())),
        }
        self.wgan = self.args.gan_mode == "wgan"
        self.gan = None if self.wgan else GANLoss(self.args.gan_mode)

    @property
    def generator(self) -> nn.Module:
        return unwrap(self.modules["G_A"])

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
        d_a, d_b = unwrap(self.modules["D_A"]), unwrap(self.modules["D_B"])
        set_requires_grad(d_a, False)
        set_requires_grad(d_b, False)
        with self.ctx.autocast():
            fake_b, fake_a = G_A(a), G_B(b)
            rec_a, rec_b = G_B(fake_b), G_A(fake_a)
            adv = self._adv(d_b(fake_b), True, False) + self._adv(d_a(fake_a), True, False)
            rec = self.args.lambda_A * F.l1_loss(rec_a.float(), a) + self.args.lambda_B * F.l1_loss(rec_b.float(), b)
            loss = adv + rec
        self.ctx.backward(loss)
        self.ctx.step(self.optimizers["G"])
        set_requires_grad(d_a, True)
        set_requires_grad(d_b, True)
        return {"loss_G": loss.item(), "adv_G": adv.item(), "recovery": rec.item()}

    def step(self, batch: dict) -> dict[str, float]:
        a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
        loss_d = self._critic_step(a, b)
        for _ in range(self.args.generator_steps):
            out = self._generator_step(a, b)
        return {**out, "loss_D": loss_d}

    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        return translator_evaluation(generator or self.generator, unwrap(self.modules["G_B"]), batches, self.ctx.device)

    def sample(self, batch: dict, generator: nn.Module | None = None):
        G, Fm = generator or self.generator, unwrap(self.modules["G_B"])
        return translator_samples(G, Fm, batch, self.ctx.device), ["A", "G_A(A)", "G_B(G_A(A))", "B", "G_B(B)"]

    def extra_state(self) -> dict:
        return {}

    def load_extra_state(self, state: dict) -> None:
        pass


OBJECTIVES.register("dualgan", DualGANObjective)
