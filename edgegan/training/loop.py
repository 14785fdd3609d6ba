"""One training loop for every family; the family's objective decides what a step does.

A run directory holds::

    config.yaml          the resolved config (base files and overrides applied)
    stats.jsonl          one JSON line per logged step: losses, learning rate, fixed-batch evaluation
    samples/step_NNNNNNN.png   grids on a fixed batch
    train_state.pt       networks, optimizers, schedulers, scaler, EMA, pools, step, RNG (weights_only)
    generator/           the exported generator as a checkpoint directory (EMA weights if enabled)

Started again on the same directory, the loop resumes from ``train_state.pt``. Under ``torchrun`` every
process trains on its shard of the data and only rank 0 writes.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import yaml
from torch import nn
from torch.utils.data import DataLoader

from edgegan.checkpoint import load_train_state, save_train_state
from edgegan.config import Config, config_from_dict, dump_yaml, from_dict, load_config
from edgegan.data.folders import build_dataset
from edgegan.data.transforms import tensor_to_uint8
from edgegan.errors import EdgeganError
from edgegan.io import atomic_write, check_replaceable, ensure_writable_dir
from edgegan.media import image_grid, save_image
from edgegan.models import save_model
from edgegan.progress import progress
from edgegan.registry import DISCRIMINATORS, MODELS, OBJECTIVES
from edgegan.training.context import Distributed, TrainContext, pick_device, set_requires_grad, unwrap

# Keys that may change when a run is resumed (training longer, logging differently).
RESUMABLE_CHANGES = {"train.steps", "train.log_every", "train.sample_every", "train.ckpt_every", "data.workers"}


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and k != "args":
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def validate(cfg: Config) -> None:
    """Check every name and argument before anything is built or written (the registries are full: importing
    this module imported :mod:`edgegan.training`, which imports every model and objective)."""
    MODELS.get(cfg.model.name).resolved_args(cfg.model.args)
    DISCRIMINATORS.get(cfg.discriminator.name).resolved_args(cfg.discriminator.args)
    objective = OBJECTIVES.get(cfg.objective.name).builder
    if hasattr(objective, "args_class"):  # objective arguments: unknown keys and bad types, before any write
        args = from_dict(objective.args_class, cfg.objective.args, prefix="objective.args.")
        if hasattr(objective, "check_config"):
            objective.check_config(cfg, args)
    t = cfg.train
    for key in ("steps", "batch_size", "accumulate", "log_every", "sample_every", "ckpt_every"):
        if getattr(t, key) < 1:
            raise EdgeganError(f"train.{key} must be at least 1, got {getattr(t, key)}")
    if not 0 <= t.decay_steps <= t.steps:
        raise EdgeganError(f"train.decay_steps must be between 0 and train.steps ({t.steps}), got {t.decay_steps}")
    if not (t.clip_grad >= 0 and math.isfinite(t.clip_grad)):
        raise EdgeganError(f"train.clip_grad must be 0 (off) or a positive gradient norm, got {t.clip_grad}")
    if not 0.0 <= t.ema < 1.0:
        raise EdgeganError(f"train.ema must be in [0, 1), got {t.ema}")


def linear_decay(steps: int, decay_steps: int):
    """Constant learning rate, then linear decay to zero over the last ``decay_steps`` steps."""

    def factor(step: int) -> float:
        if decay_steps == 0:
            return 1.0
        return max(0.0, min(1.0, (steps - step) / decay_steps))

    return factor


def _seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _rng_state() -> dict:
    """Every RNG the loop touches, as tensors and plain lists (loadable with weights_only)."""
    version, internal, gauss = random.getstate()
    _, keys, pos, has_gauss, cached = np.random.get_state()
    return {
        "python": [version, list(internal), gauss],
        "numpy": [torch.from_numpy(keys.astype(np.int64)), int(pos), int(has_gauss), float(cached)],
        "torch": torch.get_rng_state(),
    }


def _set_rng_state(state: dict) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state(("MT19937", keys.numpy().astype(np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])


class _EpochSampler(torch.utils.data.Sampler):
    """A seeded permutation of the dataset (this rank's share of it under DDP), minus the first ``skip``
    indices: a resumed run continues the epoch where the crashed one stopped, with the same order."""

    def __init__(self, n: int, seed: int, epoch: int, dist: Distributed, skip: int = 0):
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed + epoch)).tolist()
        if dist.enabled:
            per_rank = n // dist.world_size  # drop the tail so every rank takes the same number of steps
            order = order[dist.rank * per_rank : (dist.rank + 1) * per_rank]
        self.full_length = len(order)
        self.indices = order[skip:]

    def __iter__(self):
        return iter(self.indices)

    def __len__(self) -> int:
        return len(self.indices)


def _batches(dataset, batch_size: int, workers: int, seed: int, dist: Distributed, epoch: int, done_in_epoch: int):
    """Endless (epoch, index in epoch, batch) triples; ``done_in_epoch`` batches of ``epoch`` are skipped."""
    while True:
        sampler = _EpochSampler(len(dataset), seed, epoch, dist, skip=done_in_epoch * batch_size)
        loader = DataLoader(
            dataset,
            batch_size=batch_size,
            sampler=sampler,
            num_workers=workers,
            drop_last=sampler.full_length >= batch_size,
            generator=torch.Generator().manual_seed(seed * 1000 + epoch),
        )
        for k, batch in enumerate(loader, start=done_in_epoch + 1):
            yield epoch, k, batch
        epoch, done_in_epoch = epoch + 1, 0


def _grid_png(path: Path, rows, labels) -> None:

    save_image(path, image_grid([[tensor_to_uint8(t) for t in r] for r in rows], labels, cell=128))


def _check_resume(run: Path, cfg: Config) -> None:
    saved = config_from_dict(yaml.safe_load((run / "config.yaml").read_text()))
    a, b = _flatten(saved.to_dict()), _flatten(cfg.to_dict())
    changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and k not in RESUMABLE_CHANGES)
    if changed:
        raise EdgeganError(
            f"{str(run)!r} holds a run with a different config (changed: {', '.join(changed[:4])}); "
            "use another --out to start a new run"
        )


def train(config_path: str, overrides: list[str], out: str, resume: bool = True) -> Path | None:
    """Train from ``config_path`` + ``overrides`` into run directory ``out``; returns the generator checkpoint."""
    cfg = load_config(config_path, overrides)
    validate(cfg)
    dist = Distributed.from_env()
    run = Path(out)
    if dist.is_main:
        ensure_writable_dir(run)
        check_replaceable(run / "generator")  # before the training, not after it
    has_state = (run / "train_state.pt").is_file()
    if has_state and not resume:
        raise EdgeganError(
            f"{str(run)!r} already holds a run; drop --no-resume to continue it, or choose another --out"
        )
    if has_state:
        _check_resume(run, cfg)

    dataset = build_dataset(cfg.data, train=True)
    if dist.enabled:
        import torch.distributed as tdist

        device = pick_device(cfg.train.device, dist)
        if device.type == "cuda":
            torch.cuda.set_device(device)
        tdist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    else:
        device = pick_device(cfg.train.device, dist)
    try:
        return _run(cfg, run, dataset, device, dist, has_state)
    finally:
        if dist.enabled:
            import torch.distributed as tdist

            tdist.destroy_process_group()


def _run(cfg: Config, run: Path, dataset, device, dist: Distributed, has_state: bool) -> Path | None:

    t = cfg.train
    _seed_all(t.seed + dist.rank)
    ctx = TrainContext(device, t.amp, dist, t.accumulate, t.clip_grad, t.cpu_bf16)
    objective = OBJECTIVES.get(cfg.objective.name).builder(cfg, ctx)
    schedulers = {
        k: torch.optim.lr_scheduler.LambdaLR(opt, linear_decay(t.steps, t.decay_steps))
        for k, opt in objective.optimizers.items()
    }
    ema: nn.Module | None = None
    if t.ema > 0:
        ema = copy.deepcopy(objective.generator).eval()
        set_requires_grad(ema, False)

    fixed = _fixed_batches(cfg)
    shown = fixed.get("test", fixed["train"])  # sample grids show held-out images when there are some
    step, epoch, in_epoch = 0, 0, 0
    if has_state:
        state = load_train_state(run / "train_state.pt")
        for k, m in objective.modules.items():
            unwrap(m).load_state_dict(state["modules"][k])
        for k, o in objective.optimizers.items():
            o.load_state_dict(state["optimizers"][k])
        for k, s in schedulers.items():
            s.load_state_dict(state["schedulers"][k])
        ctx.scaler.load_state_dict(state["scaler"])
        if ema is not None and "ema" in state:
            ema.load_state_dict(state["ema"])
        objective.load_extra_state(state.get("extra", {}))
        _set_rng_state(state["rng"])
        step, epoch, in_epoch = int(state["step"]), int(state["epoch"]), int(state["in_epoch"])
        ctx.skipped = int(state.get("skipped", 0))
    if dist.is_main:
        with atomic_write(run / "config.yaml", "w") as f:
            f.write(dump_yaml(cfg))
        _trim_stats(run / "stats.jsonl", step)

    def save(final: bool = False) -> Path | None:
        if not dist.is_main:
            return None
        save_train_state(
            run / "train_state.pt",
            {
                "step": step,
                "epoch": epoch,
                "in_epoch": in_epoch,
                "skipped": ctx.skipped,
                "modules": {k: unwrap(m).state_dict() for k, m in objective.modules.items()},
                "optimizers": {k: o.state_dict() for k, o in objective.optimizers.items()},
                "schedulers": {k: s.state_dict() for k, s in schedulers.items()},
                "scaler": ctx.scaler.state_dict(),
                **({"ema": ema.state_dict()} if ema is not None else {}),
                "extra": objective.extra_state(),
                "rng": _rng_state(),
            },
        )
        gen = ema if ema is not None else objective.generator
        return save_model(
            run / "generator",
            gen,
            {"name": cfg.model.name, "args": MODELS.get(cfg.model.name).resolved_args(cfg.model.args)},
            created_by=f"edgegan train (step {step}{', EMA' if ema is not None else ''})",
            config=cfg.to_dict(),
            metrics={"step": step, "final": final},
        )

    def log(record: dict) -> None:
        if dist.is_main:
            with open(run / "stats.jsonl", "a") as f:
                f.write(json.dumps(record) + "\n")

    if step == 0 and dist.is_main:
        log({"step": 0, **objective.evaluate(fixed)})
        _grid_png(run / "samples" / "step_0000000.png", *objective.sample(shown))
    batches = _batches(dataset, t.batch_size, cfg.data.workers, t.seed, dist, epoch, in_epoch)
    bar = progress(total=t.steps, initial=step, desc=f"train {cfg.name}", unit="step", disable=not dist.is_main)
    t_last = time.perf_counter()
    try:
        while step < t.steps:
            sums: dict[str, float] = {}
            for ctx.micro in range(t.accumulate):
                epoch, in_epoch, batch = next(batches)
                for k, v in objective.step(batch).items():
                    sums[k] = sums.get(k, 0.0) + v / t.accumulate
            losses = sums
            ctx.end_iteration()
            for s in schedulers.values():
                s.step()
            if ema is not None:
                with torch.no_grad():
                    for pe, p in zip(ema.parameters(), objective.generator.parameters(), strict=True):
                        pe.lerp_(p.detach(), 1.0 - t.ema)
                    for be, b in zip(ema.buffers(), objective.generator.buffers(), strict=True):
                        be.copy_(b)
            step += 1
            bar.update(1)
            bar.set_postfix({k: f"{v:.3f}" for k, v in list(losses.items())[:3]})
            if step % t.log_every == 0 or step == t.steps:
                now = time.perf_counter()
                rec = {
                    "step": step,
                    "epoch": epoch,
                    "lr": schedulers[next(iter(schedulers))].get_last_lr()[0],
                    **losses,
                }
                rec["sec_per_step"] = round((now - t_last) / t.log_every, 4)
                if ctx.skipped:
                    rec["skipped_steps"] = ctx.skipped  # optimizer steps skipped for a non-finite gradient
                t_last = now
                if dist.enabled:
                    rec["ddp_max_param_divergence"] = _replica_divergence(objective.generator)
                if dist.is_main:
                    rec.update(objective.evaluate(fixed, ema))
                log(rec)
            if dist.is_main and (step % t.sample_every == 0 or step == t.steps):
                _grid_png(run / "samples" / f"step_{step:07d}.png", *objective.sample(shown, ema))
            if step % t.ckpt_every == 0 and step < t.steps:
                save()
    except KeyboardInterrupt:
        save()
        bar.close()
        raise
    bar.close()
    return save(final=True)


def _replica_divergence(model: nn.Module) -> float:
    """Largest difference between this rank's parameters and rank 0's, over all ranks: 0 when DDP keeps
    the replicas in sync, as it must."""
    import torch.distributed as tdist

    flat = torch.cat([p.detach().flatten() for p in model.parameters()])
    ref = flat.clone()
    tdist.broadcast(ref, src=0)
    diff = (flat - ref).abs().max().reshape(1)
    tdist.all_reduce(diff, op=tdist.ReduceOp.MAX)
    return float(diff)


def _fixed_batches(cfg: Config) -> dict[str, dict]:
    """Fixed batches for evaluation and sample grids: ``train`` (what the objective fits) and ``test``
    (held-out images, when the dataset has a test split)."""

    out = {}
    torch_state = torch.get_rng_state()
    for split in ("train", "test"):
        try:
            ds = build_dataset(dataclasses.replace(cfg.data, split=split), train=False)
        except EdgeganError:
            continue
        torch.manual_seed(cfg.train.seed)  # unpaired datasets draw B at random
        idx = torch.randperm(len(ds), generator=torch.Generator().manual_seed(cfg.train.seed))[:8].tolist()
        items = [ds[i] for i in idx]
        out[split] = {k: torch.stack([it[k] for it in items]) for k, v in items[0].items() if torch.is_tensor(v)}
    torch.set_rng_state(torch_state)
    return out


def _trim_stats(path: Path, step: int) -> None:
    """On resume, drop records logged after the state being resumed (they will be logged again)."""
    if not path.exists():
        return
    keep = [ln for ln in path.read_text().splitlines() if ln.strip() and json.loads(ln).get("step", 0) <= step]
    with atomic_write(path, "w") as f:
        f.write("".join(ln + "\n" for ln in keep))
