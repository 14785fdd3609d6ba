"""The teacher labels inputs once: augmented views of images and video frames -> ``paired_folders``.

A student generalizes from the breadth of its inputs, not from the number of epochs over a few of them,
and the teacher labels anything. So each still image gives ``views`` square views at ``size``: the whole
image (centre square) and random crops at many scales, flipped, with exposure / contrast / saturation /
white-balance jitter; each video frame (every ``frame_step``-th) gives one. The teacher's output on each
view is its target, so augmentation never misaligns a pair.

Layout: ``out/train/A/NNNNNN.png`` (input view), ``out/train/B/NNNNNN.png`` (teacher output),
``out/cache.json`` (teacher, its SHA-256, the sources and every setting). Labelling is resumable: a pair
whose B exists is done (A is written first, both atomically), and the job list is a pure function of the
sources and the seed, so a restarted run continues where it stopped. A checkpoint teacher is exported to
ONNX once (``out/teacher.onnx``) and run on ONNX Runtime, which is faster than PyTorch on a CPU.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from edgegan.artifact import ModelRef
from edgegan.data.stress import LABEL_TRANSFORMS, check_transforms, random_stress
from edgegan.errors import EdgeganError
from edgegan.export.to_onnx import export_onnx
from edgegan.importers import open_model
from edgegan.io import ensure_writable_dir, read_json, write_json
from edgegan.lineage import file_sha256
from edgegan.media import find_sources, load_image, save_image, to_image, to_tensor
from edgegan.progress import progress
from edgegan.runtime.backends import OpenVinoBackend, load_backend

MIN_SCALE = 0.3
LABEL_AT = ("frame", "view")  # where a camera frame is labelled: at its own size, or squashed to the stored view
CACHE_OUTPUTS = {
    "sources",
    "pairs",
    "complete",
}  # what cache.json records besides the settings  # smallest crop side, as a fraction of the image's short side


def _frame_count(path: Path) -> int:
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise EdgeganError(f"OpenCV cannot open video {str(path)!r}")
    n = 0
    while cap.grab():
        n += 1
    cap.release()
    if n == 0:
        raise EdgeganError(f"no frames could be decoded from {str(path)!r}")
    return n


def jitter(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photometric jitter of an HxWx3 uint8 image: exposure (gamma and gain), white balance, contrast,
    saturation; the kinds of change a camera makes between two shots of one scene."""
    x = rgb.astype(np.float32) / 255.0
    x = x ** np.exp(rng.uniform(-0.5, 0.5))
    x = x * rng.uniform(0.75, 1.25) * rng.uniform(0.9, 1.1, size=3).astype(np.float32)
    mean = x.mean()
    x = mean + rng.uniform(0.7, 1.3) * (x - mean)
    gray = x.mean(axis=2, keepdims=True)
    x = gray + rng.uniform(0.4, 1.6) * (x - gray)
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


def random_view(
    rgb: np.ndarray,
    size: int,
    rng: np.random.Generator,
    whole: bool = False,
    stress: float = 0.0,
    info: dict | None = None,
    stress_names=LABEL_TRANSFORMS,
    frame: tuple[int, int] | None = None,
) -> np.ndarray:
    """A ``size`` x ``size`` view of an HxWx3 uint8 image: its centre square (``whole``) or a random square
    crop with side in [MIN_SCALE, 1] of the short side; random flip and, for crops, photometric jitter; then,
    with probability ``stress``, one stress transform of ``stress_names`` (:mod:`edgegan.data.stress`) at a random
    strength, whose name goes into ``info["stress"]`` when ``info`` is given. The random draws depend on the
    image's shape only, so a view's settings can be replayed on a blank image of that shape (:func:`view_stress`).
    ``frame`` (width, height): the view is a camera frame instead, a crop of that aspect (the largest, centred,
    for ``whole``) resized to width x height; ``size`` is then unused."""
    h, w = rgb.shape[:2]
    fw, fh = frame or (1, 1)
    full = min(w / fw, h / fh)  # the scale of the largest crop of the view's aspect
    scale = full if whole else max(8 / min(fw, fh), full * rng.uniform(MIN_SCALE, 1.0))
    cw, ch = (round(fw * scale), round(fh * scale)) if frame else (int(round(scale)),) * 2
    if whole:
        top, left = (h - ch) // 2, (w - cw) // 2
    else:
        top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = rgb[top : top + ch, left : left + cw]
    ow, oh = frame or (size, size)
    interp = cv2.INTER_AREA if cw > ow else cv2.INTER_CUBIC
    view = cv2.resize(crop, (ow, oh), interpolation=interp)
    if rng.random() < 0.5:
        view = view[:, ::-1]
    if not whole and rng.random() < 0.7:
        view = jitter(view, rng)
    if stress and rng.random() < stress:
        view = random_stress(np.ascontiguousarray(view), rng, info, stress_names)
    return np.ascontiguousarray(view)


