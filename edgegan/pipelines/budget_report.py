"""What ``edgegan compress`` (:mod:`edgegan.pipelines.budget`) writes: the summary (``compress.json``, with every
candidate's predicted Jetson latency), the one-line miss, the picture (fidelity against frame rate for every
candidate with the budget and the choice marked, the chosen candidate's worst photo) and the Markdown table."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np

from edgegan.io import atomic_write
from edgegan.machine import machine
from edgegan.metrics.roofline import DEVICES, MODEL, predict_all

PLOT_TOP_DB = 60.0  # fidelity above this is float against float: drawn at the top, not stretching the axis


def _measured(summary: dict) -> list[dict]:
    """The candidates measured in full (the others' networks were too slow for the budget)."""
    return [c for c in summary["candidates"] if c["psnr_mean"] is not None and c["network_ms"] is not None]


def _rate(c: dict) -> tuple[float, bool]:
    """A candidate's frame rate and whether it is end to end (else the network alone)."""
    return (c["e2e_fps"], True) if c["e2e_fps"] else (1000.0 / c["network_ms"], False)


def pareto_png(path: Path, summary: dict, worst) -> None:
    """Fidelity against frame rate (end to end filled, network alone hollow), the budget, the chosen candidate,
    and below it ``worst`` = (title, its PSNR, photo name, (input, float teacher, candidate)): the worst photo of
    the chosen candidate, or of the closest miss."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = 2 if worst is not None else 1
    fig = plt.figure(figsize=(9, 5.5 + 3 * (rows - 1)))
    ax = fig.add_subplot(rows, 1, 1) if rows == 1 else fig.add_axes([0.08, 0.42, 0.88, 0.53])
    measured = _measured(summary)
    labels = sorted({c["label"] for c in measured})
    colours = {lab: plt.cm.tab10(k % 10) for k, lab in enumerate(labels)}
    for c in measured:  # above PLOT_TOP_DB (the reference itself, float on another backend): drawn at it, as ^
        r, e2e = _rate(c)
        top = c["psnr_mean"] > PLOT_TOP_DB
        marker = "^" if top else "D" if c.get("carrier") == "detail" else "o"
        ax.scatter(r, min(c["psnr_mean"], PLOT_TOP_DB), s=18 + 10 * c["threads"], color=colours[c["label"]],
                   facecolors=colours[c["label"]] if e2e else "none", zorder=3, marker=marker)  # fmt: skip
    for lab in labels:
        ax.scatter([], [], color=colours[lab], label=lab)
    ax.axvline(summary["budget"]["fps"], color="red", linestyle="--", linewidth=1, label="budget")
    if summary["budget"]["min_psnr"] is not None:
        ax.axhline(summary["budget"]["min_psnr"], color="red", linestyle=":", linewidth=1, label="--min-psnr")
    ax.axhline(summary["input_photo_psnr"]["mean"], color="gray", linestyle=":", linewidth=1, label="input photo")
    ch = summary["chosen"]
    if ch:
        ax.scatter(ch["e2e_fps"], ch["psnr_mean"], marker="*", s=260, color="black", zorder=4, label="chosen")
    ax.set_xscale("log")
    ax.set_xlabel(
        "frames per second (filled: end to end with --temporal; hollow: network alone; size: threads; "
        "diamond: detail carrier)"
    )
    ax.set_ylabel(f"PSNR to {Path(summary['model']).name}'s float network (dB), mean; ^: over {PLOT_TOP_DB:g}")
    w, h = summary["budget"]["size"]
    ax.set_title(f"{Path(summary['model']).name} at {w}x{h}: every candidate on {summary['machine']['isa']}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    if worst is not None:
        title, score, photo, images = worst
        labels = [f"input: {photo}", f"{Path(summary['model']).name}, float (the reference)", title]
        for k, (img, label) in enumerate(zip(images, labels, strict=True)):
            a = fig.add_axes([0.02 + k * 0.33, 0.02, 0.3, 0.32])
            a.imshow(img)
            a.set_title(label + (f"\n(its worst photo, {score:.1f} dB)" if k == 2 else ""), fontsize=7)
            a.axis("off")
    with atomic_write(path) as f:
        fig.savefig(f, format="png", dpi=110)
    plt.close(fig)


def report_md(path: Path, summary: dict) -> None:
    w, h = summary["budget"]["size"]
    base = summary["input_photo_psnr"]
    lines = [
        f"# edgegan compress: {summary['model']} at {w}x{h}, {summary['budget']['fps']:g} FPS",
        "",
        f"Machine: {summary['machine']['processor']} ({summary['machine']['isa']}). Fidelity: PSNR to "
        f"{summary['model']}'s float network at {w}x{h} on {len(summary['photos'])} photos; the input photo itself "
        f"scores {base['mean']:.2f} dB mean, {base['worst']:.2f} worst.",
        "",
    ]
    for name, s in summary.get("students", {}).items():
        lines += [f"Student measured beside it: `{name}` ({s['path']}).", ""]
    ch = summary["chosen"]
    if ch:
        lines += [
            f"**Chosen:** `{ch['key']}`, {ch['e2e_fps']:.1f} FPS end to end, {ch['psnr_mean']:.2f} dB mean, "
            f"{ch['psnr_worst']:.2f} worst. Run it: `{ch['run']}`",
            "",
        ]
        lines += _temporal_lines(summary.get("temporal"))
    else:
        lines += ["**No candidate meets the budget.**", ""]
    lines += [
        "| candidate | GMACs | network ms | FPS end to end | PSNR mean | worst | MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in sorted(_measured(summary), key=lambda c: -c["psnr_mean"]):
        e2e = f"{c['e2e_fps']:.1f}" if c["e2e_fps"] else "-"
        cells = [c["key"], f"{c['gmacs']:.2f}", f"{c['network_ms']:.1f}", e2e, f"{c['psnr_mean']:.2f}"]
        cells += [f"{c['psnr_worst']:.2f}", f"{c['bytes'] / 1e6:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "End to end is measured from the most faithful candidate down until one meets the budget; '-': not "
        "run (its network alone is too slow, or a more faithful one already met the budget).",
        "",
    ]
    lines += _jetson_lines(summary)
    if summary.get("stopped_by_minutes"):
        lines += [
            f"**Cut short by `--minutes {summary['minutes']:g}`** at: {', '.join(summary['stopped_by_minutes'])}. "
            "Every measurement so far is kept in `work/`; the same command with more minutes resumes.",
            "",
        ]
    for name, n in summary.get("no_int8_ladder", {}).items():
        lines += [
            f"No INT8 ladder for `{name or summary['model']}`: its float network takes {n['float_probe_ms']:.0f} ms "
            f"at its smallest side ({n['side']} px), and INT8 gains at most {n['most_int8_gain']:g}x over float "
            "(four 8-bit lanes in each 32-bit one).",
            "",
        ]
    slow = [c for c in summary["candidates"] if c["too_slow"]]
    if slow:
        probes = ", ".join(f"{c['key']} ({c['probe_ms']:.0f} ms)" for c in slow if c["probe_ms"] and c["threads"] > 1)
        probes = probes or "larger sides"
        lines += [f"Too slow for the budget at one probe, not measured further: {probes}.", ""]
    with atomic_write(path, "w") as f:
        f.write("\n".join(lines))


def _temporal_lines(t: dict | None) -> list[str]:
    if not t:
        return []
    w, s = t["warping_error"], t["sharpness"]
    verdict = (
        "holds"
        if t["holds"]
        else "is missed, but the stabilized output is as steady as the input video itself (accepted)"
        if t.get("accepted")
        else "**misses**"
    )
    return [
        f"**Temporal stability** (the clip, {t['frames']} frames; {t['metric']}): with `--temporal` the warping "
        f"error is {w['ratio']:.2f}x the same candidate's per-frame output ({w['temporal']:.5f} against "
        f"{w['per_frame']:.5f}; the input video's own: {t['input_warping_error']:.5f}), and the sharpness "
        f"{s['ratio']:.2f}x ({s['temporal']:.2f} against {s['per_frame']:.2f}). The line (warping error at most "
        f"{w['bar']:g}x, sharpness at least {s['bar']:g}x) {verdict}.",
        "",
    ]


def _jetson_lines(summary: dict) -> list[str]:
    """Predicted Jetson latencies of the chosen candidate and of the full-size network at each precision."""
    full = {}  # each network's full side
    for c in summary["candidates"]:
        full[c["source"]] = max(full.get(c["source"], 0), c["side"])
    threads = max(c["threads"] for c in summary["candidates"])
    shown = {}
    if summary["chosen"]:
        shown[summary["chosen"]["key"]] = summary["chosen"]
    for c in summary["candidates"]:
        if c["side"] == full[c["source"]] and c["threads"] == threads:  # the first (most faithful) of each precision
            shown.setdefault(f"{c['source']} {c['precision']} @{c['side']}".strip(), c)
    devices = summary["jetson_model"]["devices"]
    lines = [
        "## Jetson: predicted, not measured",
        "",
        f"Model: {summary['jetson_model']['model']}. The network only: the carrier, decode and encode run beside it.",
        "",
        "| device | " + " | ".join(f"`{k}`" for k in shown) + " |",
        "|---|" + "---|" * len(shown),
    ]
    for name in devices:
        cells = []
        for c in shown.values():
            p = c["jetson_predicted"][name]
            cells.append(f"{p['ms']:.1f} ms, {p['fps']:.0f} FPS ({p['precision']}, {p['bound']}-bound)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [""] + [f"- {name}: {text}" for name, text in devices.items()] + [""]
    return lines


def faithful(c, min_psnr: float | None, min_worst: float | None) -> bool:
    """Whether a measured candidate meets the fidelity bars: its mean at least ``min_psnr`` and its worst photo at
    least ``min_worst`` (dB to the float network; None: no bar)."""
    return (min_psnr is None or (c.psnr_mean or 0) >= min_psnr) and (
        min_worst is None or (c.psnr_worst or 0) >= min_worst
    )


def miss_line(cands: list, fps: float, min_psnr: float | None, min_worst: float | None = None) -> str:
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
    good = [c for c in cands if faithful(c, min_psnr, min_worst)]
    parts = []
    if fast:
        best = max(fast, key=lambda c: c.psnr_mean)
        parts.append(
            f"the most faithful fast enough is {best.key} at {best.psnr_mean:.1f} dB "
            f"(worst photo {best.psnr_worst:.1f})"
        )
    if good:
        ran = [c for c in good if c.e2e_fps]  # an end-to-end rate, where one was measured, over a network-alone one
        best = max(ran, key=lambda c: c.e2e_fps) if ran else max(good, key=lambda c: 1000 / c.network_ms)
        rate = f"{best.e2e_fps:.1f} FPS end to end" if best.e2e_fps else f"{1000 / best.network_ms:.1f} FPS network"
        speed = best.gmacs / (best.network_ms / 1e3)  # the physical reason: this network's work at this CPU's rate
        parts.append(
            f"the fastest faithful enough is {best.key} at {rate} ({best.gmacs:.3g} GMACs a frame at "
            f"{speed:.3g} GMAC/s measured here)"
        )
    bound = f" and {min_psnr:g} dB" if min_psnr is not None else ""
    bound += f" with no photo under {min_worst:g} dB" if min_worst is not None else ""
    return f"no candidate meets {fps:g} FPS{bound} on this machine: " + "; ".join(parts)


def _jetson(c, costs: dict) -> dict:
    """The candidate's network on each Jetson GPU, predicted (:mod:`edgegan.metrics.roofline`): an INT8 candidate
    in INT8, a float one in FP16 (TensorRT's float mode there), at the candidate's side."""
    work = costs[c.source]["by_side"][c.side]
    precision = "int8" if c.precision == "int8" else "fp16"
    return predict_all(precision, work["macs"] / 1e9, work["activations"] / 1e6, work["weights"] / 1e6)


def summarize(out, ref, sources, cands, chosen, fps, size, min_psnr, baseline, names, costs, min_worst=None) -> dict:
    """``compress.json``'s content, and the chosen model copied to ``out/model.xml`` (``.bin``) or ``.onnx``; an
    earlier run's choice is removed first, so nothing left in ``out`` can pass for this run's."""
    summary = {
        "model": ref.spec,
        "budget": {"fps": fps, "size": list(size), "min_psnr": min_psnr, "min_worst": min_worst},
        "machine": machine(),
        "float_cost": costs[""],
        "students": {
            name: {"path": str(s.path), "sha256": s.sha256, "float_cost": costs[name]}
            for name, s in sources.items()
            if name
        },
        "photos": names,
        "input_photo_psnr": {"mean": float(np.mean(baseline)), "worst": float(min(baseline))},
        "candidates": [dataclasses.asdict(c) | {"key": c.key, "jetson_predicted": _jetson(c, costs)} for c in cands],
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
            "jetson_predicted": _jetson(chosen, costs),
            "path": str(dst),
            "run": f"edgegan video {dst} IN OUT --temporal --size {chosen.side} --backend {chosen.backend} "
            f"--threads {chosen.threads}" + ("" if chosen.carrier == "bilinear" else f" --carrier {chosen.carrier}"),
        }
    return summary
