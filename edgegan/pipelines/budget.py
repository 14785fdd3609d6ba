"""``edgegan compress``: a model brought to a frame-rate budget on this machine, chosen by measurement.

The post-training levers, cheapest first, each measured here and now:

- **precision and backend**: float on ONNX Runtime and on OpenVINO, INT8 on OpenVINO at a ladder of
  accuracy-control bounds (the architecture's own, then 3 and 6 dB lower);
- **network resolution**: the network run with the frame's long side at 1, 3/4, 1/2, 3/8 and 1/4 of the target's,
  its output carried back to full resolution the way ``edgegan video`` does it (the input shrunk by area
  averaging), by each **carrier** (:func:`edgegan.media.carry`): the output enlarged bilinearly, or its change
  enlarged and added to the full-resolution frame (``--carrier detail``, which keeps the frame's own detail);
- **threads**: one, and every core;
- **students**: a distilled student of the model, given (``students``) or shipped with edgegan and made from these
  very weights (its ``lineage.json`` names their hash), goes through the same ladder.

Fidelity of each (model, resolution) is PSNR against the float teacher (``model``) at full resolution on the photos
(cropped to the target's aspect and resized to it): mean and worst, with the input photo's own PSNR to the same
reference as the baseline a candidate must beat to have done anything. Speed is the network's median latency, all
candidates of one resolution timed interleaved; then, from the most faithful down, each candidate that could meet
the budget runs ``edgegan video --temporal`` end to end on a clip at the target size until one does (one whose
network is no faster than a miss's in the same pipeline, same side, carrier and threads, is not run). The choice is
the most faithful candidate whose end-to-end rate meets the budget (and ``min_psnr``, the mean, and ``min_worst``,
the worst photo, when given); a tie (0.05 dB) goes to the faster. The chosen one's temporal stability is measured
on the same clip: its ``--temporal`` output's warping error and sharpness against its own per-frame output. No
candidate meeting both is a one-line error naming the closest on either side, with the report still written. Every
export and measurement is kept in ``DIR/work``, so a rerun resumes.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import numpy as np

from edgegan.artifact import ModelRef
from edgegan.compress.quantize import default_min_psnr
from edgegan.data.samples import video_paths
from edgegan.errors import EdgeganError
from edgegan.evaluation.bench import interleaved_latency
from edgegan.importers import open_model
from edgegan.io import ensure_writable_dir, read_json, write_json
from edgegan.lineage import read_lineage
from edgegan.media import CARRIERS, write_camera_clip
from edgegan.metrics.cost import cost, count_work
from edgegan.metrics.drift import psnr
from edgegan.models import load_model
from edgegan.pipelines.budget_measure import (
    carried,
    fidelity_frames,
    input_hw,
    network_input,
    reference_outputs,
    temporal_check,
    time_once,
)
from edgegan.pipelines.budget_report import faithful, miss_line, pareto_png, report_md, summarize
from edgegan.pipelines.deploy import cached_export, export_stem
from edgegan.pretrained import SHIPPED, shipped_path
from edgegan.progress import progress
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stylizer import Stylizer
from edgegan.runtime.video import stylize_video
from edgegan.sizes import MIN_SIDE

SCALES = (1.0, 0.75, 0.5, 0.375, 0.25)  # network long side / the target's
INT8_STEPS_DB = (0.0, 3.0, 6.0)  # the INT8 ladder: the architecture's bound, then this much lower
TIE_DB = 0.05
PSNR_IDENTICAL = 100.0  # dB recorded for an output identical to the reference (JSON has no infinity)
CLIP_FRAMES = 90
PROBE_SLACK = 1.5  # a network slower than this many budget periods is not measured further
LATENCY_RUNS = 15
ANCHOR_S = 120.0  # the most a too-slow full-size candidate's fidelity may take to be measured anyway
INT8_GAIN = 4.0  # the most INT8 can gain over float on a CPU: four 8-bit lanes in each 32-bit one
INT8_NONE = float("inf")  # the min_psnr that asks _models for no INT8 ladder


@dataclasses.dataclass
class Candidate:
    model: str  # the model file this candidate runs
    label: str  # "fp32 onnxruntime", "int8>=27 openvino", a student's prefixed by its name: "vintage_guided fp32 ..."
    precision: str  # "int8" or "fp32": the arithmetic its network runs in here
    source: str  # the network it comes from: the model itself or one of its students (a key of the costs)
    backend: str
    side: int  # the network's long side
    threads: int
    bytes: int
    gmacs: float  # the float network's MACs at this side, counted at its input's shape
    carrier: str = "bilinear"  # how a side below the frame's returns to it (edgegan.media.carry)
    psnr_mean: float | None = None
    psnr_worst: float | None = None
    worst_photo: str | None = None
    probe_ms: float | None = None  # one run on every core (None with too_slow: a smaller side already was)
    too_slow: bool = False  # the probe (or a smaller side's) took over PROBE_SLACK budget periods
    network_ms: float | None = None  # median, interleaved with the other candidates of its side
    e2e_fps: float | None = None  # edgegan video --temporal, end to end (None: not run, it could not meet the budget)

    @property
    def runner(self) -> tuple[str, str, int]:
        """What runs its network: the carriers of one (model file, backend, threads) share every timing of it."""
        return self.model, self.backend, self.threads

    @property
    def key(self) -> str:
        return f"{self.label} @{self.side} x{self.threads}" + ("" if self.carrier == "bilinear" else f" {self.carrier}")


MEASURED = ("psnr_mean", "psnr_worst", "worst_photo", "probe_ms", "network_ms", "e2e_fps")  # what a rerun reuses


def _models(
    source: ModelRef, float_onnx: Path, name: str, threads: int, min_psnr: float | None, may_export
) -> list[tuple[str, ...]]:
    """(label, precision, backend, model file) of every precision and backend of one network: its float ONNX on
    ONNX Runtime and OpenVINO, and its INT8 ladder on OpenVINO (an INT8 file not made yet only if ``may_export()``).
    ``name``: the label's prefix ('' for the model); the INT8 files go beside ``float_onnx``."""
    work = float_onnx.parent
    pre = _prefix(name)
    rows = [(f"{pre}fp32 onnxruntime", "fp32", "onnxruntime", str(float_onnx))]
    rows.append((f"{pre}fp32 openvino", "fp32", "openvino", str(float_onnx)))
    top = default_min_psnr(source)
    bounds = sorted({top - d for d in INT8_STEPS_DB if min_psnr is None or top - d >= min_psnr}, reverse=True)
    bounds = [] if min_psnr == INT8_NONE else bounds
    for b in progress(bounds, desc=f"INT8 ladder {name}".strip(), unit="bound"):
        # named by the bound alone: the work folder is this network's (the report's source hash checks that)
        xml = work / f"int8.min{b:g}.xml"
        if not xml.is_file() and not may_export():
            continue
        xml = cached_export(source, "openvino", xml, int8=True, min_psnr=b, threads=threads)
        rows.append((f"{pre}int8>={b:g}dB openvino", "int8", "openvino", str(xml)))
    return rows


