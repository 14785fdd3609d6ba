"""``edgegan distill``: a small student trained on a teacher's outputs (cached labels)."""

from __future__ import annotations

from edgegan.cli.options import (
    add_out,
    add_overrides,
    add_size,
    add_threads,
    add_val,
    frame_size,
    input_path,
    positive_int,
    print_metrics,
)
from edgegan.cli.resolve import prepare_recipe, resolve
from edgegan.compress.cache import LABEL_AT
from edgegan.compress.distill import distill
from edgegan.data.stress import check_transforms
from edgegan.runtime.backends import FLOAT_PRECISIONS


def add_arguments(parser) -> None:
    p = parser
    p.add_argument("--teacher", required=True, help="checkpoint directory or shipped name (e.g. vintagify)")
    p.add_argument("--student", help="registered student architecture (default: the recipe's, edge_w16)")
    p.add_argument(
        "--data", nargs="+", type=input_path, help="folders or files of images and videos to label (or reuse --cache)"
    )
    add_out(p, help="run directory (cache/, run/, student/); rerun to resume")
    p.add_argument("--config", help="a distillation recipe (train/configs/distill/*.yaml)")
    add_overrides(p)
    p.add_argument("--cache", help="teacher-label cache directory to use or reuse (default OUT/cache)")
    add_size(p, help="view side in pixels")
    p.add_argument("--views", type=positive_int, default=8, help="augmented views per still image")
    p.add_argument(
        "--frame",
        type=frame_size,
        metavar="WxH",
        help="views are camera frames of this size, labelled by the teacher at it and stored at --size squared",
    )
    p.add_argument(
        "--label-at",
        choices=LABEL_AT,
        default="frame",
        help="with --frame: the teacher labels the frame at its own size, or the squashed --size view (the decision "
        "it makes there; 14x cheaper at 1280x720 and 256)",
    )
    p.add_argument("--frame-step", type=positive_int, default=1, help="label every Nth video frame")
    p.add_argument(
        "--label-precision",
        choices=FLOAT_PRECISIONS,
        default="f32",
        help="the teacher's float precision while labelling: bf16 runs it on OpenVINO's bf16 kernels, on a CPU "
        "with bf16 units (AMX, AVX512_BF16) only",
    )
    p.add_argument(
        "--stress", type=float, default=0.0, help="share of views given a stress transform (bright, dark, pastel, ...)"
    )
    p.add_argument(
        "--stress-only",
        nargs="+",
        metavar="NAME",
        help="the transforms the stress views draw from (default: all but coloured_light; see edgegan data stress)",
    )
    p.add_argument("--steps", type=positive_int, help="training steps (default: the recipe's)")
    add_val(p)
    p.add_argument("--seed", type=int, default=0)
    add_threads(p)
    p.add_argument(
        "--label-only", action="store_true", help="label --data into the cache and stop (train later with --cache)"
    )


def run(a) -> None:
    if a.stress_only:
        check_transforms(a.stress_only)  # a typo fails before the teacher is even opened
    prepare_recipe(a.config, a.overrides)
    final = distill(
        resolve(a.teacher),
        a.data,
        a.out,
        student=a.student,
        config=a.config,
        overrides=a.overrides,
        cache=a.cache,
        size=a.size,
        views=a.views,
        frame_step=a.frame_step,
        frame=a.frame,
        label_precision=a.label_precision,
        label_at=a.label_at,
        stress=a.stress,
        stress_transforms=a.stress_only,
        steps=a.steps,
        val=a.val,
        seed=a.seed,
        threads=a.threads,
        label_only=a.label_only,
    )
    if a.label_only:
        print(f"teacher labels: {final}")
        return
    print_metrics(final)
