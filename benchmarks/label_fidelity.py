"""Models against a teacher-label cache: PSNR of each model's output on the cache's inputs to the teacher's labels.

    python benchmarks/label_fidelity.py runs/labels_hd720 --every 9 --models vintage_guided runs/vintage_hd/student \
        --json outputs/label_fidelity.json

A cache made with ``edgegan distill --frame 1280x720`` holds whole camera frames and what the teacher does to them
at 1280x720, both squashed to the view's square (edgegan/compress/cache.py): a model run on the stored input is
scored against the teacher's decision at the camera's resolution without running the teacher again (15 s a frame
on 2 cores). ``--every K`` scores only the pairs whose index is a multiple of K: the slice a recipe held out of
training (train/configs/distill/vintage_hd.yaml holds out every 9th pair). Per pair and per model, with the input
itself as the floor; mean and worst; printed and saved with the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("cache", help="a paired_folders cache (train/A, train/B)")
    p.add_argument("--models", nargs="+", required=True, help="checkpoints or shipped names")
    p.add_argument("--every", type=int, default=1, help="score the pairs whose index is a multiple of this")
    p.add_argument("--json", help="write the figures here")
    a = p.parse_args()

    import torch

    from edgegan.importers import open_model
    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.media import load_image, to_image, to_tensor
    from edgegan.metrics.drift import psnr
    from edgegan.models import load_model

    root = Path(a.cache) / "train"
    keys = [int(f.stem) for f in sorted((root / "B").glob("*.png")) if int(f.stem) % a.every == 0]
    if not keys:
        sys.exit(f"label_fidelity: no pairs in {str(root)!r} with an index that is a multiple of {a.every}")
    pairs = [
        (np.asarray(load_image(root / "A" / f"{k:06d}.png")), np.asarray(load_image(root / "B" / f"{k:06d}.png")))
        for k in keys
    ]
    scores = {"input": [psnr(x, y) for x, y in pairs]}
    for m in a.models:
        net = load_model(open_model(m))
        with torch.inference_mode():
            scores[m] = [psnr(to_image(net(torch.from_numpy(to_tensor(x))).numpy()), y) for x, y in pairs]
    result = {
        "cache": str(a.cache),
        "every": a.every,
        "pairs": keys,
        "models": {
            k: {"mean": float(np.mean(v)), "worst": float(np.min(v)), "per_pair": [round(s, 2) for s in v]}
            for k, v in scores.items()
        },
        "machine": machine(),
    }
    for k, v in result["models"].items():
        print(f"{k}: mean {v['mean']:.2f} dB, worst {v['worst']:.2f} over {len(keys)} pairs")
    if a.json:
        write_json(a.json, result)


if __name__ == "__main__":
    main()