def _prefix(name: str) -> str:
    """A label's prefix naming its network: a student's name and a space, nothing for the model itself."""
    return f"{name} " if name else ""


def students_of(ref: ModelRef, given: list[str] | None = None) -> dict[str, ModelRef]:
    """The students ``compress`` measures beside ``ref``: those ``given`` (checkpoints or shipped names), and every
    model shipped with edgegan whose ``lineage.json`` names ``ref``'s very weights (by hash) as its parent."""
    found: dict[str, ModelRef] = {}
    for spec in given or []:
        student = open_model(spec)
        student.require_checkpoint("a student for edgegan compress")
        student.require_image_input()
        found[export_stem(spec)] = student
    for name in SHIPPED:
        lineage = read_lineage(shipped_path(name)) or {}
        if (lineage.get("parent") or {}).get("sha256") == ref.sha256 and name not in found:
            found[name] = open_model(name)
    return found


def _same_pipeline(a: Candidate, b: Candidate) -> bool:
    """Whether ``a`` and ``b`` differ only in their network: the same side, carrier and threads, so the same work
    around it (decode, resize, stabilize, carry, encode) on the same cores."""
    return (a.side, a.carrier, a.threads) == (b.side, b.carrier, b.threads)


def _sides(long_side: int, multiple: int) -> list[int]:
    sides = {max(MIN_SIDE, -(-round(long_side * s) // multiple) * multiple) for s in SCALES}
    return sorted(sides, reverse=True)


def compress_to_budget(
    model: str | os.PathLike | ModelRef,
    out: str | os.PathLike,
    *,
    fps: float,
    size: tuple[int, int],
    photos: list[str] | None = None,
    video: str | None = None,
    min_psnr: float | None = None,
    minutes: float | None = None,
    students: list[str] | None = None,
    min_worst: float | None = None,
) -> dict:
    """Measure every post-training candidate of ``model`` (and of its students) at ``size`` = (width, height) on
    this machine and write ``out``: the chosen model file, ``compress.json``, ``report.md`` and ``pareto.png``.
    Returns the summary."""
    if not fps > 0:
        raise EdgeganError(f"--fps must be a positive frame rate, got {fps:g}")
    if minutes is not None and not minutes > 0:
        raise EdgeganError(f"--minutes must be positive, got {minutes:g}")
    width, height = size
    ref = open_model(model)
    ref.require_checkpoint("edgegan compress")
    ref.require_image_input()
    sources = {"": ref} | students_of(ref, students)  # '' names the model itself
    t_start = time.perf_counter()
    out = ensure_writable_dir(out)
    work = ensure_writable_dir(out / "work")
    cores = max(1, os.cpu_count() or 1)
    thread_options = sorted({1, cores})
    names, frames = fidelity_frames(photos, width, height)
    measured_path = work / "measured.json"
    measured = read_json(measured_path) if measured_path.is_file() else {}
    period_ms = 1000.0 / fps
    stopped: list[str] = []  # the steps --minutes cut short, in order

    def out_of_time(step: str) -> bool:
        """Checked between units of work (an export, a model's photos, a side's timing, a video run), so a run
        ends at most one unit past ``minutes``; every measurement so far is kept, and a rerun resumes."""
        over = minutes is not None and time.perf_counter() - t_start > 60 * minutes
        if over and step not in stopped:
            stopped.append(step)
        return over

    models, costs, sides_of, no_int8 = [], {}, {}, {}
    for name, source in sources.items():
        folder = ensure_writable_dir(work / name) if name else work
        sides_of[name] = _sides(max(width, height), source.io.size_multiple)
        # the INT8 ladder only for a network INT8 could bring within reach: its float probe at the smallest side,
        # divided by the most 8-bit arithmetic gains over 32-bit (4x the lanes), must fit PROBE_SLACK periods
        float_onnx = cached_export(source, "onnx", folder / "float.onnx")
        key = f"{_prefix(name)}fp32 onnxruntime @{min(sides_of[name])} x{cores}"  # that candidate's key
        smallest_ms = measured.get(key, {}).get("probe_ms")
        if smallest_ms is None:
            net = load_backend(float_onnx, "onnxruntime", cores)
            smallest_ms = time_once(net.run, network_input(frames[0], min(sides_of[name]), source.io.size_multiple))
            measured[key] = {"probe_ms": smallest_ms}
        int8 = smallest_ms / INT8_GAIN <= PROBE_SLACK * period_ms
        if not int8:
            no_int8[name] = {"float_probe_ms": smallest_ms, "side": min(sides_of[name]), "most_int8_gain": INT8_GAIN}
        ladder = min_psnr if int8 else INT8_NONE
        models += [
            (name, *row)
            for row in _models(source, float_onnx, name, cores, ladder, lambda: not out_of_time("INT8 ladder"))
        ]
        net = load_model(source)
        # each side's work at the network's input shape: not 256x256 scaled by area, which overstates a network
        # that works at a fixed resolution inside (vintage_guided's 128 px, carried to the frame by its guided field)
        costs[name] = cost(net, 256) | {
            "by_side": {s: count_work(net, input_hw(frames[0], s, source.io.size_multiple)) for s in sides_of[name]}
        }
        del net
    float_onnx = models[0][4]  # the model's own float ONNX: the reference every candidate is scored against
    reference = reference_outputs(work / "reference.npz", Path(float_onnx), frames, cores)
    baseline = [psnr(f, r) for f, r in zip(frames, reference, strict=True)]
    multiple = {name: source.io.size_multiple for name, source in sources.items()}
    size_on_disk = {path: open_model(path).bytes for *_, path in models}
    cands = [
        Candidate(
            path,
            label,
            precision,
            name,
            backend,
            side,
            t,
            size_on_disk[path],
            round(costs[name]["by_side"][side]["macs"] / 1e9, 3),
            carrier,
        )
        for name, label, precision, backend, path in models
        for side in sides_of[name]
        for t in thread_options
        for carrier in (CARRIERS if side < max(sides_of[name]) else ("bilinear",))
    ]
    for c in cands:
        # the figures only: not the verdicts (too_slow depends on this run's budget), and not what the candidate is
        # (its files' paths are this run's: a work folder moved or copied keeps its figures)
        kept = measured.get(c.key, {}).items()
        c.__dict__.update({k: v for k, v in kept if k in MEASURED})

    def save() -> None:  # merged: a candidate this run leaves out (another budget's INT8 ladder) keeps its figures
        write_json(measured_path, measured | {c.key: dataclasses.asdict(c) for c in cands})

    def net_input(name: str, side: int) -> np.ndarray:
        return network_input(frames[0], side, multiple[name])

    # a probe of each (model, side) on every core, smallest side first: a side whose network alone takes over
    # PROBE_SLACK budget periods is out, and so is every larger side of that model
    for name, _label, _p, backend, path in progress(models, desc="probe", unit="model"):
        if out_of_time("probe"):
            break
        net = load_backend(path, backend, cores)  # one per model: every side runs on it
        slow = False
        sides = sides_of[name]
        for side in sorted(sides):
            same = [c for c in cands if c.model == path and c.backend == backend and c.side == side]
            ms = next((c.probe_ms for c in same if c.probe_ms is not None), None)  # one network: one probe
            if not slow and ms is None:
                ms = time_once(net.run, net_input(name, side))
            for c in same:
                c.probe_ms = ms
            slow = slow or (ms or 0) > PROBE_SLACK * period_ms
            for c in same:
                c.too_slow = slow
        full = [c for c in cands if c.model == path and c.backend == backend and c.side == max(sides)]
        if full[0].probe_ms is None:  # the full-size network is the trade-off's anchor: always probed
            ms = time_once(net.run, net_input(name, max(sides)))
            for c in full:
                c.probe_ms = ms
        save()
    live = [c for c in cands if not c.too_slow and c.probe_ms is not None]
    # the full-size candidates too slow for the budget are measured too (not run end to end) when their fidelity
    # takes at most ANCHOR_S: what full fidelity costs here is half of the trade-off the report shows
    full_side = {name: max(sides) for name, sides in sides_of.items()}
    anchors = [
        c for c in cands
        if c.too_slow and c.side == full_side[c.source] and c.probe_ms * len(frames) <= ANCHOR_S * 1e3
    ]  # fmt: skip
    live_or_anchor = live + anchors
    # fidelity: once per (model, side) still in the running; threads change speed only
    for name, _label, _p, backend, path in progress(models, desc="fidelity", unit="model"):
        if out_of_time("fidelity"):
            break
        stylizer = None  # opened once per model, when a side of it still needs measuring
        for side in sides_of[name]:
            same = [c for c in live_or_anchor if c.model == path and c.backend == backend and c.side == side]
            if all(c.psnr_mean is not None for c in same):
                continue
            stylizer = stylizer or Stylizer.open(path, backend, cores)
            for carrier, outs in carried(stylizer, frames, side, tuple(sorted({c.carrier for c in same}))).items():
                scores = [min(psnr(o, r), PSNR_IDENTICAL) for o, r in zip(outs, reference, strict=True)]
                for c in (c for c in same if c.carrier == carrier):
                    c.psnr_mean, c.psnr_worst = float(np.mean(scores)), float(min(scores))
                    c.worst_photo = names[int(np.argmin(scores))]
        save()
    # network latency: every live candidate of one side interleaved (one run, so ratios hold on a noisy machine)
    all_sides = sorted({c.side for c in live_or_anchor}, reverse=True)
    for side in progress(all_sides, desc="latency", unit="side"):
        if out_of_time("latency"):
            break
        of_side = [c for c in live_or_anchor if c.side == side]
        known = {c.runner: c.network_ms for c in of_side if c.network_ms is not None}
        for c in of_side:  # the carriers of one network share its runs
            c.network_ms = c.network_ms if c.network_ms is not None else known.get(c.runner)
        group = [c for c in of_side if c.network_ms is None]
        for name in sorted({c.source for c in group}):  # one input shape per network (multiples differ)
            of = [c for c in group if c.source == name]
            runners = {k: load_backend(*k).run for k in {c.runner for c in of}}
            timed = interleaved_latency(runners, net_input(name, side), runs=LATENCY_RUNS, warmup=2)
            for c in of:
                c.network_ms = timed[c.runner]["median_ms"]
            save()
    # end to end, most faithful first, until one meets the budget
    clip = (
        Path(video)
        if video
        else write_camera_clip(
            video_paths()["bigbuckbunny.mp4"], work / f"clip_{width}x{height}.mp4", (width, height), CLIP_FRAMES
        )
    )
    chosen = None
    ready = [c for c in live if c.psnr_mean is not None and c.network_ms is not None]
    missed: list[Candidate] = []  # run end to end, below the budget
    for c in sorted(ready, key=lambda c: (-c.psnr_mean, c.network_ms)):
        if not faithful(c, min_psnr, min_worst):
            continue
        if 1000.0 / c.network_ms < fps:  # the network alone is too slow: the pipeline cannot be faster
            continue
        if c.e2e_fps is None and any(_same_pipeline(m, c) and c.network_ms >= m.network_ms for m in missed):
            continue  # the same pipeline around a network no faster than one that missed would miss too
        if out_of_time("end to end"):
            break
        if c.e2e_fps is None:
            r = stylize_video(c.model, str(clip), str(work / "e2e.mp4"), size=c.side, temporal=True,
                              backend=c.backend, threads=c.threads, show_progress=False, carrier=c.carrier)  # fmt: skip
            c.e2e_fps = float(r["fps"])
            save()
        if c.e2e_fps >= fps:
            chosen = c
            break
        missed.append(c)
    if chosen is not None:  # a tie in fidelity goes to the faster
        ties = [c for c in cands if c.e2e_fps and c.e2e_fps >= fps and faithful(c, min_psnr, min_worst)
                and c.psnr_mean >= chosen.psnr_mean - TIE_DB]  # fmt: skip
        chosen = max(ties, key=lambda c: c.e2e_fps)
    temporal = temporal_check(chosen, clip, work) if chosen is not None else None
    summary = summarize(
        out, ref, sources, cands, chosen, fps, (width, height), min_psnr, baseline, names, costs, min_worst
    )
    summary["temporal"] = temporal
    summary["no_int8_ladder"] = no_int8
    summary["minutes"] = minutes
    summary["stopped_by_minutes"] = stopped
    summary["seconds"] = round(time.perf_counter() - t_start, 1)
    write_json(out / "compress.json", summary)
    # the worst photo of the chosen candidate, or, when none is, of the closest miss: the most faithful whose
    # network alone is fast enough (else the most faithful measured)
    scored = [c for c in cands if c.psnr_mean is not None and c.network_ms is not None]
    fast = [c for c in scored if 1000.0 / c.network_ms >= fps]
    shown = chosen or max(fast or scored, key=lambda c: c.psnr_mean, default=None)
    worst = None
    if shown is not None:
        k = names.index(shown.worst_photo)
        st = Stylizer.open(shown.model, shown.backend, cores)
        y = carried(st, [frames[k]], shown.side, (shown.carrier,))[shown.carrier][0]
        title = f"{'chosen' if shown is chosen else 'closest miss'}:\n{shown.key}"
        worst = (title, shown.psnr_worst, shown.worst_photo, (frames[k], reference[k], y))
    pareto_png(out / "pareto.png", summary, worst)
    report_md(out / "report.md", summary)
    if chosen is None and stopped:
        raise EdgeganError(
            f"--minutes {minutes:g} ran out at the {stopped[0]} step before a candidate met {fps:g} FPS; the same "
            f"command with more minutes resumes from {work} (what was measured: {out / 'compress.json'})"
        )
    if chosen is None:
        raise EdgeganError(miss_line(cands, fps, min_psnr, min_worst) + f" (every candidate: {out / 'compress.json'})")
    return summary
