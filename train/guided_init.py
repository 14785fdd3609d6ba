"""Start a guided student (edgegan/models/guided.py) from a CycleGAN generator checkpoint, pruned or not, or from
another guided student's network.

    edgegan prune vintagify --ratio 0.75 --out runs/vprune75 --steps 0
    python train/guided_init.py runs/vprune75/pruned runs/guided_p75_init
    edgegan distill ... objective.args.init=runs/guided_p75_init      (train/configs/distill/vintage_guided.yaml)
    python train/guided_init.py vintage_guided runs/q192b4_init --low 192 --keep-blocks 0 3 6 8
                                                                       (train/configs/distill/vintage_view.yaml)

The generator's weights become the student's ``net`` (pruned widths included); ``--low`` and ``--grid`` set the
resolution it runs at and the field of fitted maps. Unpruned, this is the teacher run at ``low`` px and carried to
full resolution by fitted maps: the ceiling a pruned student is distilled towards. ``--keep-blocks`` keeps only those
residual blocks, in that order; ``--sees N`` reads an N-times finer view by space-to-depth (the student starts as
the generator on the cells' averages).

Which blocks (session 21): dropping residual blocks from the CycleGAN generator is not free. On 200 of the
squashed-frame labels (`runs/labels_v256`), `vintage_guided` at 192 px is 25.3 dB from the teacher (the frame itself
20.7); with blocks (0, 3, 6, 8) kept 19.1, (6, 7, 8) 18.6, (0, 1, 2, 3) 18.5, (0, 4, 8) 14.3, (0, 1, 2) 13.8. The
best four start the 1.02-GMAC student, which distillation then trains back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from torch import nn  # noqa: E402

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
    ap.add_argument("--keep-blocks", type=int, nargs="+", help="the residual blocks kept (indices, in order)")
    ap.add_argument("--sees", type=int, default=1, help="read a view this many times finer (space-to-depth)")
    a = ap.parse_args()
    try:
        ref = open_model(a.generator).require_checkpoint("a guided student")
        spec = read_model_config(ref)["model"]
        entry = MODELS.get(spec["name"])
        gen = entry.resolved_args(spec.get("args", {}))
        if entry.builder.__name__ == "GuidedStudent":  # its network, the same shape as a generator's
            if gen.get("sees", 1) != 1:
                raise EdgeganError(f"{a.generator!r} reads a finer view already (sees={gen['sees']})")
            net = load_model(ref).net
        elif entry.builder.__name__ == "ResnetGenerator":
            fixed = {"in_channels": 3, "out_channels": 3, "padding": "reflect", "dropout": 0.0}  # the student's
            other = {k: gen[k] for k, v in fixed.items() if gen[k] != v}
            if other:
                raise EdgeganError(f"a guided student takes an RGB generator, reflect padding, no dropout; got {other}")
            net = load_model(ref)
        else:
            raise EdgeganError(f"{a.generator!r} is not a CycleGAN ResNet generator (it is {spec['name']})")
        args = {k: gen[k] for k in ("base_channels", "n_blocks", "norm")}
        if a.keep_blocks:
            if any(not 0 <= b < len(net.blocks) for b in a.keep_blocks):
                raise EdgeganError(f"--keep-blocks {a.keep_blocks}: indices from 0 to {len(net.blocks) - 1}")
            net.blocks = nn.Sequential(*[net.blocks[b] for b in a.keep_blocks])
            args["n_blocks"] = len(a.keep_blocks)
        args.update(low=a.low, grid=a.grid, **({"sees": a.sees} if a.sees != 1 else {}))
        student = MODELS.build("guided_resnet", args).load_generator(net)
        save_model(a.out, student, {"name": "guided_resnet", "args": args}, parent=str(ref), created_by=" ".join(
            ["python train/guided_init.py", *sys.argv[1:]]))  # fmt: skip
    except (EdgeganError, ValueError, RuntimeError) as e:
        sys.exit(f"guided_init: error: {e}")
    print(f"wrote {a.out}: guided_resnet {args} around {a.generator}")


if __name__ == "__main__":
    main()
