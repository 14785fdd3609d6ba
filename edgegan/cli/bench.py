"""``edgegan bench``: latency, cost and drift of several models, interleaved in one run."""

from __future__ import annotations

import sys

from edgegan.cli.options import add_runtime, output_file, positive_int
from edgegan.cli.resolve import prepare
from edgegan.evaluation.bench import format_table, pareto_plot, run_bench
from edgegan.io import write_json


def add_arguments(parser) -> None:
    p = parser
    p.add_argument("models", nargs="+", help="names, checkpoints, .onnx/.xml or export/quantize dirs; MODEL@backend")
    add_runtime(p, threads_default=2, backend="torch | onnxruntime | openvino for every model without @backend")
    p.add_argument("--runs", type=positive_int, default=30)
    p.add_argument("--reference", help="the model drift is measured against (default: the first)")
    p.add_argument("--photos", nargs="+", help="photos for the drift (default: the sample photos)")
    p.add_argument("--json", type=output_file, help="write every figure and the machine here")
    p.add_argument("--plot", type=output_file, help="write the latency/drift Pareto plot here (PNG)")


def run(a) -> None:
    prepare(a.models + [a.reference] * bool(a.reference))
    result = run_bench(
        a.models,
        size=a.size,
        backend=a.backend,
        threads=a.threads,
        runs=a.runs,
        reference=a.reference,
        photos=a.photos,
    )
    result["command"] = "edgegan " + " ".join(sys.argv[1:])
    print(format_table(result))
    if a.json:
        write_json(a.json, result)
        print(f"figures: {a.json}")
    if a.plot:
        pareto_plot(result, a.plot)
        print(f"Pareto plot: {a.plot}")
