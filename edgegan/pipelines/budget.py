"""``edgegan compress``: a model brought to a frame-rate budget on this machine, chosen by measurement.

The post-training levers, cheapest first, each measured here and now:

- **precision and backend**: float on ONNX Runtime and on OpenVINO, INT8 on OpenVINO at a ladder of
  accuracy-control bounds (the architecture's own, then 3 and 6 dB lower);
- **network resolution**: the network run with the frame's long side at 1, 3/4, 1/2, 3/8 and 1/4 of the target's,
  its output carried back to full resolution the way ``edgegan video`` does it (the input shrunk by area
  averaging, the output enlarged bilinearly);
- **threads**: one, and every core.

Fidelity of each (model, resolution) is PSNR against the float network at full resolution on the photos (cropped
to the target's aspect and resized to it): mean and worst, with the input photo's own PSNR to the same reference as
the baseline a candidate must beat to have done anything. Speed is the network's median latency, all candidates
of one resolution timed interleaved; then, from the most faithful down, each candidate that could meet the budget
runs ``edgegan video --temporal`` end to end on a clip at the target size until one does. The choice is the most
faithful candidate whose end-to-end rate meets the budget (and ``min_psnr``, when given); a tie (0.05 dB) goes to
the faster. No candidate meeting both is a one-line error naming the closest on either side, with the report still
written. Every export and measurement is kept in ``DIR/work``, so a rerun resumes.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import numpy as np

from edgegan.artifact import ModelRef
from edgegan.compress.quantize import default_min_psnr
from edgegan.data.samples import photo_paths, video_paths
from edgegan.errors import EdgeganError
from edgegan.evaluation.bench import interleaved_latency
from edgegan.importers import open_model
from edgegan.io import atomic_write, ensure_writable_dir, read_json, write_json
from edgegan.machine import machine
from edgegan.media import (
    collect_inputs,
    load_image,
    pad_to_multiple,
    resize_long_side,
    resize_to,
    to_tensor,
    write_camera_clip,
)
from edgegan.metrics.cost import cost, count_work
from edgegan.metrics.drift import psnr
from edgegan.metrics.roofline import DEVICES, MODEL, predict_all
from edgegan.models import load_model
from edgegan.pipelines.budget_report import pareto_png, report_md
from edgegan.pipelines.deploy import cached_export
from edgegan.progress import progress
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stylizer import Stylizer
from edgegan.runtime.video import stylize_video
from edgegan.sizes import MIN_SIDE, check_side

SCALES = (1.0, 0.75, 0.5, 0.375, 0.25)  # network long side / the target's
INT8_STEPS_DB = (0.0, 3.0, 6.0)  # the INT8 ladder: the architecture's bound, then this much lower
TIE_DB = 0.05
PSNR_IDENTICAL = 100.0  # dB recorded for an output identical to the reference (JSON has no infinity)
CLIP_FRAMES = 90
PROBE_SLACK = 1.5  # a network slower than this many budget periods is not measured further
LATENCY_RUNS = 15
ANCHOR_S = 120.0  # the most a too-slow full-size candidate's fidelity may take to be measured anyway


@dataclasses.dataclass
class Candidate:
    model: str  # the model file this candidate runs
    label: str  # "fp32 onnxruntime", "int8>=27 openvino", ...
    backend: str
    side: int  # the network's long side
    threads: int
    bytes: int
    gmacs: float  # the float network's MACs at this side, counted at its input's shape
    psnr_mean: float | None = None
    psnr_worst: float | None = None
    worst_photo: str | None = None
    probe_ms: float | None = None  # one run on every core (None with too_slow: a smaller side already was)
    too_slow: bool = False  # the probe (or a smaller side's) took over PROBE_SLACK budget periods
    network_ms: float | None = None  # median, interleaved with the other candidates of its side
    e2e_fps: float | None = None  # edgegan video --temporal, end to end (None: not run, it could not meet the budget)

    @property
    def key(self) -> str:
        return f"{self.label} @{self.side} x{self.threads}"

    @property
    def precision(self) -> str:
        """``int8`` or ``fp32``: the arithmetic its network runs in here."""
        return "int8" if self.label.startswith("int8") else "fp32"


def parse_frame_size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` -> (width, height), each a side edgegan runs at; a one-line error otherwise."""
    w, sep, h = str(text).lower().partition("x")
    if not sep or not w.isdigit() or not h.isdigit():
        raise EdgeganError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1280x720")
    return check_side(int(w), "--size width"), check_side(int(h), "--size height")


