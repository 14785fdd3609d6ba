"""Long runs stay flat: ``edgegan webcam --headless`` for 20,000 frames over a looping clip.

    python benchmarks/soak.py --json docs/results/soak.json --plot docs/images/soak.png

Runs the real command (a subprocess, as a user would) on the shipped vintage student by default, over the bikes
clip of the sample set looped, with temporal stabilization, unpaced. The webcam app records its resident memory
and its clock every 100 frames; from them:

- memory: after a warm-up of ``--warmup`` frames, (max - min) / min of the RSS samples (bar: 5 %);
- speed: FPS over the first 1,000 frames after the warm-up against the last 1,000 (bar: within 10 %).

Prints the figures and saves them as JSON with the machine and its instruction set, and a plot of both over the run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def window_fps(clock: list, start: int, end: int) -> float:
    """Frames per second between the clock samples at frame ``start`` and ``end`` (multiples of 100)."""
    t = dict((int(n), float(s)) for n, s in clock)
    return (end - start) / (t[end] - t[start])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="vintage_guided")
    ap.add_argument("--source", default=None, help="video file (default: the sample set's bikes.mp4), looped")
    ap.add_argument("--frames", type=int, default=20000)
    ap.add_argument("--warmup", type=int, default=1000, help="frames before memory is judged")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default="outputs/soak/soak.json")
    ap.add_argument("--plot", default="outputs/soak/soak.png")
    a = ap.parse_args()
    if a.frames < a.warmup + 2000 or a.frames % 100 or a.warmup % 100:
        ap.error("--frames and --warmup must be multiples of 100, with --frames >= --warmup + 2000")

    from edgegan.data.samples import video_paths
    from edgegan.io import atomic_write, write_json
    from edgegan.machine import describe, machine

    source = a.source or str(video_paths()["bikes.mp4"])
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "webcam.json"
        cmd = [sys.executable, "-m", "edgegan", "webcam", a.model, "--source", source, "--headless", "--frames",
               str(a.frames), "--temporal", "--threads", str(a.threads), "--json", str(raw)]  # fmt: skip
        print(" ".join(cmd[2:]), flush=True)
        subprocess.run(cmd, check=True)
        run = json.loads(raw.read_text())
    rss = [(int(n), float(m)) for n, m in run["rss_mb"]]
    after = [m for n, m in rss if n >= a.warmup]
    spread = (max(after) - min(after)) / min(after)
    first = window_fps(run["clock_s"], a.warmup, a.warmup + 1000)
    last = window_fps(run["clock_s"], a.frames - 1000, a.frames)
    result = {
        "model": a.model,
        "source": source,
        "frames": run["frames"],
        "source_loops": run.get("source_loops"),
        "fps_overall": run["fps"],
        "warmup_frames": a.warmup,
        "rss_mb_after_warmup": {"min": min(after), "max": max(after), "first": after[0], "last": after[-1]},
        "rss_spread_after_warmup": round(spread, 4),
        "rss_within_5_percent": spread <= 0.05,
        "fps_first_1000_after_warmup": round(first, 2),
        "fps_last_1000": round(last, 2),
        "fps_last_over_first": round(last / first, 4),
        "fps_within_10_percent": abs(last / first - 1) <= 0.10,
        "rss_mb": run["rss_mb"],
        "clock_s": run["clock_s"],
        "machine": machine(),
        "command": "python " + " ".join(sys.argv),
    }
    write_json(a.json, result)
    print(
        f"{run['frames']} frames, {run['fps']:.1f} FPS overall on {describe(result['machine'])}\n"
        f"RSS after warm-up {min(after):.0f}-{max(after):.0f} MB: spread {100 * spread:.1f} % (bar 5 %)\n"
        f"FPS frames {a.warmup}-{a.warmup + 1000}: {first:.1f}, last 1000: {last:.1f} "
        f"({100 * (last / first - 1):+.1f} %, bar 10 %)"
    )

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clock = [(int(n), float(s)) for n, s in run["clock_s"]]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    ax1.plot([n for n, _ in rss], [m for _, m in rss])
    ax1.axvline(a.warmup, color="grey", ls=":", label="end of warm-up")
    ax1.set_ylabel("RSS (MB)")
    ax1.legend(loc="lower right")
    ax1.set_title(f"edgegan webcam --headless {a.model}, {run['frames']} frames looped")
    fps = [(n1, (n1 - n0) / (t1 - t0)) for (n0, t0), (n1, t1) in zip(clock, clock[1:], strict=False)]
    ax2.plot([n for n, _ in fps], [f for _, f in fps], lw=0.8)
    ax2.set_ylabel("FPS (per 100 frames)")
    ax2.set_xlabel("frame")
    fig.tight_layout()
    Path(a.plot).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(a.plot) as f:
        fig.savefig(f, format="png", dpi=110)
    print(f"wrote {a.json} and {a.plot}")


if __name__ == "__main__":
    main()
