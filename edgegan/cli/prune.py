"""``edgegan prune``: structured channel pruning (torch-pruning), then a fine-tune against the parent."""

from __future__ import annotations

from edgegan.cli.options import (
    add_model,
    add_out,
    add_overrides,
    add_size,
    add_threads,
    add_val,
    input_path,
    positive_int,
    print_metrics,
)
from edgegan.cli.resolve import resolve
from edgegan.compress.prune import prune


def add_arguments(parser) -> None:
    p = parser
    add_model(p, "checkpoint directory or shipped name")
    p.add_argument("--ratio", type=float, required=True, help="fraction of channels removed, e.g. 0.5")
    add_out(p, help="directory: pruned/ (raw), cache/, run/, model/ (fine-tuned)")
    p.add_argument("--data", nargs="+", type=input_path, help="images/videos the parent labels for the fine-tune")
    p.add_argument("--cache", help="an existing label cache of the parent (instead of --data)")
    p.add_argument("--steps", type=int, default=500, help="fine-tune steps (0: prune only)")
    add_size(p)
    p.add_argument("--views", type=positive_int, default=8)
    p.add_argument("--frame-step", type=positive_int, default=1, help="label every Nth video frame")
    p.add_argument("--round-to", type=positive_int, default=8, help="keep channel counts multiples of this")
    add_overrides(p, help="dotted key=value for the fine-tune, e.g. train.batch_size=4")
    add_val(p)
    p.add_argument("--teacher", help="also measure drift against this original teacher")
    add_threads(p)


def run(a) -> None:
    out = prune(
        resolve(a.model),
        a.out,
        ratio=a.ratio,
        data=a.data,
        cache=a.cache,
        steps=a.steps,
        size=a.size,
        views=a.views,
        frame_step=a.frame_step,
        round_to=a.round_to,
        overrides=a.overrides,
        val=a.val,
        teacher=a.teacher and resolve(a.teacher),
        threads=a.threads,
    )
    print_metrics(out)