def _frames(photos: list[str] | None, width: int, height: int) -> tuple[list[str], list[np.ndarray]]:
    """The photos cropped to the target's aspect and resized to it: what a camera of that size delivers."""
    files = collect_inputs(photos) if photos else list(photo_paths().values())
    names, frames = [], []
    for f in files:
        rgb = np.asarray(load_image(f))
        h, w = rgb.shape[:2]
        s = min(w / width, h / height)
        cw, ch = round(width * s), round(height * s)
        x, y = (w - cw) // 2, (h - ch) // 2
        names.append(Path(f).name)
        frames.append(resize_to(rgb[y : y + ch, x : x + cw], width, height))
    if not frames:
        raise EdgeganError("no photos to measure fidelity on")
    return names, frames


def _carried(stylizer: Stylizer, frames: list[np.ndarray], side: int) -> list[np.ndarray]:
    """Each frame at the network's side, stylized, brought back to full size as ``edgegan video`` does."""
    out = []
    for f in frames:
        small = resize_long_side(f, side)
        y = stylizer(small)
        out.append(resize_to(y, f.shape[1], f.shape[0]))
    return out


def _network_input(frame: np.ndarray, side: int, multiple: int) -> np.ndarray:
    """The network's input for ``frame`` at ``side``, as the Stylizer makes it (resized, padded)."""
    return pad_to_multiple(to_tensor(resize_long_side(frame, side)), multiple)[0]


def _probe(run, x: np.ndarray) -> float:
    """One warm-up and one timed run of the network on ``x``, in ms."""
    run(x)
    t0 = time.perf_counter()
    run(x)
    return (time.perf_counter() - t0) * 1e3


def _reference(path: Path, float_onnx: Path, frames: list[np.ndarray], threads: int) -> list[np.ndarray]:
    """The float network at full size on every frame (ONNX Runtime, within 1e-4 of PyTorch), kept in ``path``."""
    if path.is_file():
        with np.load(path) as z:
            if len(z.files) == len(frames) and z["0"].shape == frames[0].shape:
                return [z[str(k)] for k in range(len(frames))]
    st = Stylizer.open(float_onnx, "onnxruntime", threads)
    ref = [st(f) for f in progress(frames, desc="float reference", unit="photo")]
    with atomic_write(path) as f:
        np.savez(f, **{str(k): r for k, r in enumerate(ref)})
    return ref


