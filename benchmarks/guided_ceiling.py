"""What limits the colour-operator students: fitted maps against the teacher, per photo.

For each photo (256-px centre squares, as ``edgegan eval``), PSNR against the teacher's output of:
- ``input``: the photo itself;
- ``global_fit``: one 3x4 colour-affine map fitted to the teacher's output (least squares): the best any
  student of one map per photo could do;
- ``field_fit``: a 4x4 field of such maps, up-sampled bilinearly as the students do, fitted jointly: the best
  the grid students' operator could do;
- ``teacher_low_<L>``: the teacher run on an L x L copy, carried to full resolution by the guided student's own
  fit (:func:`edgegan.models.guided.fit_maps`, each node its neighbourhood): the ceiling of a guided student;
- each ``--models`` entry (a student, as ``edgegan eval`` runs it).

    python benchmarks/guided_ceiling.py --photos data/reserve --models vintage_guided \\
        --json outputs/guided_ceiling_reserve.json

Prints mean, worst and photos below 17 dB per row; the JSON holds every photo's figure and the machine.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOOR_DB = 17.0


def joint_field_fit(x: torch.Tensor, y: torch.Tensor, grid: int) -> torch.Tensor:
    """The field of maps (1, 12, grid, grid) whose bilinear up-sampling best takes x to y (one least-squares
    problem over every node at once; float64)."""
    from edgegan.models.guided import tent_weights

    _, _, h, w = x.shape
    wy, wx = tent_weights(h, grid, x.dtype), tent_weights(w, grid, x.dtype)
    spatial = (wy[:, None, :, None] * wx[None, :, None, :]).reshape(h * w, grid * grid)
    xa = torch.cat([x[0].reshape(3, -1).T, torch.ones(h * w, 1, dtype=x.dtype)], dim=1)  # (P, 4)
    design = (spatial[:, :, None] * xa[:, None, :]).reshape(h * w, -1)  # (P, G*G*4)
    target = y[0].reshape(3, -1).T
    normal = design.T @ design + 1e-6 * torch.eye(design.shape[1], dtype=x.dtype)
    sol = torch.linalg.solve(normal, design.T @ target)  # (G*G*4, 3)
    return sol.reshape(grid, grid, 4, 3).permute(3, 2, 0, 1).reshape(1, 12, grid, grid)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", nargs="+", required=True, help="photo files or folders")
    ap.add_argument("--teacher", default="vintagify")
    ap.add_argument("--models", nargs="*", default=[], help="students to add as rows (as edgegan eval takes them)")
    ap.add_argument("--low", type=int, nargs="*", default=[128], help="resolutions to run the teacher at")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default="outputs/guided_ceiling.json")
    a = ap.parse_args()

    from edgegan.data.samples import validation_set
    from edgegan.errors import EdgeganError
    from edgegan.importers import open_model
    from edgegan.io import ensure_writable_dir, write_json
    from edgegan.machine import machine
    from edgegan.media import resize_to, to_image, to_tensor
    from edgegan.metrics.drift import psnr
    from edgegan.models.guided import fit_maps
    from edgegan.models.student import apply_maps
    from edgegan.progress import progress
    from edgegan.registry import MODELS
    from edgegan.runtime.backends import load_backend
    from edgegan.runtime.stylizer import Stylizer

    try:
        bad = [low for low in a.low if low < 16 or low % 4]
        if bad:
            raise EdgeganError(f"--low must be multiples of 4, at least 16; got {bad}")
        ensure_writable_dir(Path(a.json).resolve().parent)  # before the run, not after it
        if a.teacher == "vintagify":
            open_model(a.teacher)
        names, photos = validation_set(a.photos, a.size)
        teacher = Stylizer(load_backend(open_model(a.teacher), None, a.threads))
        students = {m: Stylizer(load_backend(open_model(m), None, a.threads)) for m in a.models}
    except EdgeganError as e:
        sys.exit(f"guided_ceiling: error: {e}")
    rows: dict[str, list[float]] = {"input": [], "global_fit": [], "field_fit": []}
    rows.update({f"teacher_low_{low}": [] for low in a.low})
    rows.update({m: [] for m in a.models})
    guided = MODELS.get("guided_resnet").resolved_args()  # the shipped student's field and ridge

    def tensor(img: np.ndarray) -> torch.Tensor:  # float64 for the joint least squares
        return torch.from_numpy(to_tensor(img)).double()

    def image(t: torch.Tensor) -> np.ndarray:
        return to_image(t.float().numpy())

    for photo in progress(photos, desc="guided ceiling", unit="photo"):
        ref = teacher(photo)
        x, y = tensor(photo), tensor(ref)
        rows["input"].append(psnr(photo, ref))
        one = joint_field_fit(x, y, 1)
        rows["global_fit"].append(psnr(image(apply_maps(one, x)), ref))
        rows["field_fit"].append(psnr(image(apply_maps(joint_field_fit(x, y, guided["grid"]), x)), ref))
        for low in a.low:
            small = resize_to(photo, low, low)  # area averaging: the student's bilinear copy agrees at 2x
            maps = fit_maps(tensor(small), tensor(teacher(small)), grid=guided["grid"], ridge=guided["ridge"])
            rows[f"teacher_low_{low}"].append(psnr(image(apply_maps(maps, x)), ref))
        for m, s in students.items():
            rows[m].append(psnr(s(photo), ref))
    summary = {
        k: {
            "psnr_mean": round(float(np.mean(v)), 2),
            "psnr_min": round(float(np.min(v)), 2),
            "below_floor": int(np.sum(np.array(v) < FLOOR_DB)),
            "worst": names[int(np.argmin(v))],
        }
        for k, v in rows.items()
    }
    for k, r in summary.items():
        w = f"{r['psnr_min']:6.2f} ({r['worst']})"
        print(f"{k:40s} mean {r['psnr_mean']:6.2f}  worst {w}  below 17: {r['below_floor']}")
    write_json(
        a.json,
        {
            "command": "python benchmarks/guided_ceiling.py " + shlex.join(sys.argv[1:]),
            "machine": machine(),
            "size": a.size,
            "teacher": a.teacher,
            "photos": names,
            "summary": summary,
            "psnr_each": {k: [round(v, 2) for v in vals] for k, vals in rows.items()},
        },
    )
    print(f"figures: {a.json}")


if __name__ == "__main__":
    main()
