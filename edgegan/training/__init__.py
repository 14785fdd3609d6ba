"""Training: one generic loop (:mod:`edgegan.training.loop`) driven by per-family objectives.

An objective is registered in :data:`edgegan.registry.OBJECTIVES` and built as ``Objective(cfg, ctx)``
(``ctx`` a :class:`~edgegan.training.context.TrainContext`). It provides:

    modules: dict[str, nn.Module]          every network, wrapped with ``ctx.wrap`` (DDP under torchrun)
    optimizers: dict[str, Optimizer]       stepped with ``ctx.step``; the loop attaches LR schedules
    generator -> nn.Module                 the unwrapped network that is exported (config ``model``)
    step(batch) -> dict[str, float]        one optimizer step: losses under ``ctx.autocast()``,
                                           ``ctx.backward(loss)``, ``ctx.step(optimizer)``
    evaluate(batches, generator=None) -> dict[str, float]
                                           on fixed ``{"train": batch, "test": batch}``: held-out progress
    sample(batch, generator=None) -> (rows of (3, H, W) tensors, row labels)   for the sample grids
    extra_state() -> dict / load_extra_state(dict)   anything else a resume needs (image pools, ...)
    args_class                             (optional) dataclass of ``objective.args``, checked before a run starts
    check_config(cfg, args)                (optional, static) further checks before a run starts

Every objective module is imported below by name (a new objective adds one line there).
"""

import edgegan.models  # noqa: F401  (registers the networks)
from edgegan.training.loop import train

# the objectives, each registering itself on import (a new objective adds its line here)
from edgegan.training import animegan, cyclegan, distill, dualgan, pix2pix, stylegan2, ugatit  # noqa: E402, F401  isort: skip

__all__ = ["train"]