def _models(
    ref: ModelRef, float_onnx: Path, work: Path, threads: int, min_psnr: float | None
) -> list[tuple[str, str, str]]:
    """(label, backend, model file) of every precision and backend: the float ONNX on ONNX Runtime and OpenVINO,
    and the INT8 ladder on OpenVINO."""
    rows = [("fp32 onnxruntime", "onnxruntime", str(float_onnx)), ("fp32 openvino", "openvino", str(float_onnx))]
    top = default_min_psnr(ref)
    bounds = sorted({top - d for d in INT8_STEPS_DB if min_psnr is None or top - d >= min_psnr}, reverse=True)
    for b in progress(bounds, desc="INT8 ladder", unit="bound"):
        # named by the bound alone: the work folder is this model's (the report's source hash checks that)
        xml = cached_export(ref, "openvino", work / f"int8.min{b:g}.xml", int8=True, min_psnr=b, threads=threads)
        rows.append((f"int8>={b:g}dB openvino", "openvino", str(xml)))
    return rows


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
) -> dict:
    """Measure every post-training candidate of ``model`` at ``size`` = (width, height) on this machine and write
    ``out``: the chosen model file, ``compress.json``, ``report.md`` and ``pareto.png``. Returns the summary."""
    if not fps > 0:
        raise EdgeganError(f"--fps must be a positive frame rate, got {fps:g}")
    if minutes is not None and not minutes > 0:
        raise EdgeganError(f"--minutes must be positive, got {minutes:g}")
    width, height = size
    ref = open_model(model)
    ref.require_checkpoint("edgegan compress")
    ref.require_image_input()
    t_start = time.perf_counter()
    out = ensure_writable_dir(out)
    work = ensure_writable_dir(out / "work")
    cores = max(1, os.cpu_count() or 1)
    thread_options = sorted({1, cores})
    names, frames = _frames(photos, width, height)
    float_onnx = cached_export(ref, "onnx", work / "float.onnx")
    reference = _reference(work / "reference.npz", float_onnx, frames, cores)
    baseline = [psnr(f, r) for f, r in zip(frames, reference, strict=True)]
    models = _models(ref, float_onnx, work, cores, min_psnr)
    sides = _sides(max(width, height), ref.io.size_multiple)
    measured_path = work / "measured.json"
    measured = read_json(measured_path) if measured_path.is_file() else {}
    net = load_model(ref)
    float_cost = cost(net, 256)
    # each side's work at the network's input shape: not 256x256 scaled by area, which overstates a network that
    # works at a fixed resolution inside (vintage_guided's 128 px, carried to the frame by its guided field)
    float_cost["by_side"] = {
        s: count_work(net, tuple(_network_input(frames[0], s, ref.io.size_multiple).shape[2:])) for s in sides
    }
    del net
    size_on_disk = {path: open_model(path).bytes for _, _, path in models}
    gmacs = {s: round(w["macs"] / 1e9, 3) for s, w in float_cost["by_side"].items()}
    cands = [
        Candidate(path, label, backend, side, t, size_on_disk[path], gmacs[side])
        for label, backend, path in models
        for side in sides
        for t in thread_options
    ]
    for c in cands:
        c.__dict__.update({k: v for k, v in measured.get(c.key, {}).items() if k in Candidate.__annotations__})

    def save() -> None:
        write_json(measured_path, {c.key: dataclasses.asdict(c) for c in cands})

    period_ms = 1000.0 / fps
    # a probe of each (model, side) on every core, smallest side first: a side whose network alone takes over
    # PROBE_SLACK budget periods is out, and so is every larger side of that model
    for _label, backend, path in progress(models, desc="probe", unit="model"):
        net = load_backend(path, backend, cores)  # one per model: every side runs on it
        slow = False
        for side in sorted(sides):
            same = [c for c in cands if c.model == path and c.backend == backend and c.side == side]
            if not slow and same[0].probe_ms is None and not same[0].too_slow:
                ms = _probe(net.run, _network_input(frames[0], side, ref.io.size_multiple))
                for c in same:
                    c.probe_ms = ms
            slow = slow or same[0].too_slow or (same[0].probe_ms or 0) > PROBE_SLACK * period_ms
            for c in same:
                c.too_slow = slow
        full = [c for c in cands if c.model == path and c.backend == backend and c.side == max(sides)]
        if full[0].probe_ms is None:  # the full-size network is the trade-off's anchor: always probed
            ms = _probe(net.run, _network_input(frames[0], max(sides), ref.io.size_multiple))
            for c in full:
                c.probe_ms = ms
        save()
    live = [c for c in cands if not c.too_slow]
    # the full-size candidates too slow for the budget are measured too (not run end to end) when their fidelity
    # takes at most ANCHOR_S: what full fidelity costs here is half of the trade-off the report shows
    anchors = [c for c in cands if c.too_slow and c.side == max(sides) and c.probe_ms * len(frames) <= ANCHOR_S * 1e3]
    live_or_anchor = live + anchors
    # fidelity: once per (model, side) still in the running; threads change speed only
    for _label, backend, path in progress(models, desc="fidelity", unit="model"):
        stylizer = None  # opened once per model, when a side of it still needs measuring
        for side in sides:
            same = [c for c in live_or_anchor if c.model == path and c.backend == backend and c.side == side]
            if not same or same[0].psnr_mean is not None:
                continue
            stylizer = stylizer or Stylizer.open(path, backend, cores)
            outs = _carried(stylizer, frames, side)
            scores = [min(psnr(o, r), PSNR_IDENTICAL) for o, r in zip(outs, reference, strict=True)]
            for c in same:
                c.psnr_mean, c.psnr_worst = float(np.mean(scores)), float(min(scores))
                c.worst_photo = names[int(np.argmin(scores))]
        save()
    # network latency: every live candidate of one side interleaved (one run, so ratios hold on a noisy machine)
    for side in progress(sides, desc="latency", unit="side"):
        group = [c for c in live_or_anchor if c.side == side and c.network_ms is None]
        if group:
            x = _network_input(frames[0], side, ref.io.size_multiple)
            runners = {c.key: load_backend(c.model, c.backend, c.threads).run for c in group}
            for key, r in interleaved_latency(runners, x, runs=LATENCY_RUNS, warmup=2).items():
                next(c for c in group if c.key == key).network_ms = r["median_ms"]
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
    for c in sorted(live, key=lambda c: (-c.psnr_mean, c.network_ms)):
        if min_psnr is not None and c.psnr_mean < min_psnr:
            continue
        if 1000.0 / c.network_ms < fps:  # the network alone is too slow: the pipeline cannot be faster
            continue
        if minutes is not None and time.perf_counter() - t_start > 60 * minutes:
            break
        if c.e2e_fps is None:
            r = stylize_video(c.model, str(clip), str(work / "e2e.mp4"), size=c.side, temporal=True,
                              backend=c.backend, threads=c.threads, show_progress=False)  # fmt: skip
            c.e2e_fps = float(r["fps"])
            save()
        if c.e2e_fps >= fps:
            chosen = c
            break
    if chosen is not None:  # a tie in fidelity goes to the faster
        ties = [c for c in cands if c.e2e_fps and c.e2e_fps >= fps and c.psnr_mean >= chosen.psnr_mean - TIE_DB]
        chosen = max(ties, key=lambda c: c.e2e_fps)
    summary = _write(out, ref, cands, chosen, fps, (width, height), min_psnr, baseline, names, float_cost)
    summary["seconds"] = round(time.perf_counter() - t_start, 1)
    write_json(out / "compress.json", summary)
    worst = None
    if chosen is not None:
        k = names.index(chosen.worst_photo)
        worst = (
            frames[k],
            reference[k],
            _carried(Stylizer.open(chosen.model, chosen.backend, cores), [frames[k]], chosen.side)[0],
        )
    pareto_png(out / "pareto.png", summary, worst)
    report_md(out / "report.md", summary)
    if chosen is None:
        raise EdgeganError(_miss_line(cands, fps, min_psnr) + f" (every candidate: {out / 'compress.json'})")
    return summary


