"""How exactly does the imported vintagify teacher reproduce the original implementation?

For every sample photo (center 256x256 crop), the original vintagify generator class (loaded from the
installed wheel's own generator.py) is compared with edgegan's checkpoint in PyTorch and with its
exported ONNX model on ONNX Runtime: PSNR of the 8-bit outputs, and max absolute difference of the raw
float outputs. Prints a table and saves JSON with the machine it ran on.

    python benchmarks/vintagify_parity.py --out docs/results/vintagify_parity.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from edgegan.data.samples import write_samples
from edgegan.export import export_onnx
from edgegan.importers import import_checkpoint, original_vintagify_generator
from edgegan.io import write_json
from edgegan.machine import machine
from edgegan.media import center_square, list_images, load_image, to_image, to_tensor
from edgegan.metrics.drift import psnr
from edgegan.runtime import load_backend


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="outputs/bench/vintagify_parity.json")
    ap.add_argument("--size", type=int, default=256)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="edgegan-parity-"))
    samples = write_samples(work / "samples")
    ckpt = import_checkpoint("vintagify", None, work / "vintagify")
    export_onnx(ckpt, work / "vintagify.onnx")
    ref = original_vintagify_generator()
    backends = {"pytorch": load_backend(ckpt), "onnxruntime": load_backend(work / "vintagify.onnx")}
    rows = []
    for p in list_images(samples / "photos"):
        x = to_tensor(center_square(load_image(p), args.size))
        with torch.inference_mode():
            want = ref(torch.from_numpy(x)).numpy()
        row = {"photo": p.stem}
        for name, b in backends.items():
            got = b.run(x)
            row[f"{name}_psnr_db"] = psnr(to_image(got), to_image(want))
            row[f"{name}_max_abs"] = float(np.abs(got - want).max())
        rows.append(row)
    print(f"{'photo':20s} {'PyTorch PSNR':>13s} {'max|d|':>9s} {'ORT PSNR':>9s} {'max|d|':>9s}")
    for r in rows:
        print(
            f"{r['photo']:20s} {r['pytorch_psnr_db']:13.1f} {r['pytorch_max_abs']:9.1e} "
            f"{r['onnxruntime_psnr_db']:9.1f} {r['onnxruntime_max_abs']:9.1e}"
        )
    summary = {
        "size": args.size,
        "photos": len(rows),
        "min_psnr_db": {k: min(r[f"{k}_psnr_db"] for r in rows) for k in backends},
        "max_abs": {k: max(r[f"{k}_max_abs"] for r in rows) for k in backends},
        "rows": rows,
        "machine": machine(),
        "command": "python benchmarks/vintagify_parity.py",
    }
    print(json.dumps({k: summary[k] for k in ("min_psnr_db", "max_abs")}))
    write_json(args.out, summary)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
