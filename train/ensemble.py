"""Combine colour-operator students into one checkpoint whose maps are their mean (AffineGridEnsemble).

    python train/ensemble.py runs/vintage_grid_plain/student runs/vintage_grid_hybrid/student \
        --out runs/vintage_grid --val data/heldout

Each member is a checkpoint of an AffineGridStudent variant (the same ``low`` and ``grid``), distilled from one
teacher (the members' lineages must name the same teacher weights); the result is a checkpoint of
``affine_grid_pair`` (or ``--name``) usable wherever a checkpoint is: export, INT8, video, webcam. Its lineage
names the teacher and the members with their SHA-256; its ``metrics.json`` measures it against the teacher.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edgegan.checkpoint import read_model_config, read_weights  # noqa: E402
from edgegan.compress.metrics import write_metrics  # noqa: E402
from edgegan.errors import EdgeganError  # noqa: E402
from edgegan.importers import open_model  # noqa: E402
from edgegan.lineage import parent_record, read_lineage  # noqa: E402
from edgegan.models.loading import save_model  # noqa: E402
from edgegan.models.student import AffineGridEnsemble, AffineGridStudent  # noqa: E402
from edgegan.registry import MODELS  # noqa: E402


def combine(
    members: list[str], out: str, name: str = "affine_grid_pair", val: list[str] | None = None, teacher: str = ""
) -> Path:
    """``teacher``: a name or checkpoint (default: the path the first member's lineage records)."""
    if MODELS.get(name).builder is not AffineGridEnsemble:
        raise EdgeganError(f"--name {name!r} is not an ensemble architecture (e.g. affine_grid_pair)")
    args, state, records, parents = [], {}, [], []
    for k, path in enumerate(members):
        cfg = read_model_config(path)
        entry = MODELS.get(cfg["model"]["name"])
        if entry.builder is not AffineGridStudent or cfg.get("pruned"):
            what = "a pruned student" if cfg.get("pruned") else repr(entry.name)
            raise EdgeganError(f"{path!r} holds {what}; the members must be single, unpruned colour-operator students")
        args.append(entry.resolved_args(cfg["model"].get("args", {})))
        state.update({f"members.{k}.{key}": v for key, v in read_weights(path).items()})
        records.append({**parent_record(path), "model": entry.name})
        parents.append((read_lineage(path) or {}).get("parent") or {})
    if len({p.get("sha256") for p in parents}) != 1 or not parents[0].get("sha256"):
        raise EdgeganError(f"the members come from different teachers: {sorted({str(p.get('path')) for p in parents})}")
    teacher = teacher or str(parents[0].get("path"))
    teacher_path = open_model(teacher).path  # a one-line error for a teacher not on this machine
    if parent_record(teacher_path)["sha256"] != parents[0]["sha256"]:
        raise EdgeganError(f"--teacher {teacher!r} is not the teacher the members were distilled from")
    try:
        model = MODELS.build(name, {"members": args})
    except ValueError as e:  # members that do not share the low-res copy and the grid
        raise EdgeganError(str(e)) from None
    model.load_state_dict(state)
    save_model(
        out, model, {"name": name, "args": {"members": args}}, parent=teacher_path,
        created_by="train/ensemble.py", config={"members": records},
    )  # fmt: skip
    # metrics.json: size, cost, and the distance to the teacher on --val (default: the sample photos)
    write_metrics(
        out, out, float_checkpoint=out, parent=teacher_path, teacher=teacher_path, photos=val,
        extra={"step": "ensemble"},
    )  # fmt: skip
    return Path(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("members", nargs="+", help="checkpoint directories of the members")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", default="affine_grid_pair", help="the registered ensemble architecture")
    ap.add_argument("--val", nargs="+", help="photos (files or folders) for metrics.json (default: the sample photos)")
    ap.add_argument("--teacher", default="", help="the members' teacher, a name or checkpoint (default: from lineage)")
    a = ap.parse_args()
    try:
        print(combine(a.members, a.out, a.name, a.val, a.teacher))
    except EdgeganError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
