"""How ``edgegan compress`` (:mod:`edgegan.pipelines.budget`) measures a candidate: the photos as a camera of the
target size delivers them, the float teacher's outputs they are scored against, a candidate's outputs carried to
full size as ``edgegan video`` carries them, one timed probe, and the chosen candidate's temporal stability."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from edgegan.data.samples import photo_paths
from edgegan.errors import EdgeganError
from edgegan.io import atomic_write
from edgegan.media import (
    carry,
    collect_inputs,
    load_image,
    pad_to_multiple,
    read_frames,
    resize_long_side,
    resize_to,
    to_tensor,
)
from edgegan.metrics.temporal import WarpingError, sharpness
from edgegan.progress import progress
from edgegan.runtime.stylizer import Stylizer
from edgegan.runtime.video import stylize_video

TEMPORAL_SIDE = 320  # long side the warping error's flow is computed at (the stabilizer's own flow size)
WARP_BAR = 0.7  # the temporal output's warping error, at most this times the same model's per-frame output's
SHARP_BAR = 0.9  # and its sharpness at least this times per-frame's: stable without smearing


def fidelity_frames(photos: list[str] | None, width: int, height: int) -> tuple[list[str], list[np.ndarray]]:
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


def carried(
    stylizer: Stylizer, frames: list[np.ndarray], side: int, carriers: tuple[str, ...] = ("bilinear",)
) -> dict[str, list[np.ndarray]]:
    """Each frame at the network's side, stylized, brought back to full size by each of ``carriers`` as
    ``edgegan video`` does it (:func:`edgegan.media.carry`): one network run per frame serves every carrier."""
    out: dict[str, list[np.ndarray]] = {c: [] for c in carriers}
    for f in frames:
        small = resize_long_side(f, side)
        y = stylizer(small)
        for c in carriers:
            out[c].append(carry(y, small, f, c))
    return out


def network_input(frame: np.ndarray, side: int, multiple: int) -> np.ndarray:
    """The network's input for ``frame`` at ``side``, as the Stylizer makes it (resized, padded)."""
    return pad_to_multiple(to_tensor(resize_long_side(frame, side)), multiple)[0]


def input_hw(frame: np.ndarray, side: int, multiple: int) -> tuple[int, int]:
    return tuple(network_input(frame, side, multiple).shape[2:])


def time_once(run, x: np.ndarray) -> float:
    """One warm-up and one timed run of the network on ``x``, in ms."""
    run(x)
    t0 = time.perf_counter()
    run(x)
    return (time.perf_counter() - t0) * 1e3


def reference_outputs(path: Path, float_onnx: Path, frames: list[np.ndarray], threads: int) -> list[np.ndarray]:
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


def temporal_check(c, clip: Path, work: Path) -> dict:
    """The chosen candidate's temporal stability on ``clip``: its ``--temporal`` output against its own per-frame
    output, both run as ``edgegan video`` runs them. Warping error (flow and occlusions from the input, at
    TEMPORAL_SIDE px) and sharpness (mean gradient magnitude, full size), each as a ratio to per-frame."""
    runs = {}
    for temporal in (False, True):
        dst = work / f"temporal_{int(temporal)}.mp4"
        stylize_video(c.model, str(clip), str(dst), size=c.side, temporal=temporal, backend=c.backend,
                      threads=c.threads, show_progress=False, carrier=c.carrier)  # fmt: skip
        runs[temporal] = read_frames(dst)
    inputs = [resize_long_side(f, TEMPORAL_SIDE) for f in read_frames(clip, limit=len(runs[False]))]
    metric = WarpingError(inputs)
    warp = {t: metric.of([resize_long_side(f, TEMPORAL_SIDE) for f in v]) for t, v in runs.items()}
    sharp = {t: sharpness(v) for t, v in runs.items()}
    w_ratio, s_ratio = warp[True] / max(warp[False], 1e-12), sharp[True] / max(sharp[False], 1e-12)
    own = metric.of(inputs)
    sharp_enough, steady = s_ratio >= SHARP_BAR, warp[True] <= own
    return {
        "frames": len(inputs),
        "warping_error": {"per_frame": warp[False], "temporal": warp[True], "ratio": w_ratio, "bar": WARP_BAR},
        "sharpness": {"per_frame": sharp[False], "temporal": sharp[True], "ratio": s_ratio, "bar": SHARP_BAR},
        "input_warping_error": own,
        "holds": bool(w_ratio <= WARP_BAR and sharp_enough),
        # a per-frame output already about as steady as the video (a colour change, or the video's own detail
        # carried through) has no flicker left to cut by 30 %: stabilized to at most the input's own warping error,
        # and as sharp, it is accepted
        "steady_as_input": bool(steady),
        "accepted": bool(sharp_enough and (w_ratio <= WARP_BAR or steady)),
        "metric": f"{WarpingError.name} at {TEMPORAL_SIDE} px (Lai et al. 2018); sharpness: mean Sobel magnitude",
    }