def draw_whole(frame: int, view: int, rng: np.random.Generator) -> bool:
    """Whether a cache job's view is the whole centre square: a still's first view is; a video frame's is at
    random (the first draw of the job's generator)."""
    return view == 0 if frame < 0 else bool(rng.random() < 0.5)


def view_stress(shape: tuple[int, int], job: tuple[Path, int, int], k: int, spec: dict) -> str | None:
    """The stress transform pair ``k`` of a cache (``spec``: its cache.json) was given, or None: its random
    draws replayed on a blank image of the source's ``shape`` (height, width), as :func:`build_cache` made it."""
    _path, frame, view = job
    rng = np.random.default_rng([int(spec["seed"]), k])
    whole = draw_whole(frame, view, rng)
    info: dict = {}
    blank = np.zeros((*shape, 3), np.uint8)
    random_view(blank, int(spec["size"]), rng, whole, float(spec.get("stress", 0)), info, stress_names(spec))
    return info.get("stress")


def stress_names(spec: dict) -> tuple[str, ...]:
    """The transforms a cache's stress views drew from (``spec``: its cache.json): the recorded pick, else the
    default draw every cache made before the pick existed used."""
    return tuple(spec.get("stress_transforms", LABEL_TRANSFORMS))


def _jobs(images: list[Path], videos: list[Path], views: int, frame_step: int) -> list[tuple[Path, int, int]]:
    """(source, frame index or -1 for a still, view index) for every pair, in a fixed order."""
    jobs = [(p, -1, v) for p in images for v in range(views)]
    for p in videos:
        jobs += [(p, f, 0) for f in range(0, _frame_count(p), frame_step)]
    return jobs


def _teacher_backend(teacher: ModelRef, out: Path, threads: int | None, precision: str = "f32"):
    """The teacher on ONNX Runtime (float32), or on OpenVINO in ``precision`` bf16."""
    if teacher.kind == "checkpoint":
        teacher.io.require_image(str(teacher.path), "; use edgegan data pseudo-pairs for latent teachers")
        onnx_path = out / "teacher.onnx"
        if not onnx_path.is_file():
            export_onnx(teacher, onnx_path)
        teacher = open_model(onnx_path)
    if precision == "f32":
        return load_backend(teacher, threads=threads)
    return OpenVinoBackend(teacher, threads=threads, precision=precision)


def cache_spec(
    teacher: str | os.PathLike | ModelRef,
    size: int,
    views: int,
    frame_step: int,
    seed: int,
    stress: float = 0.0,
    stress_transforms: list[str] | None = None,
    frame: tuple[int, int] | None = None,
    precision: str = "f32",
    label_at: str = "frame",
) -> dict:
    ref = open_model(teacher)
    return {
        "teacher": str(ref.path),
        "teacher_sha256": file_sha256(ref.weights_file),
        "size": size,
        "views": views,
        "frame_step": frame_step,
        "seed": seed,
        **({"stress": stress} if stress else {}),  # caches made before stress views keep their settings
        # recorded only when not the default draw, which older caches were made with
        **({"stress_transforms": sorted(stress_transforms)} if stress and stress_transforms else {}),
        **({"frame": list(frame)} if frame else {}),  # views are camera frames labelled at that size
        **({"teacher_precision": precision} if precision != "f32" else {}),  # labels run in bf16
        **({"label_at": label_at} if label_at != "frame" else {}),  # the teacher saw the squashed view
    }


