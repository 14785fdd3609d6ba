"""What limits a colour student at camera resolution: the carrier that brings its output to the frame, or its decision?

    python benchmarks/carrier_ceiling.py --photos data/confirm --size 1280x720 \
        --reference outputs/compress/vintagify_1280x720/work/reference.npz --teacher-lows 128 256 \
        --json outputs/carrier_ceiling.json

Against the teacher (default vintagify) run at the frame's own size on every photo (cropped to the frame's aspect, as
``edgegan compress`` does; ``--reference`` reuses compress's ``work/reference.npz`` instead of 15 s a photo):

- ``oracle_full``: the guided student's carrier with a perfect decision: a 4x4 field of colour-affine maps fitted at
  128 px to the teacher's own output, applied to the full frame (edgegan/models/guided.py);
- ``oracle_<side>_<carrier>``: the same maps applied at ``side`` px, brought to the frame by each carrier of
  :func:`edgegan.media.carry` (bilinear: enlarged; detail: the change enlarged and added to the frame);
- ``teacher_low_<L>`` (``--teacher-lows``): the teacher's own decision at L x L, carried by maps fitted to it;
- ``model <path>`` (``--models``): a guided student (any checkpoint) run on the whole frame, in float;
- ``deployed <file> @<side> <carrier>`` (``--deployed FILE@SIDE``): an exported network (an INT8 ``.xml`` from
  ``edgegan compress``'s work folder, or any ``.onnx``) run as ``edgegan video --size SIDE --carrier C`` runs it, for
  both carriers;
- ``input``: the photo itself.

Mean and worst PSNR per row, printed and saved (JSON) with the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--photos", nargs="+", required=True)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--teacher", default="vintagify")
    p.add_argument("--reference", help="an .npz of the teacher's outputs at --size (compress's work/reference.npz)")
    p.add_argument("--sides", type=int, nargs="+", default=[640, 480, 320, 256])
    p.add_argument("--teacher-lows", type=int, nargs="*", default=[])
    p.add_argument("--models", nargs="*", default=[], help="students to score on the whole frame (float, PyTorch)")
    p.add_argument(
        "--deployed",
        nargs="*",
        default=[],
        metavar="FILE@SIDE",
        help="exported networks scored as edgegan video runs them at SIDE px (both carriers)",
    )
    p.add_argument("--threads", type=int, default=2, help="the deployed networks' threads")
    p.add_argument("--json", default="outputs/carrier_ceiling.json")
    a = p.parse_args()
    deployed = []  # checked before any photo is read
    for spec in a.deployed:
        path, _, side = spec.rpartition("@")
        if not path or not side.isdigit() or not Path(path).is_file():
            p.error(f"--deployed {spec!r}: expected an existing FILE@SIDE, e.g. work/vintage_hd/int8.min32.xml@480")
        deployed.append((path, int(side)))

    import torch

    from edgegan.importers import open_model
    from edgegan.io import write_json
    from edgegan.machine import describe, machine
    from edgegan.media import carry, resize_long_side, to_image, to_tensor
    from edgegan.metrics.drift import psnr
    from edgegan.models import load_model
    from edgegan.models.guided import fit_maps
    from edgegan.models.student import apply_maps, downsample
    from edgegan.pipelines.budget_measure import carried, fidelity_frames, reference_outputs
    from edgegan.pipelines.deploy import cached_export
    from edgegan.progress import progress
    from edgegan.runtime.stylizer import Stylizer
    from edgegan.sizes import parse_frame_size

    width, height = parse_frame_size(a.size)
    names, frames = fidelity_frames(a.photos, width, height)
    ref_path = Path(a.reference) if a.reference else Path(a.json).with_suffix(".reference.npz")
    teacher = open_model(a.teacher)
    onnx = None if ref_path.is_file() else cached_export(teacher, "onnx", ref_path.with_suffix(".onnx"))
    reference = reference_outputs(ref_path, onnx, frames, 2)

    def t(x: np.ndarray) -> torch.Tensor:  # the runtimes' own conversions (edgegan.media)
        return torch.from_numpy(to_tensor(x))

    def u(x: torch.Tensor) -> np.ndarray:
        return to_image(x.numpy())

    rows: dict[str, list[float]] = {"input": [psnr(f, r) for f, r in zip(frames, reference, strict=True)]}
    net = load_model(teacher) if a.teacher_lows else None
    students = {m: load_model(open_model(m)).eval() for m in a.models}
    with torch.inference_mode():
        for f, r in progress(list(zip(frames, reference, strict=True)), desc="photos", unit="photo"):
            x = t(f)
            maps = fit_maps(downsample(x, 128), downsample(t(r), 128), 4, 1e-3)
            rows.setdefault("oracle_full", []).append(psnr(u(apply_maps(maps, x)), r))
            for side in a.sides:
                small = resize_long_side(f, side)
                y = u(apply_maps(maps, t(small)))
                for c in ("bilinear", "detail"):
                    rows.setdefault(f"oracle_{side}_{c}", []).append(psnr(carry(y, small, f, c), r))
            for low in a.teacher_lows:
                lo = downsample(x, low)
                own = apply_maps(fit_maps(lo, net(lo), 4, 1e-3), x)
                rows.setdefault(f"teacher_low_{low}", []).append(psnr(u(own), r))
            for m, student in students.items():
                rows.setdefault(f"model {m}", []).append(psnr(u(student(x)), r))
    for path, side in deployed:
        outs = carried(Stylizer.open(path, None, a.threads), frames, side, ("bilinear", "detail"))
        for c, ys in outs.items():
            rows[f"deployed {path} @{side} {c}"] = [psnr(y, r) for y, r in zip(ys, reference, strict=True)]
    result = {
        "teacher": a.teacher,
        "size": [width, height],
        "photos": names,
        "rows": {
            k: {"mean": float(np.mean(v)), "worst": float(np.min(v)), "worst_photo": names[int(np.argmin(v))]}
            for k, v in rows.items()
        },
        "machine": machine(),
    }
    print(describe(result["machine"]))
    for k, v in result["rows"].items():
        print(f"  {k:24s} mean {v['mean']:6.2f} dB  worst {v['worst']:6.2f} ({v['worst_photo']})")
    write_json(a.json, result)
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
