"""Every style of the painting network in one INT8 file (``edgegan export magenta_style_19 --int8 --style-input``):
quality of each style against the float network at that style on unseen photos, and the cost of the style input.

    python train/data/fetch.py unseen
    python benchmarks/painting_styles.py --unseen data/unseen --json docs/results/painting_styles.json

1. exports (in --work) the one-style INT8 file (the shipped form, style 19) and the all-styles INT8 file, both
   OpenVINO at the name's own INT8 bound, calibrated on the sample photos (never on the unseen ones);
2. for each of the 26 styles: the all-styles file switched to it against the float PyTorch network at that style,
   on the unseen photos at --size px: mean and worst PSNR (dB);
3. network latency of both files at --camera (interleaved, 2 threads), and a picture of one unseen photo in every
   style (``--work/styles.png``);
4. with --per-style: each style exported on its own (``edgegan export magenta_style_19 --int8 --style K``, calibrated
   for that style alone) and measured the same way: the quality one file per style buys.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NAME = "magenta_style_19"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unseen", required=True, help="folder of photos never used in training or calibration")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--camera", default="640x480")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="outputs/painting_styles")
    ap.add_argument("--json", default="outputs/painting_styles/painting_styles.json")
    ap.add_argument("--per-style", action="store_true", help="also one INT8 file per style (26 exports)")
    a = ap.parse_args()

    import numpy as np

    from edgegan.data.samples import validation_set
    from edgegan.evaluation.bench import interleaved_latency
    from edgegan.importers import open_model
    from edgegan.io import read_json, write_json
    from edgegan.machine import machine
    from edgegan.media import image_grid, save_image
    from edgegan.metrics.drift import psnr
    from edgegan.pipelines.deploy import int8_openvino
    from edgegan.progress import progress
    from edgegan.runtime.backends import load_backend
    from edgegan.runtime.stylizer import Stylizer

    open_model(NAME)
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    files = {
        kind: int8_openvino(NAME, work, style_input=kind == "all_styles", threads=a.threads)
        for kind in ("one_style", "all_styles")
    }
    reports = {kind: read_json(xml.with_suffix(".json")) for kind, xml in files.items()}
    names, photos = validation_set([a.unseen], a.size)
    torch_st = Stylizer(load_backend(NAME, "torch", a.threads))
    int8_st = Stylizer(load_backend(files["all_styles"], "openvino", a.threads))
    n = int8_st.n_styles
    per_style, refs = {}, {}  # refs: the float network at each style, reused for the one-style files
    first_row = []
    for k in progress(range(n), desc="styles", unit="style"):
        torch_st.set_style(k)
        int8_st.set_style(k)
        ref = refs[k] = torch_st.many(photos)[0]
        got, _ = int8_st.many(photos)
        each = [psnr(g, r) for g, r in zip(got, ref, strict=True)]
        worst = int(np.argmin(each))
        per_style[k] = {"psnr_mean": round(float(np.mean(each)), 2), "psnr_min": round(each[worst], 2),
                        "worst_photo": names[worst]}  # fmt: skip
        first_row.append(got[0])
    separate = {}
    if a.per_style:
        for k in progress(range(n), desc="one file per style", unit="style"):
            ref = refs[k]
            got, _ = Stylizer(
                load_backend(int8_openvino(NAME, work, style=k, threads=a.threads), "openvino", a.threads)
            ).many(photos)
            each = [psnr(g, r) for g, r in zip(got, ref, strict=True)]
            separate[k] = {"psnr_mean": round(float(np.mean(each)), 2), "psnr_min": round(min(each), 2)}
    means = [v["psnr_mean"] for v in per_style.values()]
    w, h = (int(v) for v in a.camera.split("x"))
    frame = np.random.default_rng(0).uniform(-1, 1, (1, 3, h, w)).astype(np.float32)
    runners = {k: load_backend(p, "openvino", a.threads).run for k, p in files.items()}
    lat = interleaved_latency(runners, frame, runs=30)
    save_image(work / "styles.png", image_grid([[photos[0], *first_row[:13]], [photos[0], *first_row[13:]]],
                                               row_labels=["0-12", "13-25"], cell=112))  # fmt: skip
    result = {
        "command": "python benchmarks/painting_styles.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "photos": len(photos),
        "size": a.size,
        "styles": n,
        "per_style": per_style,
        "mean_over_styles": round(float(np.mean(means)), 2),
        "lowest_style_mean": {"style": int(np.argmin(means)), "psnr_mean": float(min(means))},
        "latency_ms": {k: round(v["median_ms"], 2) for k, v in lat.items()},
        **({"one_file_per_style": separate} if separate else {}),
        "camera": a.camera,
        "exports": {k: v.get("quantization", {}) for k, v in reports.items()},
        "picture": str(work / "styles.png"),
    }
    write_json(a.json, result)
    print(f"{n} styles on {len(photos)} unseen photos: INT8 vs float at each style {np.mean(means):.2f} dB mean of "
          f"means, lowest style {int(np.argmin(means))} at {min(means):.2f} dB; latency at {a.camera}: "
          f"{result['latency_ms']}")  # fmt: skip
    if separate:
        sm = [v["psnr_mean"] for v in separate.values()]
        print(
            f"one file per style: {np.mean(sm):.2f} dB mean of means, "
            f"lowest style {int(np.argmin(sm))} at {min(sm):.2f}"
        )
    print(f"figures: {a.json}; picture: {work / 'styles.png'}")


if __name__ == "__main__":
    main()
