"""Keep the pairs of a teacher-label cache whose source is in a list: a new cache of links, no relabelling.

    python train/data/filter_cache.py CACHE OUT --keep train/data/vintage_edge_sources.txt

Why: a photo filter distilled on every image a machine can reach also learns what the teacher does to
digital art (flat gradients and abstract shapes), where a CycleGAN teacher is erratic (a dark-blue gradient
turns bright, a white one blue); an L1 student hedges between such outcomes and washes out its photos.
The keep-list names the sources (file names or folder/file suffixes) that are photographs or video.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cache")
    ap.add_argument("out")
    ap.add_argument("--keep", required=True, help="text file: one source name (or path suffix) per line")
    a = ap.parse_args()

    from edgegan.compress.cache import _jobs, find_sources
    from edgegan.io import read_json, write_json

    cache, out = Path(a.cache).resolve(), Path(a.out)
    info = read_json(cache / "cache.json")
    if not info.get("complete"):
        sys.exit(f"{cache} is not a complete cache")
    keep = [ln.strip() for ln in Path(a.keep).read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    sources = [Path(s) for s in info["sources"]]
    images = [s for s in sources if s.suffix.lower() not in (".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v")]
    videos = [s for s in sources if s not in images]
    find_sources([str(s) for s in sources])  # every source still there: the job list can be rebuilt exactly
    jobs = _jobs(images, videos, info["views"], info["frame_step"])
    if len(jobs) != info["pairs"]:
        sys.exit(f"the sources changed since {cache} was made ({len(jobs)} jobs vs {info['pairs']} pairs)")
    kept_sources = {s for s in sources if any(str(s).endswith(k) for k in keep)}
    missing = [k for k in keep if not any(str(s).endswith(k) for s in sources)]
    if missing:
        sys.exit(f"not sources of {cache}: {', '.join(missing[:5])}")
    for side in ("A", "B"):
        (out / "train" / side).mkdir(parents=True, exist_ok=True)
    n = 0
    for k, (src, _frame, _view) in enumerate(jobs):
        if src in kept_sources:
            for side in ("A", "B"):
                link = out / "train" / side / f"{k:06d}.png"
                if not link.exists():
                    os.symlink(cache / "train" / side / f"{k:06d}.png", link)
            n += 1
    kept = [str(s) for s in sources if s in kept_sources]
    write_json(out / "cache.json", dict(info, sources=kept, pairs=n, filtered_from=str(cache), keep=keep))
    print(f"{n} of {len(jobs)} pairs from {len(kept)} of {len(sources)} sources -> {out}")


if __name__ == "__main__":
    main()
