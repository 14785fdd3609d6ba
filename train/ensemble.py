"""Combine colour-operator students into one checkpoint whose maps are their mean (AffineGridEnsemble).

    python train/ensemble.py edgegan/pretrained/vintage_grid runs/vintage_grid_hybrid/student \
        --out edgegan/pretrained/vintage_pair

Each member is a checkpoint of an AffineGridStudent variant (the same ``low`` and ``grid``); the result is a
checkpoint of ``affine_grid_pair`` (or ``--name``) usable wherever a checkpoint is: export, INT8, video, webcam.
Its lineage names the members' common parent (the teacher) and the members themselves with their SHA-256.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edgegan.checkpoint import read_model_config, read_weights  # noqa: E402
from edgegan.compress.metrics import write_metrics  # noqa: E402
from edgegan.errors import EdgeganError  # noqa: E402
from edgegan.lineage import file_sha256, read_lineage  # noqa: E402
from edgegan.models.loading import save_model  # noqa: E402
from edgegan.models.student import AffineGridStudent  # noqa: E402
from edgegan.registry import MODELS  # noqa: E402


def combine(members: list[str], out: str, name: str, val: list[str] | None = None) -> Path:
    args, state, records, parents = [], {}, [], set()
    for k, path in enumerate(members):
        cfg = read_model_config(path)
        entry = MODELS.get(cfg["model"]["name"])
        if entry.builder is not AffineGridStudent:
            raise EdgeganError(f"{path!r} holds {entry.name!r}; the members must be single colour-operator students")
        spec = entry.resolved_args(cfg["model"].get("args", {}))
        args.append(spec)
        state.update({f"members.{k}.{key}": v for key, v in read_weights(path).items()})
        records.append(
            {"path": str(path), "model": cfg["model"]["name"], "sha256": file_sha256(Path(path) / "model.safetensors")}
        )
        parents.add(((read_lineage(path) or {}).get("parent") or {}).get("path"))
    if len(parents) != 1:
        raise EdgeganError(f"the members come from different teachers: {sorted(map(str, parents))}")
    try:
        model = MODELS.build(name, {"members": args})
    except ValueError as e:  # members that do not share the low-res copy and the grid
        raise EdgeganError(str(e)) from None
    model.load_state_dict(state)
    teacher = parents.pop()
    save_model(
        out, model, {"name": name, "args": {"members": args}}, parent=teacher,
        created_by="train/ensemble.py", config={"members": records},
    )  # fmt: skip
    # metrics.json: size, cost, and the distance to the teacher on --val (default: the sample photos)
    write_metrics(
        out, out, float_checkpoint=out, parent=teacher, teacher=teacher, photos=val, extra={"step": "ensemble"}
    )
    return Path(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("members", nargs="+", help="checkpoint directories of the members")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="affine_grid_pair", help="the registered ensemble architecture")
    ap.add_argument("--val", nargs="+", help="photos (files or folders) for metrics.json (default: the sample photos)")
    a = ap.parse_args()
    try:
        print(combine(a.members, a.out, a.name, a.val))
    except EdgeganError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
