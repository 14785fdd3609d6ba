"""StyleGAN2's objective (Karras et al. 2020), one optimizer step per network per call.

    L_G = softplus(-D(G(z)))                                   non-saturating logistic loss
          + [every pl_interval steps] pl_weight * pl_interval * (|J_w^T y|_2 - a)^2    path length reg.
    L_D = softplus(D(G(z))) + softplus(-D(x))
          + [every r1_interval steps] (gamma / 2) * r1_interval * |grad_x D(x)|^2      lazy R1

with y ~ N(0, I) / sqrt(H W) an image-shaped direction, J_w the Jacobian of the image w.r.t. ws and a
the running mean of the path lengths (decay 0.01). Lazy regularization (paper Sec. 3.1): the
regularizers run every k steps, scaled by k, and Adam's lr and betas are scaled by c = k / (k + 1)
(lr * c, beta ** c) to keep the same effective dynamics. Here the regularizer is added to the main
loss of that step rather than taking an optimizer step of its own, so each network takes exactly one
optimizer step per call (what the generic loop, gradient accumulation and DDP expect).

Style mixing (probability 0.9): a second z supplies the ws from a random crossover index on.
The generator EMA is the loop's ``train.ema`` (a copy of :attr:`generator`, buffers included, so the
tracked w_avg and stored noise follow). Batches come from ``data.layout: images``: ``batch["A"]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.config import Config, from_dict
from edgegan.metrics.domain import stats_distance
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import TrainContext, set_requires_grad, unwrap


@dataclass
class StyleGAN2Args:
    r1_gamma: float = 10.0  # R1 weight; ~ quadratic in resolution (stylegan2-ada: 1 for paper256)
    r1_interval: int = 16
    pl_weight: float = 2.0  # 0 turns path-length regularization off
    pl_interval: int = 4
    pl_decay: float = 0.01
    style_mixing: float = 0.9
    eval_samples: int = 16  # generated images compared with the fixed training batch in evaluate()


def nn_l1(fake: Tensor, real: Tensor, size: int = 16) -> float:
    """Mean over ``fake`` of the L1 distance to its nearest image in ``real``, both area-downsampled to
    ``size`` x ``size``: a cheap "do samples look like some training image" distance (not FID)."""
    a = F.adaptive_avg_pool2d(fake.float().clamp(-1, 1), size).flatten(1)
    b = F.adaptive_avg_pool2d(real.float(), size).flatten(1)
    return float(torch.cdist(a, b, p=1).min(dim=1).values.mean() / a.shape[1])


class StyleGAN2Objective:
    args_class = StyleGAN2Args

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = a = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.ctx = ctx
        g = MODELS.build(cfg.model.name, cfg.model.args)
        d = DISCRIMINATORS.build(cfg.discriminator.name, cfg.discriminator.args)
        # No init_weights: equalized learning rate needs its N(0, 1) weights.
        self.modules = {"G": ctx.wrap(g), "D": ctx.wrap(d)}
        t = cfg.train

        def adam(params, interval: int, enabled: bool):
            c = interval / (interval + 1) if enabled else 1.0
            return torch.optim.Adam(params, lr=t.lr * c, betas=(t.betas[0] ** c, t.betas[1] ** c), eps=1e-8)

        self.optimizers = {
            "G": adam(g.parameters(), a.pl_interval, a.pl_weight > 0),
            "D": adam(d.parameters(), a.r1_interval, a.r1_gamma > 0),
        }
        self.pl_mean = torch.zeros((), device=ctx.device)
        self.iteration = 0
        self.eval_z = torch.randn(a.eval_samples, g.z_dim, generator=torch.Generator().manual_seed(t.seed + 12345))

    @property
    def generator(self) -> nn.Module:
        return unwrap(self.modules["G"])

    def _z(self, n: int) -> Tensor:
        return torch.randn(n, self.generator.z_dim, device=self.ctx.device)

    def _fake(self, n: int, return_ws: bool = False):
        """G(z) with style mixing of probability ``style_mixing`` (one crossover for the batch)."""
        G, num_ws = self.modules["G"], self.generator.num_ws
        mix_z = crossover = None
        if self.args.style_mixing > 0 and float(torch.rand(())) < self.args.style_mixing:
            mix_z, crossover = self._z(n), int(torch.randint(1, num_ws, ()))
        return G(self._z(n), mix_z=mix_z, crossover=crossover, return_ws=return_ws)

    def step(self, batch: dict) -> dict[str, float]:
        real = batch["A"].to(self.ctx.device, non_blocking=True)
        n = real.shape[0]
        a = self.args
        do_pl = a.pl_weight > 0 and self.iteration % a.pl_interval == 0
        do_r1 = a.r1_gamma > 0 and self.iteration % a.r1_interval == 0
        out: dict[str, float] = {}
        D, d_raw = self.modules["D"], unwrap(self.modules["D"])

        # Generator: the discriminator is frozen and called unwrapped (no gradients left in it).
        set_requires_grad(d_raw, False)
        with self.ctx.autocast():
            fake, ws = self._fake(n, return_ws=True)
            loss_g = F.softplus(-d_raw(fake).float()).mean()
            out["loss_G"] = loss_g.item()
            if do_pl:
                # Path length (paper Eq. 4) on the same batch: |J_w^T y| with y ~ N(0, I) / sqrt(HW).
                y = torch.randn_like(fake) / math.sqrt(fake.shape[2] * fake.shape[3])
                (grad,) = torch.autograd.grad((fake.float() * y).sum(), ws, create_graph=True)
                lengths = grad.float().square().sum(2).mean(1).sqrt()
                self.pl_mean.copy_(self.pl_mean.lerp(lengths.mean().detach(), a.pl_decay))
                pl_penalty = (lengths - self.pl_mean).square().mean()
                loss_g = loss_g + pl_penalty * a.pl_weight * a.pl_interval
                out["pl_penalty"] = pl_penalty.item()
                out["pl_mean"] = self.pl_mean.item()
        self.ctx.backward(loss_g)
        self.ctx.step(self.optimizers["G"])

        # Discriminator: fakes and reals in one forward (one DDP forward per backward).
        set_requires_grad(d_raw, True)
        real_in = real.detach().requires_grad_(do_r1)
        with self.ctx.autocast():
            logits = D(torch.cat([fake.detach(), real_in])).float()
            fake_logits, real_logits = logits[:n], logits[n:]
            loss_d = F.softplus(fake_logits).mean() + F.softplus(-real_logits).mean()
            out["loss_D"] = loss_d.item()
            out["D_real"], out["D_fake"] = real_logits.mean().item(), fake_logits.mean().item()
            if do_r1:
                (grad,) = torch.autograd.grad(real_logits.sum(), real_in, create_graph=True)
                r1 = grad.float().square().sum(dim=(1, 2, 3)).mean()
                loss_d = loss_d + r1 * (a.r1_gamma / 2) * a.r1_interval
                out["r1_penalty"] = r1.item()
        self.ctx.backward(loss_d)
        self.ctx.step(self.optimizers["D"])
        if self.ctx.micro == self.ctx.accumulate - 1:
            self.iteration += 1
        return out

    @torch.no_grad()
    def _samples(self, generator: nn.Module | None) -> Tensor:
        G = generator or self.generator
        was = G.training
        G.eval()
        fake = G(self.eval_z.to(self.ctx.device), noise_mode="const")
        G.train(was)
        return fake

    @torch.no_grad()
    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        """Fixed z (``eval_samples`` of them), no truncation, stored noise, against the fixed training
        batch: ``sample_stats_dist_to_train`` (:func:`edgegan.metrics.domain.stats_distance`, nine
        low-level statistics) and ``sample_nn_l1_16px`` (:func:`nn_l1`). Both fall as G learns."""
        fake = self._samples(generator)
        real = batches["train"]["A"].to(self.ctx.device)
        return {
            "sample_stats_dist_to_train": stats_distance(fake.clamp(-1, 1), real),
            "sample_nn_l1_16px": nn_l1(fake, real, 16),
        }

    @torch.no_grad()
    def sample(self, batch: dict, generator: nn.Module | None = None) -> tuple[list[list[Tensor]], list[str]]:
        """Rows for a grid: training images, then fixed-z samples (two rows)."""
        fake = self._samples(generator).clamp(-1, 1).cpu()
        k = min(8, len(fake))
        rows = [list(batch["A"][:8]), list(fake[:k])]
        labels = ["train", "G(z)"]
        if len(fake) > k:
            rows.append(list(fake[k : 2 * k]))
            labels.append("G(z)")
        return rows, labels

    def extra_state(self) -> dict:
        return {"pl_mean": self.pl_mean.cpu(), "iteration": self.iteration}

    def load_extra_state(self, state: dict) -> None:
        if "pl_mean" in state:
            self.pl_mean.copy_(state["pl_mean"])
        self.iteration = int(state.get("iteration", 0))


OBJECTIVES.register("stylegan2", StyleGAN2Objective)
