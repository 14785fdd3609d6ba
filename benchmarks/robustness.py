"""Worst cases on unseen photos: every vintagify student, float and INT8, against the teacher (the bars of the
robustness issue: mean PSNR at least 1.5 dB above the untouched photo's, no photo below 17 dB).

    python train/data/fetch.py unseen    # data/unseen: photos no step of edgegan has used
    python benchmarks/robustness.py --unseen data/unseen --json docs/results/robustness.json

1. stress inputs from --stress-photos of the unseen photos (``edgegan data stress``: bright, dark, pastel,
   low-contrast, grayscale, saturated, colour cast, coloured light (since session 11), noisy, flat, tiny, huge),
   in --work/stress;
2. each model's INT8 export (``edgegan export MODEL --int8 --format openvino``, calibrated on the sample
   photos, never on the unseen ones);
3. ``edgegan eval`` against the teacher on the unseen photos, then on the stress inputs: mean and worst PSNR,
   the worst photo, the share of the input-to-teacher gap closed, the teacher's own consistency (mirrored and
   shifted input); reports and pictures in --work/unseen and --work/stress.
Models: the shipped students of --teacher (default) or --models (names or checkpoint directories). The painting
model's bar (INT8 at least 26 dB from the float teacher on unseen photos): the shipped painting network is
the teacher's own INT8 export (``--min-psnr 27``: every convolution INT8, docs/painting.md):

    python benchmarks/robustness.py --teacher magenta_style_19 --models magenta_style_19 --int8-min-psnr 27 \
        --mean-bar 26 --no-stress --unseen data/unseen --json docs/results/painting_quality.json
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MARGIN_DB, FLOOR_DB = 1.5, 17.0


def summarize(report: dict, teacher: str, mean_bar: float | None = None) -> dict:
    iv = report["input_vs_reference"]
    rows = {}
    for spec, row in report["models"].items():
        if spec == teacher:
            continue
        q = row["vs_reference"]
        rows[spec] = {
            "psnr_mean": round(q["psnr_mean"], 2),
            "psnr_min": round(q["psnr_min"], 2),
            "margin_over_input_db": round(q["psnr_mean"] - iv["psnr_mean"], 2),
            "gap_closed": round(q["gap_closed"], 3),
            "worst": q["worst"],
            "passes": bool(
                q["psnr_mean"] >= mean_bar
                if mean_bar is not None
                else q["psnr_mean"] - iv["psnr_mean"] >= MARGIN_DB and q["psnr_min"] >= FLOOR_DB
            ),
        }
    return {
        "photos": report["photos"],
        "input": {"psnr_mean": round(iv["psnr_mean"], 2), "psnr_min": round(iv["psnr_min"], 2)},
        "teacher_self_consistency": {
            k: {"psnr_mean": round(v["psnr_mean"], 2), "psnr_min": round(v["psnr_min"], 2)}
            for k, v in report["reference_self_consistency"].items()
        },
        "models": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unseen", required=True, help="folder of photos never used in training or selection")
    ap.add_argument("--teacher", default="vintagify", help="the reference (a name, checkpoint or exported file)")
    ap.add_argument("--models", nargs="+", help="students to judge (default: every shipped student of --teacher)")
    ap.add_argument(
        "--mean-bar", type=float, help="pass = mean PSNR at least this (default: the margin and floor bars)"
    )
    ap.add_argument("--no-stress", action="store_true", help="the unseen photos only")
    ap.add_argument("--int8-min-psnr", type=float, help="the INT8 exports' --min-psnr (dB; default: the name's or 32)")
    ap.add_argument("--stress-photos", type=int, default=20, help="unseen photos (evenly spaced) given the stress set")
    ap.add_argument("--work", default="outputs/robustness")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default="outputs/robustness/robustness.json")
    a = ap.parse_args()

    from edgegan.data.stress import write_stress_set
    from edgegan.evaluation.eval import run_eval
    from edgegan.importers import open_model
    from edgegan.io import write_json
    from edgegan.machine import machine
    from edgegan.media import collect_inputs
    from edgegan.pipelines.deploy import int8_openvino
    from edgegan.pretrained import SHIPPED

    teacher = a.teacher
    open_model(teacher)
    work = Path(a.work)
    models = a.models or [n for n, m in SHIPPED.items() if m["teacher"] == teacher]
    stress = work / "stress_inputs"  # the report goes to work/stress: never among its own inputs
    made_from = f"{Path(a.unseen).resolve()} {a.stress_photos}\n"  # a stress set of other photos is made again
    done = stress / ".complete"
    if not a.no_stress and not (done.is_file() and done.read_text() == made_from):
        unseen = collect_inputs([a.unseen])
        step = max(1, len(unseen) // a.stress_photos)
        if stress.is_dir():
            shutil.rmtree(stress)
        write_stress_set(unseen[::step][: a.stress_photos], stress)
        done.write_text(made_from)
    specs = [teacher]
    for m in models:
        xml = int8_openvino(m, work / "int8", min_psnr=a.int8_min_psnr, threads=a.threads)  # runs/a/s: a_s.int8.xml
        specs += ([m] if m != teacher else []) + [f"{xml}@openvino"]  # the teacher's own INT8: judged alone
    result = {
        "command": "python benchmarks/robustness.py " + shlex.join(sys.argv[1:]),
        "machine": machine(),
        "size": a.size,
        "teacher": teacher,
        "bars": {"mean_db": a.mean_bar} if a.mean_bar else {"margin_over_input_db": MARGIN_DB, "floor_db": FLOOR_DB},
    }
    parts = [("unseen", [a.unseen])] + ([] if a.no_stress else [("stress", [str(stress)])])
    for part, photos in parts:
        report = run_eval(specs, str(work / part), photos=photos, size=a.size, threads=a.threads, dist_frames=0)
        result[part] = summarize(report, teacher, a.mean_bar)
        print(f"\n{part}: {result[part]['photos']} photos; input {result[part]['input']}; teacher self-consistency "
              f"{result[part]['teacher_self_consistency']}")  # fmt: skip
        for spec, r in result[part]["models"].items():
            w = r["worst"]
            print(
                f"  {spec:48s} {r['psnr_mean']:6.2f} dB mean ({r['margin_over_input_db']:+.2f} over the input), "
                f"min {r['psnr_min']:6.2f} ({w['photo']}), gap closed {r['gap_closed']:+.2f}"
                + ("" if part == "stress" else ("  PASS" if r["passes"] else "  FAIL"))
            )
    write_json(a.json, result)
    print(f"\nfigures: {a.json}; reports: {work}/unseen/report.md, {work}/stress/report.md")


if __name__ == "__main__":
    main()
