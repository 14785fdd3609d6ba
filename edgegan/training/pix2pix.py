"""pix2pix's objective (Isola et al. 2017): a conditional GAN plus L1 to the paired target.

    L_G = L_GAN(D(a, G(a)), real) + lambda_l1 * |G(a) - b|_1          (lambda_l1 = 100)
    L_D = 0.5 * (L_GAN(D(a, b), real) + L_GAN(D(a, G(a)), fake))

The discriminator sees input and output concatenated, so it judges whether the output fits the input.
With ``lambda_gan = 0`` no discriminator is built and this is plain paired regression: how a fast student
is fitted to a teacher's outputs (the compression issue builds distillation on top).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from edgegan.config import Config, from_dict
from edgegan.losses.adversarial import GANLoss
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import PairedObjective, TrainContext, init_weights, set_requires_grad, unwrap


@dataclass
class Pix2PixArgs:
    gan_mode: str = "vanilla"
    lambda_gan: float = 1.0
    lambda_l1: float = 100.0
    init_gain: float = 0.02


class Pix2PixObjective(PairedObjective):
    args_class = Pix2PixArgs

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.ctx = ctx
        margs = MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
        g = MODELS.build(cfg.model.name, cfg.model.args)
        init_weights(g, self.args.init_gain)
        self.modules = {"G": ctx.wrap(g)}
        t = cfg.train
        self.optimizers = {"G": torch.optim.Adam(g.parameters(), lr=t.lr, betas=t.betas)}
        if self.args.lambda_gan > 0:
            d_in = margs.get("in_channels", 3) + margs.get("out_channels", 3)
            d = DISCRIMINATORS.build(cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=d_in))
            init_weights(d, self.args.init_gain)
            self.modules["D"] = ctx.wrap(d)
            self.optimizers["D"] = torch.optim.Adam(d.parameters(), lr=t.lr, betas=t.betas)
        self.gan = GANLoss(self.args.gan_mode)

    def step(self, batch: dict) -> dict[str, float]:
        a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
        G = self.modules["G"]
        use_gan = "D" in self.modules
        if use_gan:
            d_raw = unwrap(self.modules["D"])
            set_requires_grad(d_raw, False)  # the G step leaves no gradients in D (see CycleGAN's objective)
        with self.ctx.autocast():
            fake = G(a)
            l1 = F.l1_loss(fake.float(), b)
            adv = self.gan(d_raw(torch.cat([a, fake], 1)), True, False) if use_gan else torch.zeros((), device=a.device)
            loss_g = self.args.lambda_gan * adv + self.args.lambda_l1 * l1
        self.ctx.backward(loss_g)
        self.ctx.step(self.optimizers["G"])
        out = {"loss_G": loss_g.item(), "l1": l1.item()}
        if use_gan:
            set_requires_grad(d_raw, True)
            D = self.modules["D"]
            with self.ctx.autocast():
                real_logits = D(torch.cat([a, b], 1))
                fake_logits = D(torch.cat([a, fake.detach()], 1))
                loss_d = 0.5 * (self.gan(real_logits, True) + self.gan(fake_logits, False))
            self.ctx.backward(loss_d)
            self.ctx.step(self.optimizers["D"])
            out.update(adv_G=adv.item(), loss_D=loss_d.item())
        return out

    @staticmethod
    def metrics(y: torch.Tensor, b: torch.Tensor) -> dict[str, float]:
        """L1 of G(A) to the paired target B (``evaluate`` runs G in eval mode: the paper's test protocol keeps
        train mode; a deployed generator must be deterministic)."""
        return {"l1_to_B": F.l1_loss(y, b).item()}


OBJECTIVES.register("pix2pix", Pix2PixObjective)
