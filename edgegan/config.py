"""Experiment configuration: dataclasses filled from YAML.

A YAML file may name ``_base_`` files (a path or a list, relative to itself) whose contents it extends;
mappings merge key by key, anything else replaces. Command-line overrides are dotted ``key=value`` pairs
whose values are parsed as YAML (``train.lr=1e-4``, ``data.flip=false``, ``model.args.n_blocks=6``).
A key that no dataclass field declares is an error naming the key; free-form ``args`` mappings are
checked later against the builder they are passed to.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from edgegan.errors import EdgeganError


@dataclass
class Component:
    """A registered builder by name plus its keyword arguments."""

    name: str = ""
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class DataConfig:
    root: str = ""
    layout: str = "unpaired"  # unpaired (trainA/B) | paired_ab (side by side) | paired_folders (A/, B/) | images
    split: str = "train"
    direction: str = "AtoB"
    load_size: int = 286  # resize the short side to this, then random-crop crop_size
    crop_size: int = 256
    flip: bool = True
    workers: int = 2


@dataclass
class TrainConfig:
    steps: int = 1000  # optimizer steps (iterations) in total
    decay_steps: int = 0  # learning rates fall linearly to 0 over the last `decay_steps` steps
    batch_size: int = 1  # per process and per micro-batch
    accumulate: int = 1  # micro-batches per optimizer step (gradient accumulation: a paper batch on a small GPU)
    lr: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    amp: bool = True  # mixed precision on CUDA (float16, loss-scaled)
    cpu_bf16: bool = False  # mixed precision (bf16 autocast) on a CPU with bf16 units; ignored elsewhere
    ema: float = 0.0  # generator EMA decay; 0 turns it off
    clip_grad: float = 0.0  # clip each optimizer step's gradient norm to this; 0 turns it off
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    log_every: int = 50
    sample_every: int = 500
    ckpt_every: int = 1000


@dataclass
class Config:
    name: str = "run"
    model: Component = field(default_factory=Component)  # the generator that gets exported
    discriminator: Component = field(default_factory=Component)
    objective: Component = field(default_factory=Component)
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with open(path) as f:
            data = yaml.safe_load(f) or {}
    except FileNotFoundError:
        raise EdgeganError(f"config file not found: {str(path)!r}") from None
    except IsADirectoryError:
        raise EdgeganError(f"config is a folder, not a YAML file: {str(path)!r}") from None
    except UnicodeDecodeError:
        raise EdgeganError(f"{str(path)!r} is not a text (YAML) file") from None
    except OSError as e:
        raise EdgeganError(f"cannot read config {str(path)!r}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise EdgeganError(f"{str(path)!r} is not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise EdgeganError(f"{str(path)!r} must hold a mapping at top level")
    return data


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Recursive merge: mappings merge key by key; other values in ``over`` replace."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_yaml_tree(path: str | os.PathLike, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read ``path`` with its ``_base_`` chain resolved."""
    path = Path(path).resolve()
    if path in _seen:
        raise EdgeganError(f"_base_ cycle through {str(path)!r}")
    data = _read_yaml(path)
    bases = data.pop("_base_", [])
    bases = [bases] if isinstance(bases, str) else bases
    merged: dict[str, Any] = {}
    for b in bases:
        merged = merge(merged, load_yaml_tree(path.parent / b, _seen + (path,)))
    return merge(merged, data)


def apply_overrides(tree: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    tree = copy.deepcopy(tree)
    for item in overrides:
        if "=" not in item:
            raise EdgeganError(f"override {item!r} is not of the form key=value")
        key, raw = item.split("=", 1)
        try:
            value = yaml.safe_load(raw) if raw != "" else ""
        except yaml.YAMLError:
            value = raw
        node = tree
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise EdgeganError(f"override {item!r}: {p!r} is not a section")
        node[parts[-1]] = value
    return tree


def _coerce(value: Any, tp: Any, key: str) -> Any:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise EdgeganError(f"config key {key!r} must be a mapping, got {value!r}")
        return from_dict(tp, value, prefix=key + ".")
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is float and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    if origin is tuple and isinstance(value, (list, tuple)):
        types_ = typing.get_args(tp)
        if len(value) != len(types_):
            raise EdgeganError(f"config key {key!r} needs {len(types_)} values, got {list(value)!r}")
        return tuple(_coerce(v, t, key) for v, t in zip(value, types_, strict=True))
    if origin in (dict, list) or tp is Any or isinstance(tp, types.UnionType):
        return value
    if isinstance(tp, type) and not isinstance(value, tp):
        raise EdgeganError(f"config key {key!r} must be {tp.__name__}, got {value!r}")
    return value


def from_dict(cls: type, data: dict[str, Any], prefix: str = ""):
    """Build dataclass ``cls`` from ``data``; unknown keys raise an error naming the dotted key."""
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = [k for k in data if k not in names]
    if unknown:
        raise EdgeganError(
            f"unknown config key {prefix + unknown[0]!r}; known in this section: {', '.join(sorted(names))}"
        )
    return cls(**{k: _coerce(v, hints[k], prefix + k) for k, v in data.items()})


def load_config(path: str | os.PathLike, overrides: list[str] | None = None) -> Config:
    tree = apply_overrides(load_yaml_tree(path), overrides or [])
    return from_dict(Config, tree)


def config_from_dict(data: dict[str, Any]) -> Config:
    return from_dict(Config, data)


def dump_yaml(cfg: Config) -> str:
    d = cfg.to_dict()
    d["train"]["betas"] = list(d["train"]["betas"])
    return yaml.safe_dump(d, sort_keys=False)
