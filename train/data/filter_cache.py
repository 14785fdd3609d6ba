"""Keep the pairs of teacher-label caches whose source is in a list: one new cache of links, no relabelling.

    python train/data/filter_cache.py CACHE [CACHE ...] OUT --keep train/data/vintage_edge_sources.txt

Why: a photo filter distilled on every image a machine can reach also learns what the teacher does to
digital art (flat gradients and abstract shapes), where a CycleGAN teacher is erratic (a dark-blue gradient
turns bright, a white one blue); an L1 student hedges between such outcomes and washes out its photos.
The keep-list names the sources that are photographs or video: a file name or path suffix per line, or a
folder name ending in ``/`` (every source under a folder of that name). Several caches (labelled by the same
teacher at the same size, e.g. one per image collection) merge into one.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def kept(source: Path, keep: list[str]) -> bool:
    return any(f"/{k}" in f"/{source.parent}/" if k.endswith("/") else str(source).endswith(k) for k in keep)


@functools.cache
def _shape(source: Path) -> tuple[int, int]:
    """(height, width) of a still as load_image turns it, or of a video's first decoded frame (what build_cache
    cut the views from)."""
    import cv2

    from edgegan.media import VIDEO_SUFFIXES, image_size

    if source.suffix.lower() not in VIDEO_SUFFIXES:
        return image_size(source)
    cap = cv2.VideoCapture(str(source))
    ok, bgr = cap.read() if cap.isOpened() else (False, None)
    cap.release()
    if not ok:
        sys.exit(f"cannot decode a frame of {str(source)!r}")
    return bgr.shape[:2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("caches", nargs="+", help="teacher-label caches, then the output directory")
    ap.add_argument("--keep", required=True, help="text file: one source name, path suffix or folder/ per line")
    ap.add_argument(
        "--drop-stress", nargs="+", default=[], metavar="TRANSFORM",
        help="leave out the views given these stress transforms (e.g. dark), found by replaying each view",
    )  # fmt: skip
    a = ap.parse_args()
    if len(a.caches) < 2:
        sys.exit("give at least one cache and the output directory")

    from edgegan.compress.cache import _jobs, view_stress
    from edgegan.data.stress import TRANSFORMS
    from edgegan.io import read_json, write_json
    from edgegan.media import VIDEO_SUFFIXES, find_sources

    *caches, out = [Path(c) for c in a.caches]
    bad = [t for t in a.drop_stress if t not in TRANSFORMS]
    if bad:
        sys.exit(f"--drop-stress: unknown transform {bad[0]!r}; choose from {', '.join(TRANSFORMS)}")
    if not Path(a.keep).is_file():
        sys.exit(f"keep-list not found: {a.keep!r}")
    keep = [ln.strip() for ln in Path(a.keep).read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    if out.exists() and any(out.iterdir()):  # links left from another filter would stay in the training set
        sys.exit(f"{str(out)!r} is not empty: give a new output directory")
    for side in ("A", "B"):
        (out / "train" / side).mkdir(parents=True, exist_ok=True)
    manifest: dict | None = None
    all_sources: list[Path] = []
    n = total = dropped = 0
    for ci, cache in enumerate(c.resolve() for c in caches):
        info = read_json(cache / "cache.json")
        if not info.get("complete"):
            sys.exit(f"{cache} is not a complete cache")
        if manifest is not None and (info["teacher_sha256"], info["size"]) != (
            manifest["teacher_sha256"],
            manifest["size"],
        ):
            sys.exit(f"{cache} was labelled by another teacher or at another size than {caches[0]}")
        manifest = manifest or info
        sources = [Path(s) for s in info["sources"]]
        images = [s for s in sources if s.suffix.lower() not in VIDEO_SUFFIXES]
        videos = [s for s in sources if s not in images]
        find_sources([str(s) for s in sources])  # every source still there: the job list can be rebuilt exactly
        jobs = _jobs(images, videos, info["views"], info["frame_step"])
        if len(jobs) != info["pairs"]:
            sys.exit(f"the sources changed since {cache} was made ({len(jobs)} jobs vs {info['pairs']} pairs)")
        kept_sources = {s for s in sources if kept(s, keep)}
        all_sources += [s for s in sources if s in kept_sources]
        total += len(jobs)
        for k, (src, _frame, _view) in enumerate(jobs):
            if a.drop_stress and src in kept_sources and view_stress(_shape(src), jobs[k], k, info) in a.drop_stress:
                dropped += 1
                continue
            if src in kept_sources:
                for side in ("A", "B"):
                    link = out / "train" / side / f"{ci}{k:06d}.png"
                    if not link.exists():
                        os.symlink(cache / "train" / side / f"{k:06d}.png", link)
                n += 1
    missing = [k for k in keep if not any(kept(s, [k]) for s in all_sources)]
    if missing:
        sys.exit(f"not sources of {', '.join(map(str, caches))}: {', '.join(missing[:5])}")
    write_json(
        out / "cache.json",
        dict(
            manifest,
            sources=[str(s) for s in all_sources],
            pairs=n,
            filtered_from=[str(c) for c in caches],
            keep=keep,
            **({"dropped_stress": a.drop_stress, "dropped_pairs": dropped} if a.drop_stress else {}),
        ),
    )
    gone = f", {dropped} views with {'/'.join(a.drop_stress)} stress left out" if a.drop_stress else ""
    print(f"{n} of {total} pairs from {len(all_sources)} sources{gone} -> {out}")


if __name__ == "__main__":
    main()
