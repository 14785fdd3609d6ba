"""``edgegan distill``: teacher labels (cached) -> a student trained by the generic loop -> measured.

    out/cache/     the teacher's labels (:mod:`edgegan.compress.cache`; reuse one with ``cache=``)
    out/distill.yaml  the resolved recipe (defaults below, a ``config`` file, then overrides)
    out/run/       the training run (resumable: run the same command again after a crash)
    out/student/   the final student checkpoint: lineage.json names the teacher, metrics.json measures it

The recipe is an ordinary training config with the ``distill`` objective
(:mod:`edgegan.training.distill`); ``data.root`` is the cache and ``model.name`` the student.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from edgegan.artifact import ModelRef
from edgegan.checkpoint import read_model_config
from edgegan.compress.cache import build_cache, cache_spec
from edgegan.compress.metrics import write_metrics
from edgegan.config import load_config, load_yaml_tree, merge
from edgegan.errors import EdgeganError
from edgegan.importers import open_model
from edgegan.io import atomic_write, check_replaceable, ensure_writable_dir, read_json
from edgegan.models import load_model, save_model
from edgegan.registry import MODELS
from edgegan.training import train
from edgegan.training.loop import validate

DEFAULT_RECIPE = {
    "name": "distill",
    "model": {"name": "edge_w16"},
    "discriminator": {"name": "patchgan"},  # built only when objective.args.lambda_gan > 0
    "objective": {"name": "distill", "args": {"lambda_l1": 1.0}},
    # The cache holds exact (input view, teacher output) pairs at the student's size: no resize, no crop,
    # no flip (a flipped teacher output is not the teacher's output on the flipped input).
    "data": {"layout": "paired_folders", "load_size": 256, "crop_size": 256, "flip": False, "workers": 1},
    "train": {
        "steps": 3000,
        "decay_steps": 1500,
        "batch_size": 8,
        "lr": 1e-3,
        "betas": [0.9, 0.999],
        "log_every": 50,
        "sample_every": 500,
        "ckpt_every": 250,
    },
}


def distill(
    teacher: str | os.PathLike | ModelRef,
    data: list[str],
    out: str | os.PathLike,
    *,
    student: str | None = None,
    config: str | None = None,
    recipe: dict | None = None,
    overrides: list[str] | None = None,
    cache: str | None = None,
    size: int = 256,
    views: int = 8,
    frame_step: int = 1,
    frame: tuple[int, int] | None = None,
    label_precision: str = "f32",
    label_at: str = "frame",
    stress: float = 0.0,
    stress_transforms: list[str] | None = None,
    steps: int | None = None,
    val: list[str] | None = None,
    seed: int = 0,
    threads: int | None = None,
    show_progress: bool = True,
    label_only: bool = False,
) -> Path:
    """Distil ``teacher`` into ``student`` on views of ``data``; returns ``out/student`` (with ``label_only``:
    label ``data`` into the cache and return the cache directory, no training).

    The recipe is ``config`` (a YAML file) or the default one, with ``recipe`` (a config tree, e.g. from
    ``edgegan prune``) merged over it, then ``overrides`` (dotted ``key=value`` strings from a user)."""

    teacher = open_model(teacher)
    teacher.require_image_input()  # a checkpoint or an imported ONNX translator
    out = ensure_writable_dir(out)
    check_replaceable(out / "student")  # before the labelling and the training, not after them
    tree = load_yaml_tree(config) if config else yaml.safe_load(yaml.safe_dump(DEFAULT_RECIPE))
    tree = merge(tree, recipe or {})
    tree.setdefault("data", {})
    tree["data"].update(root=str(Path(cache or out / "cache")), layout="paired_folders")
    if not config:
        tree["data"].update(load_size=size, crop_size=size)
    if student:
        tree.setdefault("model", {})["name"] = student
    if steps:
        tree.setdefault("train", {})["steps"] = steps
        tree["train"]["decay_steps"] = min(tree["train"].get("decay_steps", 0), steps)
    recipe = out / "distill.yaml"
    with atomic_write(recipe, "w") as f:
        yaml.safe_dump(tree, f, sort_keys=False)
    cfg = load_config(recipe, overrides)
    init = cfg.objective.args.get("init")
    if init:  # the student is the init checkpoint's architecture (its arguments too), whatever the recipe says
        tree["model"] = dict(read_model_config(open_model(init))["model"])
        with atomic_write(recipe, "w") as f:
            yaml.safe_dump(tree, f, sort_keys=False)
        cfg = load_config(recipe, overrides)
    validate(cfg)  # every name and argument checked before the teacher labels anything
    if cfg.objective.name != "distill":
        raise EdgeganError(f"a distillation recipe needs objective.name: distill, got {cfg.objective.name!r}")
    if label_only and not data:
        raise EdgeganError("--label-only needs --data: the images and videos to label")
    if data:
        build_cache(
            teacher,
            data,
            cfg.data.root,
            size=size,
            views=views,
            frame_step=frame_step,
            frame=frame,
            precision=label_precision,
            label_at=label_at,
            seed=seed,
            stress=stress,
            stress_transforms=stress_transforms,
            threads=threads,
            show_progress=show_progress,
        )
        if label_only:
            return Path(cfg.data.root)
    else:
        manifest = Path(cfg.data.root) / "cache.json"
        if not manifest.is_file():
            raise EdgeganError(f"no inputs to label and no teacher-label cache in {cfg.data.root!r}: give --data")

        labelled_by = read_json(manifest)
        if labelled_by.get("teacher_sha256") != cache_spec(teacher, size, views, frame_step, seed)["teacher_sha256"]:
            raise EdgeganError(
                f"the cache {cfg.data.root!r} holds labels of {labelled_by.get('teacher')!r}, not of {str(teacher)!r}: "
                "give --data to label with this teacher"
            )
        if not labelled_by.get("complete"):
            raise EdgeganError(f"the cache {cfg.data.root!r} is incomplete: rerun with --data to finish labelling")
    ckpt = train(str(recipe), overrides or [], str(out / "run"))
    final = out / "student"
    spec = {"name": cfg.model.name, "args": MODELS.get(cfg.model.name).resolved_args(cfg.model.args)}
    save_model(final, load_model(ckpt), spec, parent=teacher, created_by="edgegan distill", config=cfg.to_dict())
    write_metrics(
        final,
        final,
        float_checkpoint=final,
        parent=teacher,
        teacher=teacher,
        photos=val,
        size=size,
        threads=threads,
        extra={"step": "distill", "cache": cfg.data.root},
    )
    return final
