"""U-GAT-IT's objective (Kim et al. 2020), one optimizer step at a time.

Two generators, G_s->t (``G_A``: A -> B, the exported one) and G_t->s (``G_B``: B -> A), and per domain
a global and a local discriminator (``D_A``/``D_A_local`` judge domain A). Every network returns
(output, cam_logit, heatmap). With lambdas 1 / 10 / 10 / 1000 (paper, Sec. 3.2)::

    L_lsgan(D, x) = (D(x) - 1)^2 on its patch logits + (D_cam(x) - 1)^2 on its CAM logits   (real target)
    L_G = lambda_adv * sum over D in {global, local} of L_lsgan(D_B, G(a)) + L_lsgan(D_A, F(b))
        + lambda_cycle * (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
        + lambda_identity * (|G(b) - b|_1 + |F(a) - a|_1)
        + lambda_cam * (BCE(eta_G(a), 1) + BCE(eta_G(b), 0) + BCE(eta_F(b), 1) + BCE(eta_F(a), 0))
    L_D = lambda_adv * sum over D of [(D(real) - 1)^2 + D(fake)^2] on patch and CAM logits

eta_G is the generator's auxiliary classifier: it learns which channels tell a source-domain input
(to be translated) from a target-domain one (to be left alone), and those weights are the attention.
After each G step every AdaLIN/ILN rho is clipped to [0, 1]. Adam with L2 weight decay 1e-4 on all
networks, as in the reference (lr and betas come from ``train``).

Order: the reference updates D first and then recomputes the fakes for G; here G steps first and D
reuses the same fakes, detached (as the CycleGAN objective does): one generator pass fewer per step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.config import Config
from edgegan.nn.adalin import clip_rho
from edgegan.registry import DISCRIMINATORS, OBJECTIVES
from edgegan.training.context import TrainContext, eval_mode, translator_evaluation, unwrap
from edgegan.training.two_domain import TwoDomainObjective, as_floats, discriminator, image_pools, translators


@dataclass
class UGATITArgs:
    lambda_adv: float = 1.0
    lambda_cycle: float = 10.0
    lambda_identity: float = 10.0  # absolute, not relative to lambda_cycle (unlike CycleGAN's 0.5)
    lambda_cam: float = 1000.0
    weight_decay: float = 1e-4
    # The config's ``discriminator`` is the global one; the local one is named here.
    local_discriminator: str = "ugatit_local"
    local_discriminator_args: dict[str, Any] = field(default_factory=dict)
    pool_size: int = 0  # the reference uses no image pool; > 0 turns CycleGAN's on


def _lsgan(logits: Tensor, real: bool) -> Tensor:
    logits = logits.float()  # losses in fp32 even under AMP
    return F.mse_loss(logits, torch.full_like(logits, 1.0 if real else 0.0))


def _bce(logits: Tensor, source: bool) -> Tensor:
    logits = logits.float()
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, 1.0 if source else 0.0))


def heatmap_image(heatmap: Tensor, size: tuple[int, int]) -> Tensor:
    """(N, 1, h, w) CAM heatmap -> (N, 3, H, W) grey image in [-1, 1], min-max scaled per image."""
    h = F.interpolate(heatmap.float(), size=size, mode="bilinear", align_corners=False)
    lo, hi = h.amin(dim=(2, 3), keepdim=True), h.amax(dim=(2, 3), keepdim=True)
    return ((h - lo) / (hi - lo).clamp_min(1e-8) * 2 - 1).expand(-1, 3, -1, -1)


class UGATITObjective(TwoDomainObjective):
    args_class = UGATITArgs

    @staticmethod
    def check_config(cfg: Config, args: UGATITArgs) -> None:
        """The local discriminator is named in the objective's arguments: check it before the run starts."""
        DISCRIMINATORS.get(args.local_discriminator).resolved_args(args.local_discriminator_args)

    def __init__(self, cfg: Config, ctx: TrainContext):
        super().__init__(cfg, ctx)
        g_a, g_b, c_in, c_out = translators(cfg)
        nets = {"G_A": g_a, "G_B": g_b}
        for domain, channels in (("A", c_in), ("B", c_out)):
            nets[f"D_{domain}"] = discriminator(cfg.discriminator.name, cfg.discriminator.args, channels)
            nets[f"D_{domain}_local"] = discriminator(
                self.args.local_discriminator, self.args.local_discriminator_args, channels
            )
        t, wd = cfg.train, self.args.weight_decay
        # PyTorch's default initialisation, as the reference (no N(0, 0.02) re-init).
        self._setup(nets, lambda params: torch.optim.Adam(params, lr=t.lr, betas=t.betas, weight_decay=wd), None)
        self.pools = image_pools(self.args.pool_size, t.seed)

    def _discriminators(self, domain: str) -> list[nn.Module]:
        return [self.modules[f"D_{domain}"], self.modules[f"D_{domain}_local"]]

    def _adv(self, ds: list[nn.Module], x: Tensor, real: bool) -> Tensor:
        """LSGAN on patch and CAM logits of every discriminator in ``ds``."""
        total = torch.zeros((), device=x.device)
        for d in ds:
            logits, cam_logit, _ = d(x)
            total = total + _lsgan(logits, real) + _lsgan(cam_logit, real)
        return total

    def step(self, batch: dict) -> dict[str, float]:
        """batch: {"A": (N, 3, H, W), "B": (N, 3, H, W)} in [-1, 1] -> losses as floats."""
        a, b = self._domains(batch)
        G, Fm = self.modules["G_A"], self.modules["G_B"]
        w = self.args
        with self._frozen_discriminators() as d_raw:  # generators first
            with self.ctx.autocast():
                fake_b, cam_g_a, _ = G(a)  # a is G's source domain: its CAM should say 1
                fake_a, cam_f_b, _ = Fm(b)
                rec_a, rec_b = Fm(fake_b)[0], G(fake_a)[0]
                idt_b, cam_g_b, _ = G(b)  # b is already G's target domain: CAM should say 0
                idt_a, cam_f_a, _ = Fm(a)
                adv = self._adv([d_raw["D_B"], d_raw["D_B_local"]], fake_b, True) + self._adv(
                    [d_raw["D_A"], d_raw["D_A_local"]], fake_a, True
                )
                cycle = F.l1_loss(rec_a.float(), a) + F.l1_loss(rec_b.float(), b)
                idt = F.l1_loss(idt_b.float(), b) + F.l1_loss(idt_a.float(), a)
                cam = _bce(cam_g_a, True) + _bce(cam_g_b, False) + _bce(cam_f_b, True) + _bce(cam_f_a, False)
                loss_g = w.lambda_adv * adv + w.lambda_cycle * cycle + w.lambda_identity * idt + w.lambda_cam * cam
            self.ctx.backward(loss_g)
            self.ctx.step(self.optimizers["G"])
            # The paper's constraint rho in [0, 1], applied to the parameter after every update.
            clip_rho(unwrap(G))
            clip_rho(unwrap(Fm))
        # Discriminators, on the same fakes (detached; pooled when pool_size > 0).
        with self.ctx.autocast():
            fb, fa = self.pools["B"].query(fake_b.detach()), self.pools["A"].query(fake_a.detach())
            loss_d = w.lambda_adv * (
                self._adv(self._discriminators("B"), b, True)
                + self._adv(self._discriminators("B"), fb, False)
                + self._adv(self._discriminators("A"), a, True)
                + self._adv(self._discriminators("A"), fa, False)
            )
        self.ctx.backward(loss_d)
        self.ctx.step(self.optimizers["D"])
        return as_floats(loss_G=loss_g, adv_G=adv, cycle=cycle, identity=idt, cam_G=cam, loss_D=loss_d)

    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        G, Fm = self._pair(generator)  # image-only modules: the networks also return CAM logits and heatmaps
        return translator_evaluation(G.export_module(), Fm.export_module(), batches, self.ctx.device)

    def sample(self, batch: dict, generator: nn.Module | None = None) -> tuple[list[list[Tensor]], list[str]]:
        """Rows of (3, H, W) images in [-1, 1]: A, G's attention heatmap on A, G(A), F(G(A)), B, F(B)."""
        G, Fm = self._pair(generator)
        with eval_mode(G, Fm):
            a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
            fake_b, _, heat = G(a)
            rows = [list(a), list(heatmap_image(heat, a.shape[2:])), list(fake_b), list(Fm(fake_b)[0]), list(b)]
            rows.append(list(Fm(b)[0]))
        return rows, ["A", "CAM G(A)", "G(A)", "F(G(A))", "B", "F(B)"]


OBJECTIVES.register("ugatit", UGATITObjective)