def build_cache(
    teacher: str | os.PathLike | ModelRef,
    inputs: list[str],
    out: str | os.PathLike,
    *,
    size: int = 256,
    views: int = 8,
    frame_step: int = 1,
    seed: int = 0,
    stress: float = 0.0,
    stress_transforms: list[str] | None = None,
    threads: int | None = None,
    show_progress: bool = True,
    frame: tuple[int, int] | None = None,
    precision: str = "f32",
    label_at: str = "frame",
) -> Path:
    """Label views of ``inputs`` with ``teacher`` into ``out`` (resumable); returns ``out``. ``stress_transforms``:
    the transforms the stress views draw from (default :data:`~edgegan.data.stress.LABEL_TRANSFORMS`).
    ``frame`` (width, height): each view is a camera frame of that size, labelled by the teacher at that size
    (what the teacher does to a camera's frame depends on the frame's resolution), and both the frame and its
    label are stored resized to ``size`` x ``size``: the whole frame, squashed, as a student that works on a
    fixed square copy of its input (:class:`~edgegan.models.guided.GuidedStudent`) sees it.
    ``precision`` ``bf16``: the teacher runs in OpenVINO's bf16 on a CPU with bf16 units (AMX: about 5x faster
    than float32 here, 55 dB from it at 1280x720), recorded in the cache's manifest.
    ``label_at`` ``view`` (with ``frame``): the teacher labels the squashed ``size`` x ``size`` frame instead, the
    decision it makes at that size (14x cheaper than at 1280x720 for 256 px). A student that reads such a copy can
    imitate it exactly; the teacher's own decision at 256 px, carried to the frame, is about 3 dB over the photo
    against the teacher at 1280x720 (docs/compress.md, session 21)."""

    if size < 16 or size % 4:
        raise EdgeganError(f"--size must be a multiple of 4 and at least 16, got {size}")
    if views < 1 or frame_step < 1:
        raise EdgeganError(f"--views and --frame-step must be at least 1, got {views} and {frame_step}")
    if not 0.0 <= stress <= 1.0:
        raise EdgeganError(f"--stress is a share of the views, between 0 and 1; got {stress}")
    if label_at not in LABEL_AT:
        raise EdgeganError(f"--label-at must be one of {', '.join(LABEL_AT)}, got {label_at!r}")
    if label_at != "frame" and not frame:
        raise EdgeganError(f"--label-at {label_at} labels a squashed camera frame; give --frame WxH too")
    if stress_transforms is not None:
        stress_transforms = check_transforms(stress_transforms)
        if not stress:
            raise EdgeganError("--stress-only picks the stress transforms; give --stress too (the share of views)")
    teacher = open_model(teacher)
    images, videos = find_sources(inputs)
    out = ensure_writable_dir(out)
    spec = cache_spec(teacher, size, views, frame_step, seed, stress, stress_transforms, frame, precision, label_at)
    names = stress_names(spec)
    manifest = out / "cache.json"
    if manifest.is_file():
        old = read_json(manifest)
        changed = [k for k in set(spec) | set(old) - CACHE_OUTPUTS if old.get(k) != spec.get(k) and k != "teacher"]
        if changed:
            raise EdgeganError(
                f"{str(out)!r} holds a cache made with other settings ({', '.join(changed)}); "
                "choose a new --cache directory"
            )
    jobs = _jobs(images, videos, views, frame_step)
    write_json(manifest, dict(spec, sources=[str(p) for p in images + videos], pairs=len(jobs), complete=False))
    a_dir, b_dir = out / "train" / "A", out / "train" / "B"
    todo = [k for k in range(len(jobs)) if not (b_dir / f"{k:06d}.png").is_file()]
    if todo:
        backend = _teacher_backend(teacher, out, threads, precision)
        m = backend.size_multiple
        labelled = frame if frame and label_at == "frame" else (size, size)  # the size the teacher runs at
        if m and any(d % m for d in labelled):
            raise EdgeganError(f"{labelled} is not a multiple of the teacher's {m} (its size multiple)")
        current: tuple[Path, np.ndarray | None] = (Path(), None)
        cap, cap_path, cap_pos = None, None, 0
        for k in progress(todo, desc="teacher labels", unit="pair", disable=not show_progress):
            path, at, view = jobs[k]
            rng = np.random.default_rng([seed, k])
            if at < 0:
                if current[0] != path:
                    current = (path, np.asarray(load_image(path)))
                rgb = current[1]
            else:
                if cap_path != path or at < cap_pos:
                    if cap is not None:
                        cap.release()
                    cap, cap_path, cap_pos = cv2.VideoCapture(str(path)), path, 0
                while cap_pos <= at:
                    ok, bgr = cap.read()
                    if not ok:
                        raise EdgeganError(f"{str(path)!r}: frame {at} could not be decoded")
                    cap_pos += 1
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            whole = draw_whole(at, view, rng)
            a = random_view(rgb, size, rng, whole=whole, stress=stress, stress_names=names, frame=frame)
            if label_at == "view":  # squashed first, then labelled at size x size
                a = cv2.resize(a, (size, size), interpolation=cv2.INTER_AREA)
            b = to_image(backend.run(to_tensor(a)))
            if frame and label_at == "frame":
                a, b = (cv2.resize(v, (size, size), interpolation=cv2.INTER_AREA) for v in (a, b))
            save_image(a_dir / f"{k:06d}.png", a)
            save_image(b_dir / f"{k:06d}.png", b)
        if cap is not None:
            cap.release()
    write_json(manifest, dict(spec, sources=[str(p) for p in images + videos], pairs=len(jobs), complete=True))
    return out
