"""Latent generators in use: sampling by seed, style-mixing grids, pseudo-pairs for distillation, and
projection of a photo into W.

- :func:`generate`: ``seed{NNNN}.png`` per seed and ``style_mixing.png`` (row seeds give the coarse
  styles, column seeds the rest), from a StyleGAN2 checkpoint. A seed becomes a latent the way NVlabs'
  ``generate.py`` (stylegan2-ada-pytorch) and ``gen_images.py`` (stylegan3) make it (see
  :data:`SEED_RULES`), truncation is theirs (all ws pulled towards the stored mean w) and so are the
  noise modes, so an NVlabs ``.pkl`` imported with ``edgegan import stylegan2`` gives the images those
  scripts give for the same ``--seeds``, ``--trunc`` and ``--noise-mode`` (to uint8 rounding).
- :func:`pseudo_pairs`: any teacher -> a ``paired_folders`` dataset (``out/train/A``, ``out/train/B``,
  matching names) that a fast image-to-image student can be trained on:
    * image-input teachers (``io.input == "image"``, e.g. CycleGAN): A = an input image (short side
      resized to ``size``, centre-cropped square), B = teacher(A);
    * latent teachers (StyleGAN2): A = G(seed) and B = the same ws with the fine layers (from
      ``crossover`` on) replaced by those of one fixed style seed: the content (pose, layout) of A
      rendered in one style (colours, texture), i.e. a style-transfer pair; truncation psi applies
      to both.
- :func:`project`: optimize w (one w for all layers, "W" not "W+") and the noise maps so that G(w)
  reproduces an image. LPIPS needs pretrained weights that are not available offline, so the loss is
  pixel MSE plus an L1 loss on an average-pooled image pyramid (2x, 4x, 8x), with the paper's noise
  regularization (autocorrelation of each noise map at several scales) and its ramped w noise.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from edgegan.data.transforms import tensor_to_uint8
from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import atomic_dir, check_replaceable, ensure_writable_dir, write_json
from edgegan.media import center_square, collect_inputs, image_grid, load_image, save_image
from edgegan.models import load_model
from edgegan.runtime.stylizer import Stylizer


def parse_seeds(text: str) -> list[int]:
    """Parse "0-7,10,12-13" into [0, ..., 7, 10, 12, 13]; non-negative whole numbers only."""
    seeds: list[int] = []
    for part in str(text).split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise EdgeganError(f"bad seed list {text!r}: expected numbers and ranges like 0-7,10")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo:
            raise EdgeganError(f"bad seed range {part!r}: the end is smaller than the start")
        seeds.extend(range(lo, hi + 1))
    if len(seeds) > 10_000:
        raise EdgeganError(f"{len(seeds)} seeds requested; at most 10000 at once")
    return seeds


SEED_RULES = {
    # NVlabs' scripts: a legacy Mersenne-Twister RandomState seeded with the image seed, z_dim standard
    # normals (its polar-method gauss, "randn") drawn in float64; their mapping network casts them to float32 first.
    "nvlabs": "np.random.RandomState(seed).randn(1, z_dim), as NVlabs' generate.py / gen_images.py",
    # edgegan's own rule before the NVlabs one became the default; kept to reproduce images made then.
    "pcg64": "np.random.default_rng(seed).standard_normal((1, z_dim)), edgegan's rule before the NVlabs one",
}
DEFAULT_SEED_RULE = "nvlabs"
NOISE_MODES = {
    "const": "the noise maps stored with the weights",
    "random": "fresh noise maps from torch.Generator().manual_seed(seed), the image's own seed",
    "none": "no noise",
}
DEFAULT_NOISE_MODE = "const"
MAX_SEED = 2**32 - 1  # NumPy's RandomState takes a 32-bit seed
PAIRS_TRUNC = 0.7  # pseudo-pairs' truncation psi: typical faces, the range a student learns best
PAIRS_STYLE_SEED = 1000  # the seed whose fine styles make every B


def check_seeds(seeds, rule: str = DEFAULT_SEED_RULE) -> None:
    """One-line errors for an unknown seed rule or a seed it cannot take (each rule takes 0..2**32-1)."""
    if rule not in SEED_RULES:
        raise EdgeganError(f"unknown seed rule {rule!r}: expected one of {', '.join(SEED_RULES)}")
    for s in seeds:
        if not 0 <= int(s) <= MAX_SEED:
            raise EdgeganError(f"seed {s} is out of range: seeds are whole numbers from 0 to {MAX_SEED}")


def z_from_seed(seed: int, z_dim: int, rule: str = DEFAULT_SEED_RULE) -> Tensor:
    """The latent of ``seed``: (1, z_dim) float32 ~ N(0, I), the same on every machine. ``rule``: one of
    :data:`SEED_RULES`; "nvlabs" (the default) gives NVlabs' latent for the seed, rounded to float32 as their
    mapping network rounds it."""
    check_seeds([seed], rule)
    if rule == "nvlabs":
        z = np.random.RandomState(int(seed)).randn(1, z_dim)
    else:
        z = np.random.default_rng(int(seed)).standard_normal((1, z_dim))
    return torch.from_numpy(z.astype(np.float32))


def check_noise_mode(mode: str) -> str:
    if mode not in NOISE_MODES:
        raise EdgeganError(f"unknown noise mode {mode!r}: expected one of {', '.join(NOISE_MODES)}")
    return mode


def seed_noise(G, seed: int, mode: str) -> list[Tensor] | None:
    """The noise maps for the image of ``seed`` (one (1, 1, r, r) tensor per conv layer), or None for the
    synthesis network's own handling of ``mode`` ("const": stored maps, "none": none). "random" draws
    them from a torch generator seeded with ``seed``, so the same seed gives the same image on rerun
    (NVlabs draws them from torch's unseeded global generator: their random-noise images never repeat)."""
    if check_noise_mode(mode) != "random":
        return None
    gen = torch.Generator().manual_seed(int(seed))
    return [torch.randn(layer.noise_const.shape, generator=gen) for layer in G.synthesis.noise_layers()]


def synthesize(G, ws: Tensor, mode: str, seeds: list[int]) -> Tensor:
    """G.synthesis of ``ws`` (N, num_ws, w_dim) with the noise of ``mode``; ``seeds``: one per row of ``ws``,
    whose random noise the row gets (only "random" uses them)."""
    noises = [seed_noise(G, s, mode) for s in seeds]
    if noises[0] is None:
        return G.synthesis(ws, mode)
    return G.synthesis(ws, noise=[torch.cat(maps) for maps in zip(*noises, strict=True)])


def load_latent_generator(path: str | os.PathLike, device: str = "cpu"):
    """Load a StyleGAN2 checkpoint (eval mode); a one-line error for anything else."""

    ref = open_model(path)
    if ref.io.input != "latent":
        raise EdgeganError(
            f"{str(path)!r} takes an image input, not a latent: use edgegan stylize (or --inputs for pseudo-pairs)"
        )
    model = load_model(ref.require_checkpoint("generation"), device)
    if not hasattr(model, "synthesis"):
        raise EdgeganError(f"{str(path)!r} is a latent model without a style-based synthesis network")
    return model


def _check_psi(psi: float, option: str = "--trunc") -> float:
    if not math.isfinite(psi) or not -1.0 <= psi <= 2.0:
        raise EdgeganError(f"{option} must be between -1 and 2 (1 = no truncation), got {psi}")
    return float(psi)


def coarse_crossover(num_ws: int) -> int:
    """ws before this index are "coarse" (4x4 and 8x8, paper: pose, face shape); at least half kept."""
    return min(4, max(1, num_ws // 2))


@torch.no_grad()
def generate(
    model: str | os.PathLike,
    seeds: list[int],
    out: str | os.PathLike,
    psi: float = 1.0,
    grid: bool = True,
    crossover: int | None = None,
    seed_rule: str = DEFAULT_SEED_RULE,
    noise_mode: str = DEFAULT_NOISE_MODE,
) -> list[Path]:
    """Write ``seed{NNNN}.png`` for every seed and, if ``grid`` and there are 2+ seeds,
    ``style_mixing.png``: rows and columns are the first 8 seeds; cell (r, c) takes ws[:crossover]
    from row seed r and the rest (and, with random noise, the noise) from column seed c.

    ``psi``: truncation of every ws towards the model's mean w (NVlabs' ``--trunc``; 1 = none);
    ``seed_rule``: how a seed becomes z (:data:`SEED_RULES`); ``noise_mode``: :data:`NOISE_MODES`."""

    if not seeds:
        raise EdgeganError("no seeds given")
    psi = _check_psi(psi)
    check_seeds(seeds, seed_rule)
    check_noise_mode(noise_mode)
    G = load_latent_generator(model)
    out = ensure_writable_dir(out)
    ws = {s: G.map(z_from_seed(s, G.z_dim, seed_rule), psi) for s in dict.fromkeys(seeds)}
    written = []
    for s, w in ws.items():
        path = out / f"seed{s:04d}.png"
        save_image(path, tensor_to_uint8(synthesize(G, w, noise_mode, [s])[0]))
        written.append(path)
    if grid and len(ws) > 1:
        cut = coarse_crossover(G.num_ws) if crossover is None else crossover
        if not 1 <= cut < G.num_ws:
            raise EdgeganError(f"crossover must be between 1 and {G.num_ws - 1}, got {cut}")
        keys = list(ws)[:8]
        header = [tensor_to_uint8(synthesize(G, ws[c], noise_mode, [c])[0]) for c in keys]
        rows = [[np.full_like(header[0], 255)] + header]
        for r in keys:
            mixed = synthesize(G, torch.cat([G.mix(ws[r], ws[c], cut) for c in keys]), noise_mode, keys)
            rows.append([header[keys.index(r)]] + [tensor_to_uint8(m) for m in mixed])
        labels = ["cols: fine"] + [f"coarse {r}" for r in keys]
        path = out / "style_mixing.png"
        save_image(path, image_grid(rows, labels, ["", *[f"seed {c}" for c in keys]], cell=min(192, G.resolution * 2)))
        written.append(path)
    return written


@torch.no_grad()
def pseudo_pairs(
    teacher: str | os.PathLike,
    out: str | os.PathLike,
    inputs: list[str] | None = None,
    count: int | None = None,
    size: int = 256,
    psi: float = PAIRS_TRUNC,
    style_seed: int = PAIRS_STYLE_SEED,
    crossover: int | None = None,
    seed: int = 0,
    seed_rule: str = DEFAULT_SEED_RULE,
) -> Path:
    """Write a ``paired_folders`` dataset ``out/train/{A,B}/NNNNNN.png`` (+ ``out/pairs.json``); see the
    module docstring for what A and B are per teacher kind. Returns ``out``. A latent teacher's pair k is
    drawn from seed ``seed + k`` by ``seed_rule`` (:data:`SEED_RULES`), with the stored noise."""

    if count is not None and count < 1:
        raise EdgeganError(f"--count must be at least 1, got {count}")
    if size < 8:
        raise EdgeganError(f"--size must be at least 8 pixels, got {size}")
    ref = open_model(teacher)
    kind = ref.io.input
    out = ensure_writable_dir(out)
    info: dict = {"teacher": ref.spec, "teacher_input": kind, "layout": "paired_folders"}
    train = out / "train"
    if not (out / "pairs.json").is_file():  # not a dataset this command wrote: its train/ is the user's
        check_replaceable(train)
    for item in inputs or []:  # reading from the folder about to be replaced would lose the inputs
        if Path(item).resolve().is_relative_to(train.resolve()):
            raise EdgeganError(f"--inputs {item!r} lies inside the output {str(train)!r}: choose another --out")
    with atomic_dir(train, replace_any=True) as tmp:
        if kind == "latent":
            if inputs:
                raise EdgeganError("--inputs is for image-input teachers; a latent teacher (StyleGAN2) makes its own A")
            psi = _check_psi(psi, "--psi")
            n = count or 100
            check_seeds([style_seed, seed, seed + n - 1], seed_rule)
            G = load_latent_generator(ref)
            cut = coarse_crossover(G.num_ws) if crossover is None else crossover
            if not 1 <= cut < G.num_ws:
                raise EdgeganError(f"crossover must be between 1 and {G.num_ws - 1}, got {cut}")
            style_ws = G.map(z_from_seed(style_seed, G.z_dim, seed_rule), psi)
            for k in range(n):
                ws = G.map(z_from_seed(seed + k, G.z_dim, seed_rule), psi)
                a = G.synthesis(ws, "const")[0]
                b = G.synthesis(G.mix(ws, style_ws, cut), "const")[0]
                save_image(tmp / "A" / f"{k:06d}.png", tensor_to_uint8(a))
                save_image(tmp / "B" / f"{k:06d}.png", tensor_to_uint8(b))
            info.update(
                {
                    "pairs": n,
                    "A": "G(seed), stored noise",
                    "B": f"ws[:{cut}] of A, ws[{cut}:] of style_seed",
                    "seeds": [seed, seed + n - 1],
                    "style_seed": style_seed,
                    "seed_rule": seed_rule,
                    "crossover": cut,
                    "psi": psi,
                }
            )
        else:
            if not inputs:
                raise EdgeganError(f"{str(teacher)!r} takes images: give them with --inputs DIR")
            files = collect_inputs(inputs)[: count or None]
            stylizer = Stylizer.open(ref)
            for k, p in enumerate(files):
                a = center_square(load_image(p), size)
                save_image(tmp / "A" / f"{k:06d}.png", np.asarray(a))
                save_image(tmp / "B" / f"{k:06d}.png", stylizer(a))
            info.update(
                {
                    "pairs": len(files),
                    "A": f"input, short side {size}, centre square",
                    "B": "teacher(A)",
                    "sources": [str(p) for p in files],
                }
            )
    write_json(out / "pairs.json", info)
    return out


def _pyramid_loss(a: Tensor, b: Tensor, levels: int = 3) -> Tensor:
    """Pixel MSE + L1 at 1/2, 1/4, 1/8 scale (average pooling): a weight-free stand-in for LPIPS."""
    loss = F.mse_loss(a, b)
    for _ in range(levels):
        if a.shape[-1] < 4:
            break
        a, b = F.avg_pool2d(a, 2), F.avg_pool2d(b, 2)
        loss = loss + F.l1_loss(a, b)
    return loss


def _noise_reg(noises: list[Tensor]) -> Tensor:
    """Paper Appendix D: squared autocorrelation (1-pixel shifts in x and y) of every noise map at every
    scale down to 8x8, so the optimizer cannot hide image content in the noise."""
    reg = torch.zeros(())
    for n in noises:
        while True:
            reg = reg + (n * torch.roll(n, 1, dims=3)).mean() ** 2 + (n * torch.roll(n, 1, dims=2)).mean() ** 2
            if n.shape[2] <= 8:
                break
            n = F.avg_pool2d(n, 2)
    return reg


def project(
    model,
    image: Tensor,
    steps: int = 200,
    *,
    lr: float = 0.1,
    noise_weight: float = 1e3,
    optimize_noise: bool = True,
    w_samples: int = 1000,
    seed: int = 0,
    return_noise: bool = False,
):
    """Find w with G(w) ~= ``image``.

    model: a StyleGAN2 generator (eval); image: (3, R, R) or (1, 3, R, R) float32 in [-1, 1], R the
    model's resolution. Returns w (1, w_dim); with ``return_noise`` also the optimized noise maps (one
    (1, 1, r, r) tensor per conv layer, usable as ``model.synthesis(ws, noise=...)``).
    Starts from the mean w (estimated from ``w_samples`` mapped z), Adam with a linear ramp-up and
    cosine ramp-down of the learning rate, and Gaussian noise on w that decays to zero (paper App. D).
    """
    G = model
    if image.dim() == 3:
        image = image[None]
    if image.shape[1:] != (3, G.resolution, G.resolution):
        raise EdgeganError(
            f"image must be (3, {G.resolution}, {G.resolution}) for this model, got {tuple(image.shape)}"
        )
    if steps < 1:
        raise EdgeganError(f"steps must be at least 1, got {steps}")
    gen = torch.Generator().manual_seed(seed)
    flags = [p.requires_grad for p in G.parameters()]
    for p in G.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        w_all = G.mapping(torch.randn(w_samples, G.z_dim, generator=gen))
        w_mean, w_std = w_all.mean(0, keepdim=True), float(((w_all - w_all.mean(0)).square().sum(1).mean()).sqrt())
    w = w_mean.clone().requires_grad_(True)
    layers = G.synthesis.noise_layers()
    noises = [torch.randn(layer.noise_const.shape, generator=gen).requires_grad_(optimize_noise) for layer in layers]
    opt = torch.optim.Adam([w] + (noises if optimize_noise else []), lr=lr, betas=(0.9, 0.999))
    target = image.float()
    try:
        for t in range(steps):
            frac = t / steps
            ramp = min(1.0, (1 - frac) / 0.25)
            ramp = 0.5 - 0.5 * math.cos(ramp * math.pi)
            ramp = ramp * min(1.0, frac / 0.05)
            for group in opt.param_groups:
                group["lr"] = lr * ramp
            w_noise = torch.randn(w.shape, generator=gen) * w_std * 0.05 * max(0.0, 1 - frac / 0.75) ** 2
            ws = (w + w_noise)[:, None, :].expand(-1, G.num_ws, -1)
            img = G.synthesis(ws, noise=noises)
            loss = _pyramid_loss(img, target) + noise_weight * _noise_reg(noises)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():  # keep every noise map zero-mean, unit-variance
                for n in noises:
                    n.sub_(n.mean()).div_(n.square().mean().sqrt() + 1e-8)
    finally:
        for p, flag in zip(G.parameters(), flags, strict=True):
            p.requires_grad_(flag)
    w = w.detach()
    return (w, [n.detach() for n in noises]) if return_noise else w
