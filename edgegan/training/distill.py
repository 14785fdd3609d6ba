"""Distillation: a student learns a teacher's mapping from the teacher's own outputs.

    L = lambda_l1 * |S(a) - T(a)|_1 + lambda_mse * |S(a) - T(a)|^2
      + lambda_feat * sum_k |map_k(S_k(a)) - T_k(a)|^2          (intermediate features, GAN Compression)
      + lambda_gan * L_GAN(D(a, S(a)), real)                    (optional conditional discriminator)
      + lambda_temporal * L_temp                                (optional, ReCoNet-style, on video pairs)

``T(a)`` is read from a ``paired_folders`` cache (:mod:`edgegan.compress.cache`): the teacher labelled
every input once, so an unpaired teacher (CycleGAN, U-GAT-IT) gives a paired, supervised target. The
feature term needs the teacher's activations, which are not cached (one 64x64x256 map is 4 MB per
image): the teacher runs on each batch, so it is the expensive option, meant for GPUs. Each
``features`` entry pairs a student module with a teacher module (dotted names as in ``named_modules``);
a learned 1x1 convolution maps the student's channels to the teacher's, and the student's map is resized
to the teacher's if the resolutions differ. ``init`` starts the student from a checkpoint's weights (a
pruned parent, or an earlier stage), whatever its widths.

The temporal term (Gao et al., ReCoNet, output-level loss) needs no teacher labels: on consecutive frames
(I_p, I_t) of the videos in ``temporal_videos`` (:class:`edgegan.data.video_pairs.VideoPairs`), with the
input's backward flow W and occlusion mask M, the student's change between frames should be the input's
change in luminance: L_temp = mean(M * ((S(I_t) - W(S(I_p))) - (Y(I_t) - W(Y(I_p))))^2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from edgegan.config import Config, from_dict
from edgegan.data.video_pairs import VideoPairs
from edgegan.errors import EdgeganError
from edgegan.flow import flow_warp
from edgegan.importers import open_model
from edgegan.losses.adversarial import GANLoss
from edgegan.models import load_model
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import PairedObjective, TrainContext, eval_mode, init_weights, set_requires_grad, unwrap


@dataclass
class DistillArgs:
    lambda_l1: float = 1.0
    lambda_mse: float = 0.0
    teacher: str = ""  # teacher checkpoint: needed only by the feature term
    features: list = field(default_factory=list)  # [[student_module, teacher_module], ...]
    lambda_feat: float = 0.0
    lambda_gan: float = 0.0
    gan_mode: str = "lsgan"
    init: str = ""  # checkpoint whose weights (and widths) the student starts from
    warm_start: str = ""  # checkpoint whose weights of the same name and shape the recipe's student starts from
    init_gain: float = 0.02
    lambda_temporal: float = 0.0
    temporal_videos: list = field(default_factory=list)  # folders or files of videos for the temporal term
    temporal_batch: int = 4
    temporal_gap: int = 1  # frames between the two of a pair
    hard_fraction: float = 1.0  # the L1 term averages only this fraction of each batch's views, the worst ones


def hardest_l1(fake: torch.Tensor, target: torch.Tensor, fraction: float = 1.0) -> torch.Tensor:
    """L1 per view, averaged over the ``fraction`` of the batch with the largest error (at least one view): a
    loss aimed at the worst case (CVaR of the per-view error); 1.0 is the plain mean L1."""
    per_view = (fake - target).abs().flatten(1).mean(1)
    if fraction >= 1.0:
        return per_view.mean()
    k = max(1, math.ceil(fraction * per_view.numel()))
    return per_view.topk(k).values.mean()


def warm_start(student: nn.Module, parent: nn.Module, where: str) -> int:
    """Copy into ``student`` every parameter and buffer of ``parent`` with the same name and shape (a student
    grown from a trained one: the new parts keep their initialisation); the number copied. None: an error."""
    own = student.state_dict()
    same = {k: v for k, v in parent.state_dict().items() if k in own and own[k].shape == v.shape}
    if not same:
        raise EdgeganError(f"objective.args.warm_start: no weight of {where} fits the recipe's student")
    student.load_state_dict(same, strict=False)
    return len(same)


class _Features:
    """Forward hooks that keep the last output of named modules."""

    def __init__(self, model: nn.Module, names: list[str], role: str):
        self.out: dict[str, torch.Tensor] = {}
        modules = dict(model.named_modules())
        for name in names:
            if name not in modules:
                raise EdgeganError(f"objective.args.features: the {role} has no module {name!r}")
            modules[name].register_forward_hook(self._keep(name))

    def _keep(self, name: str):
        def hook(_module, _inputs, output):
            self.out[name] = output

        return hook


def _channels(model: nn.Module, name: str, size: int = 64) -> int:
    feats = _Features(model, [name], "model")
    with torch.no_grad(), eval_mode(model):
        model(torch.zeros(1, 3, size, size))
    return feats.out[name].shape[1]


class DistillObjective(PairedObjective):
    args_class = DistillArgs
    sample_labels = ("input", "student", "teacher")

    @staticmethod
    def check_config(cfg: Config, args: DistillArgs) -> None:

        if args.features and args.lambda_feat > 0 and not args.teacher:
            raise EdgeganError("objective.args.features needs objective.args.teacher (a checkpoint directory)")
        for pair in args.features:
            if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(n, str) for n in pair)):
                raise EdgeganError(f"objective.args.features entries are [student, teacher] module names: {pair!r}")
        if args.init and args.warm_start:
            raise EdgeganError("objective.args.init and objective.args.warm_start exclude each other: give one")
        for key in ("teacher", "init", "warm_start"):
            if getattr(args, key):
                open_model(getattr(args, key)).require_checkpoint(f"objective.args.{key}")  # clear error now
        if args.lambda_temporal > 0 and not args.temporal_videos:
            raise EdgeganError("objective.args.lambda_temporal > 0 needs objective.args.temporal_videos")
        if args.lambda_gan > 0 and not cfg.discriminator.name:
            raise EdgeganError("objective.args.lambda_gan > 0 needs a discriminator (discriminator.name)")
        if not 0.0 < args.hard_fraction <= 1.0:
            raise EdgeganError(f"objective.args.hard_fraction must be in (0, 1], got {args.hard_fraction}")

    def __init__(self, cfg: Config, ctx: TrainContext):

        self.args = a = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.check_config(cfg, a)
        self.ctx = ctx
        if a.init:
            g = load_model(open_model(a.init)).train()
        else:
            g = MODELS.build(cfg.model.name, cfg.model.args)
            init_weights(g, a.init_gain)
            if a.warm_start:
                warm_start(g, load_model(open_model(a.warm_start)), a.warm_start)
        g = g.to(ctx.device)
        self.modules: dict[str, nn.Module] = {"G": ctx.wrap(g)}
        params = list(g.parameters())
        self.pairs = [tuple(p) for p in a.features] if a.lambda_feat > 0 else []
        if self.pairs:
            self.teacher = load_model(open_model(a.teacher), ctx.device)
            set_requires_grad(self.teacher, False)
            self.t_feats = _Features(self.teacher, [t for _, t in self.pairs], "teacher")
            self.s_feats = _Features(g, [s for s, _ in self.pairs], "student")
            maps = nn.ModuleList(nn.Conv2d(_channels(g, s), _channels(self.teacher, t), 1) for s, t in self.pairs).to(
                ctx.device
            )
            self.modules["maps"] = ctx.wrap(maps)
            params += list(maps.parameters())
        t = cfg.train
        self.optimizers = {"G": torch.optim.Adam(params, lr=t.lr, betas=t.betas)}
        if a.lambda_gan > 0:
            margs = MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
            d_in = margs.get("in_channels", 3) + margs.get("out_channels", 3)
            d = DISCRIMINATORS.build(cfg.discriminator.name, dict(cfg.discriminator.args, in_channels=d_in))
            init_weights(d, a.init_gain)
            self.modules["D"] = ctx.wrap(d.to(ctx.device))
            self.optimizers["D"] = torch.optim.Adam(d.parameters(), lr=t.lr, betas=t.betas)
        self.gan = GANLoss(a.gan_mode)
        self.video_pairs = None
        if a.lambda_temporal > 0:
            self.video_pairs = VideoPairs(
                a.temporal_videos, size=cfg.data.load_size, crop=min(cfg.data.crop_size, 128), gap=a.temporal_gap,
                seed=cfg.train.seed,
            )  # fmt: skip

    def _temporal_loss(self) -> torch.Tensor:

        v = {k: t.to(self.ctx.device) for k, t in self.video_pairs.sample(self.args.temporal_batch).items()}
        both = self.modules["G"](torch.cat([v["prev"], v["cur"]])).float()
        out_prev, out_cur = both.chunk(2)

        def luma(x):
            return (0.299 * x[:, :1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]).expand_as(x)

        change_out = out_cur - flow_warp(out_prev, v["flow"])
        change_in = luma(v["cur"]) - flow_warp(luma(v["prev"]), v["flow"])
        return (v["mask"] * (change_out - change_in) ** 2).mean()

    def _feature_loss(self, a: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            self.teacher(a)
        maps = unwrap(self.modules["maps"])
        loss = torch.zeros((), device=a.device)
        for (s, t), m in zip(self.pairs, maps, strict=True):
            fs, ft = m(self.s_feats.out[s].float()), self.t_feats.out[t].float()
            if fs.shape[-2:] != ft.shape[-2:]:
                fs = F.interpolate(fs, size=ft.shape[-2:], mode="bilinear", align_corners=False)
            loss = loss + F.mse_loss(fs, ft)
        return loss

    def step(self, batch: dict) -> dict[str, float]:
        a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
        args = self.args
        use_gan = "D" in self.modules
        if use_gan:
            d_raw = unwrap(self.modules["D"])
            set_requires_grad(d_raw, False)
        with self.ctx.autocast():
            fake = self.modules["G"](a)
            l1 = hardest_l1(fake.float(), b, args.hard_fraction)
            loss = args.lambda_l1 * l1
            out = {"l1": l1.item()}
            if args.lambda_mse > 0:
                mse = F.mse_loss(fake.float(), b)
                loss = loss + args.lambda_mse * mse
                out["mse"] = mse.item()
            if self.pairs:
                feat = self._feature_loss(a)
                loss = loss + args.lambda_feat * feat
                out["feat"] = feat.item()
            if self.video_pairs is not None:
                temporal = self._temporal_loss()
                loss = loss + args.lambda_temporal * temporal
                out["temporal"] = temporal.item()
            if use_gan:
                adv = self.gan(d_raw(torch.cat([a, fake], 1)), True, False)
                loss = loss + args.lambda_gan * adv
                out["adv_G"] = adv.item()
        self.ctx.backward(loss)
        self.ctx.step(self.optimizers["G"])
        out["loss_G"] = loss.item()
        if use_gan:
            set_requires_grad(d_raw, True)
            D = self.modules["D"]
            with self.ctx.autocast():
                loss_d = 0.5 * (
                    self.gan(D(torch.cat([a, b], 1)), True) + self.gan(D(torch.cat([a, fake.detach()], 1)), False)
                )
            self.ctx.backward(loss_d)
            self.ctx.step(self.optimizers["D"])
            out["loss_D"] = loss_d.item()
        return out

    @staticmethod
    def metrics(y: torch.Tensor, b: torch.Tensor) -> dict[str, float]:
        """L1 and PSNR (dB, images in [-1, 1] taken to [0, 1]) of the student against the teacher's outputs
        (``evaluate`` runs the student in eval mode: what the exported student computes)."""
        mse = ((y - b) / 2).pow(2).flatten(1).mean(1).clamp_min(1e-12)
        return {"l1_to_teacher": F.l1_loss(y, b).item(), "psnr_to_teacher": (10 * torch.log10(1.0 / mse)).mean().item()}


OBJECTIVES.register("distill", DistillObjective)