def _miss_line(cands: list[Candidate], fps: float, min_psnr: float | None) -> str:
    measured = [c for c in cands if c.psnr_mean is not None and c.network_ms is not None]
    if not measured:
        c = min((c for c in cands if c.probe_ms), key=lambda c: c.probe_ms)
        return (
            f"no candidate meets {fps:g} FPS on this machine: the fastest network, {c.key}, takes {c.probe_ms:.0f} ms "
            f"a frame (the budget is {1000 / fps:.0f} ms)"
        )
    cands = measured
    fast = [c for c in cands if c.e2e_fps and c.e2e_fps >= fps] or [
        c for c in cands if c.network_ms and 1000 / c.network_ms >= fps
    ]
    good = [c for c in cands if min_psnr is None or (c.psnr_mean or 0) >= min_psnr]
    parts = []
    if fast:
        best = max(fast, key=lambda c: c.psnr_mean)
        parts.append(f"the most faithful fast enough is {best.key} at {best.psnr_mean:.1f} dB")
    if good:
        best = max(good, key=lambda c: c.e2e_fps or 1000 / c.network_ms)
        rate = f"{best.e2e_fps:.1f} FPS end to end" if best.e2e_fps else f"{1000 / best.network_ms:.1f} FPS network"
        speed = best.gmacs / (best.network_ms / 1e3)  # the physical reason: this network's work at this CPU's rate
        parts.append(
            f"the fastest faithful enough is {best.key} at {rate} ({best.gmacs:.3g} GMACs a frame at "
            f"{speed:.3g} GMAC/s measured here)"
        )
    bound = f" and {min_psnr:g} dB" if min_psnr is not None else ""
    return f"no candidate meets {fps:g} FPS{bound} on this machine: " + "; ".join(parts)


def _jetson(c: Candidate, float_cost: dict) -> dict:
    """The candidate's network on each Jetson GPU, predicted (:mod:`edgegan.metrics.roofline`): an INT8 candidate
    in INT8, a float one in FP16 (TensorRT's float mode there), at the candidate's side."""
    work = float_cost["by_side"][c.side]
    precision = "int8" if c.precision == "int8" else "fp16"
    return predict_all(precision, work["macs"] / 1e9, work["activations"] / 1e6, work["weights"] / 1e6)


def _write(out, ref, cands, chosen, fps, size, min_psnr, baseline, names, float_cost) -> dict:
    summary = {
        "model": ref.spec,
        "budget": {"fps": fps, "size": list(size), "min_psnr": min_psnr},
        "machine": machine(),
        "float_cost": float_cost,
        "photos": names,
        "input_photo_psnr": {"mean": float(np.mean(baseline)), "worst": float(min(baseline))},
        "candidates": [
            dataclasses.asdict(c) | {"key": c.key, "precision": c.precision, "jetson_predicted": _jetson(c, float_cost)}
            for c in cands
        ],
        "chosen": None,
        "jetson_model": {"model": MODEL, "devices": {d.name: d.description for d in DEVICES.values()}},
    }
    for stale in ("model.xml", "model.bin", "model.onnx"):  # an earlier run's choice must not look like this one's
        (out / stale).unlink(missing_ok=True)
    if chosen is not None:
        suffix = Path(chosen.model).suffix
        dst = out / f"model{suffix}"
        for src, d in [(Path(chosen.model), dst)] + (
            [(Path(chosen.model).with_suffix(".bin"), dst.with_suffix(".bin"))] if suffix == ".xml" else []
        ):
            with atomic_write(d) as f, open(src, "rb") as s:
                shutil.copyfileobj(s, f)
        summary["chosen"] = dataclasses.asdict(chosen) | {
            "key": chosen.key,
            "precision": chosen.precision,
            "jetson_predicted": _jetson(chosen, float_cost),
            "path": str(dst),
            "run": f"edgegan video {dst} IN OUT --temporal --size {chosen.side} --backend {chosen.backend} "
            f"--threads {chosen.threads}",
        }
    return summary
