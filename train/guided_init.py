"""Start a guided student (edgegan/models/guided.py) from a CycleGAN generator checkpoint, pruned or not.

    edgegan prune vintagify --ratio 0.75 --out runs/vprune75 --steps 0
    python train/guided_init.py runs/vprune75/pruned runs/guided_p75_init
    edgegan distill ... objective.args.init=runs/guided_p75_init      (train/configs/distill/vintage_guided.yaml)

The generator's weights become the student's ``net`` (pruned widths included); ``--low`` and ``--grid`` set the
resolution it runs at and the field of fitted maps. Unpruned, this is the teacher run at ``low`` px and carried to
full resolution by fitted maps: the ceiling a pruned student is distilled towards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edgegan.checkpoint import read_model_config  # noqa: E402
from edgegan.errors import EdgeganError  # noqa: E402
from edgegan.importers import open_model  # noqa: E402
from edgegan.models import load_model, save_model  # noqa: E402
from edgegan.registry import MODELS  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("generator", help="a CycleGAN ResNet generator: checkpoint directory or shipped name")
    ap.add_argument("out", help="checkpoint directory to write")
    ap.add_argument("--low", type=int, default=128, help="the resolution the network runs at (multiple of 4)")
    ap.add_argument("--grid", type=int, default=4, help="nodes per side of the fitted field of maps")
    a = ap.parse_args()
    try:
        ref = open_model(a.generator).require_checkpoint("a guided student")
        spec = read_model_config(ref)["model"]
        entry = MODELS.get(spec["name"])
        if entry.builder.__name__ != "ResnetGenerator":
            raise EdgeganError(f"{a.generator!r} is not a CycleGAN ResNet generator (it is {spec['name']})")
        gen = entry.resolved_args(spec.get("args", {}))
        fixed = {"in_channels": 3, "out_channels": 3, "padding": "reflect", "dropout": 0.0}  # what the student builds
        other = {k: gen[k] for k, v in fixed.items() if gen[k] != v}
        if other:
            raise EdgeganError(f"a guided student takes an RGB generator with reflect padding, no dropout; got {other}")
        args = {k: gen[k] for k in ("base_channels", "n_blocks", "norm")}
        args.update(low=a.low, grid=a.grid)
        student = MODELS.build("guided_resnet", args).load_generator(load_model(ref))
        save_model(a.out, student, {"name": "guided_resnet", "args": args}, parent=str(ref), created_by=" ".join(
            ["python train/guided_init.py", *sys.argv[1:]]))  # fmt: skip
    except (EdgeganError, ValueError, RuntimeError) as e:
        sys.exit(f"guided_init: error: {e}")
    print(f"wrote {a.out}: guided_resnet {args} around {a.generator}")


if __name__ == "__main__":
    main()
