"""The pictures and the Markdown of ``edgegan compress`` (:mod:`edgegan.pipelines.budget`): fidelity against frame
rate for every candidate with the budget and the choice marked, the chosen candidate's worst photo, and a table."""

from __future__ import annotations

from pathlib import Path

from edgegan.io import atomic_write


def _measured(summary: dict) -> list[dict]:
    """The candidates measured in full (the others' networks were too slow for the budget)."""
    return [c for c in summary["candidates"] if c["psnr_mean"] is not None and c["network_ms"] is not None]


def _rate(c: dict) -> tuple[float, bool]:
    """A candidate's frame rate and whether it is end to end (else the network alone)."""
    return (c["e2e_fps"], True) if c["e2e_fps"] else (1000.0 / c["network_ms"], False)


def pareto_png(path: Path, summary: dict, worst) -> None:
    """Fidelity against frame rate (end to end filled, network alone hollow), the budget, the chosen candidate,
    and below it the chosen candidate's worst photo: the input, the float network, the candidate."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = 2 if worst is not None else 1
    fig = plt.figure(figsize=(9, 5.5 + 3 * (rows - 1)))
    ax = fig.add_subplot(rows, 1, 1) if rows == 1 else fig.add_axes([0.08, 0.42, 0.88, 0.53])
    measured = _measured(summary)
    labels = sorted({c["label"] for c in measured})
    colours = {lab: plt.cm.tab10(k % 10) for k, lab in enumerate(labels)}
    for c in measured:
        r, e2e = _rate(c)
        ax.scatter(r, c["psnr_mean"], s=18 + 10 * c["threads"], color=colours[c["label"]],
                   facecolors=colours[c["label"]] if e2e else "none", zorder=3)  # fmt: skip
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
    ax.set_xlabel("frames per second (filled: end to end with --temporal; hollow: network alone; size: threads)")
    ax.set_ylabel("PSNR to the float network (dB), mean")
    w, h = summary["budget"]["size"]
    ax.set_title(f"{Path(summary['model']).name} at {w}x{h}: every candidate on {summary['machine']['isa']}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    if worst is not None:
        for k, (img, title) in enumerate(zip(worst, ["input", "float network", f"chosen: {ch['key']}"], strict=True)):
            a = fig.add_axes([0.02 + k * 0.33, 0.02, 0.3, 0.32])
            a.imshow(img)
            a.set_title(f"{title}" + (f" (worst photo {ch['psnr_worst']:.1f} dB)" if k == 2 else ""), fontsize=7)
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
        f"Machine: {summary['machine']['processor']} ({summary['machine']['isa']}). Fidelity: PSNR to the float "
        f"network at {w}x{h} on {len(summary['photos'])} photos; the input photo itself scores "
        f"{base['mean']:.2f} dB mean, {base['worst']:.2f} worst.",
        "",
    ]
    ch = summary["chosen"]
    if ch:
        lines += [
            f"**Chosen:** `{ch['key']}`, {ch['e2e_fps']:.1f} FPS end to end, {ch['psnr_mean']:.2f} dB mean, "
            f"{ch['psnr_worst']:.2f} worst. Run it: `{ch['run']}`",
            "",
        ]
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
    slow = [c for c in summary["candidates"] if c["too_slow"]]
    if slow:
        probes = ", ".join(f"{c['key']} ({c['probe_ms']:.0f} ms)" for c in slow if c["probe_ms"] and c["threads"] > 1)
        probes = probes or "larger sides"
        lines += [f"Too slow for the budget at one probe, not measured further: {probes}.", ""]
    with atomic_write(path, "w") as f:
        f.write("\n".join(lines))


def _jetson_lines(summary: dict) -> list[str]:
    """Predicted Jetson latencies of the chosen candidate and of the full-size network at each precision."""
    full = max(c["side"] for c in summary["candidates"])
    threads = max(c["threads"] for c in summary["candidates"])
    shown = {}
    if summary["chosen"]:
        shown[summary["chosen"]["key"]] = summary["chosen"]
    for c in summary["candidates"]:
        if c["side"] == full and c["threads"] == threads:
            shown.setdefault(f"{c['precision']} @{full}", c)  # the first (most faithful) of each precision
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
