"""``edgegan export --int8`` does each piece of work once (issue 26): the model is resolved once, its
``config.json`` read once, its network built once and its weights hashed once, and the quantization's report
reaches the export's report in memory (it used to read config.json 3 times, hash 3 times and build twice)."""

from __future__ import annotations

import builtins
import hashlib
import json
from collections import Counter
from pathlib import Path

import torch

import edgegan.checkpoint as checkpoint
import edgegan.importers as importers
from edgegan.models import save_model
from edgegan.registry import MODELS
from tests.conftest import run_cli


def _counted(counts: Counter, name: str, fn, when):
    def wrapper(*a, **k):
        if when(*a, **k):
            counts[name] += 1
        return fn(*a, **k)

    return wrapper


def test_export_int8_resolves_reads_builds_and_hashes_once(tmp_path, monkeypatch):
    torch.manual_seed(0)
    ckpt = save_model(tmp_path / "ckpt", MODELS.build("test_cyclegan_resnet"), {"name": "test_cyclegan_resnet"})
    config, weights = (ckpt / "config.json").resolve(), (ckpt / "model.safetensors").resolve()
    want_sha = hashlib.sha256(weights.read_bytes()).hexdigest()

    def is_weights(p, mode="r", *a, **k) -> bool:
        return "rb" in mode and isinstance(p, (str, Path)) and Path(p).resolve() == weights

    counts: Counter = Counter()
    monkeypatch.setattr(
        checkpoint, "read_json", _counted(counts, "config", checkpoint.read_json, lambda p: Path(p).resolve() == config)
    )
    monkeypatch.setattr(
        MODELS, "build", _counted(counts, "build", MODELS.build, lambda name, *a, **k: name == "test_cyclegan_resnet")
    )
    monkeypatch.setattr(builtins, "open", _counted(counts, "hash", builtins.open, is_weights))
    monkeypatch.setattr(
        importers,
        "resolve_model",
        _counted(counts, "resolve", importers.resolve_model, lambda s: Path(s).resolve() == ckpt.resolve()),
    )

    out = tmp_path / "x.int8.xml"
    args = ["--format", "openvino", "--int8", "--size", "64", "--min-psnr", "20", "--threads", "2", "--out", str(out)]
    code, _, err = run_cli("export", str(ckpt), *args)
    assert code == 0, err
    assert counts == Counter(config=1, build=1, hash=1, resolve=1), counts
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["source_sha256"] == want_sha
    assert report["quantization"]["min_psnr"] == 20.0 and report["metrics"]["parameters"] > 0
