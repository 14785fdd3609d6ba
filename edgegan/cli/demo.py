"""``edgegan demo``: the whole pipeline, from teacher to report."""

from __future__ import annotations

from edgegan.cli.options import add_out, add_runtime
from edgegan.pipelines.demo import run_demo


def add_arguments(parser) -> None:
    add_out(parser, required=False, default="outputs/demo")
    add_runtime(parser, threads_default=2)


def run(a) -> None:
    run_demo(a.out, size=a.size, threads=a.threads)
