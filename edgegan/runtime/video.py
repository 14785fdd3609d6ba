"""Video in, video out: decode, stylize, (stabilize), encode -- three stages that overlap.

``stylize_video`` runs the decoder and the encoder in their own threads, with small bounded queues between
them and the network, so OpenCV's decode/encode (which release the GIL) proceed while the runtime infers
(which releases it too) and the memory held is a few frames whatever the video's length.

Frames go through the network at ``size`` pixels on the long side (the model's resolution, not the
video's); the stylized frame is resized back to the video's own size, and the output keeps its frame rate.

Temporal stabilization (``temporal=True``) is :class:`FlowBlend`: the previous *stylized* frame is warped
into the current one along the optical flow of the *input* frames (OpenCV's DIS flow, both directions),
and blended with the current stylized frame wherever the flow is trustworthy: a forward-backward
consistency check and a photometric check on the input frames mark occlusions and flow failures, where the
current frame is kept as it is. Per-frame stylization flickers because a generator amplifies small
input changes (noise, compression, lighting); the blend is a recursive filter along motion paths.
"""

from __future__ import annotations

import functools
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from edgegan.errors import EdgeganError

WRITER_CODECS = {".avi": "MJPG", ".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".mkv": "MJPG"}


# ---------------------------------------------------------------------------------------------------------------
# reading and writing


def open_capture(source: str | int, what: str = "video") -> tuple[cv2.VideoCapture, np.ndarray | None]:
    """An opened ``cv2.VideoCapture`` whose first frame decodes, or a one-line :class:`EdgeganError`.

    Files are rewound to their start (the probe frame is None); a camera cannot seek, so its probe frame is
    returned for the caller to use."""
    if isinstance(source, str) and not source.isdigit():
        if not Path(source).exists():
            raise EdgeganError(f"{what} not found: {source!r}")
        if Path(source).is_dir():
            raise EdgeganError(f"{what} is a folder, not a video file: {source!r}")
        cap = cv2.VideoCapture(source)
    else:
        index = int(source)
        linux = sys.platform.startswith("linux")
        backend = cv2.CAP_V4L2 if linux else cv2.CAP_ANY
        if linux and not Path(f"/dev/video{index}").exists():
            raise EdgeganError(f"no camera {index}: /dev/video{index} does not exist (give a video file as --source)")
        cap = cv2.VideoCapture(index, backend)
    if not cap.isOpened():
        raise EdgeganError(f"cannot open {what} {source!r} (not a video OpenCV can decode, or a busy camera)")
    ok, frame = cap.read()
    if not ok or frame is None:
        cap.release()
        raise EdgeganError(f"cannot decode a frame from {what} {source!r}")
    if isinstance(source, str) and not source.isdigit():
        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
        return cap, None
    return cap, frame


@dataclass
class VideoInfo:
    fps: float
    width: int
    height: int
    frames: int  # as the container declares it; 0 when unknown


def video_info(cap: cv2.VideoCapture) -> VideoInfo:
    fps = cap.get(cv2.CAP_PROP_FPS)
    return VideoInfo(
        fps=fps if fps and 0 < fps < 1000 else 30.0,
        width=int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
        height=int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        frames=max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)), 0),
    )


def read_frames(
    path: str | os.PathLike, size: int | None = None, limit: int | None = None, start: int = 0, step: int = 1
) -> list[np.ndarray]:
    """Frames ``start``, ``start + step``, ... of a video (at most ``limit``) as RGB uint8 arrays, optionally
    resized to ``size`` on the long side."""
    cap, _ = open_capture(str(path))
    frames, i = [], 0
    try:
        while limit is None or len(frames) < limit:
            ok, bgr = cap.read()
            if not ok:
                break
            if i >= start and (i - start) % step == 0:
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
                frames.append(resize_long_side(rgb, size) if size else rgb)
            i += 1
    finally:
        cap.release()
    return frames


def check_output_video(path: str | os.PathLike) -> Path:
    """Fail early (before a model loads) on an output name no video can be written to."""
    p = Path(path)
    if p.suffix.lower() not in WRITER_CODECS:
        raise EdgeganError(f"output video must end in one of {', '.join(WRITER_CODECS)}, got {str(path)!r}")
    if p.is_dir():
        raise EdgeganError(f"output is a folder, not a video file name: {str(path)!r}")
    parent = p.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise EdgeganError(f"output folder is not writable: {str(p.parent)!r}")
    return p


class VideoWriter:
    """``cv2.VideoWriter`` into a temporary file beside ``path``, renamed over it on :meth:`close`.

    An interrupted run leaves no half-written video under the output name. The codec follows the suffix
    (MJPG for .avi/.mkv, mp4v for .mp4/.mov/.m4v).
    """

    def __init__(self, path: str | os.PathLike, fps: float, size: tuple[int, int]):
        self.path = check_output_video(path)
        suffix = self.path.suffix.lower()
        parent = self.path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise EdgeganError(f"cannot create the output folder {str(parent)!r}: {e.strerror}") from None
        self.tmp = parent / f".{self.path.stem}.{os.getpid()}.partial{suffix}"
        self.writer = cv2.VideoWriter(str(self.tmp), cv2.VideoWriter_fourcc(*WRITER_CODECS[suffix]), fps, size)
        if not self.writer.isOpened():
            raise EdgeganError(f"OpenCV cannot write a {suffix} video at {str(path)!r}")
        self.size = size
        self.frames = 0

    def write(self, bgr: np.ndarray) -> None:
        self.writer.write(bgr)
        self.frames += 1

    def close(self, keep: bool = True) -> None:
        self.writer.release()
        if keep and self.frames:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------------
# frames to network and back


def resize_long_side(rgb: np.ndarray, size: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = size / max(h, w)
    if scale == 1:
        return rgb
    dsize = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(rgb, dsize, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


class FrameStylizer:
    """RGB uint8 frame -> stylized RGB uint8 frame at the network's resolution (``size`` on the long side)."""

    def __init__(self, backend, size: int | None = 256):
        if size is not None and size < 8:
            raise EdgeganError(f"--size must be at least 8 pixels, got {size}")
        self.backend = backend
        self.size = size
        self.multiple = getattr(backend, "size_multiple", 1) or 1
        self.last_latency_s = 0.0

    def __call__(self, rgb: np.ndarray) -> np.ndarray:
        from edgegan.runtime.pipeline import pad_to_multiple, to_image, to_tensor

        small = resize_long_side(rgb, self.size) if self.size else rgb
        x, (h, w) = pad_to_multiple(to_tensor(small), self.multiple)
        t0 = time.perf_counter()
        y = self.backend.run(x)
        self.last_latency_s = time.perf_counter() - t0
        return to_image(y[:, :, :h, :w])


# ---------------------------------------------------------------------------------------------------------------
# temporal stabilization


def dis_flow(preset: int = cv2.DISOPTICAL_FLOW_PRESET_FAST) -> cv2.DISOpticalFlow:
    return cv2.DISOpticalFlow_create(preset)


@functools.lru_cache(maxsize=8)
def _pixel_grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    return np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))  # once per frame size


def warp_with_flow(image: np.ndarray, flow: np.ndarray, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Sample ``image`` at ``x + flow(x)`` (border replicated): pulls ``image`` into flow's frame."""
    gx, gy = _pixel_grid(*flow.shape[:2])
    return cv2.remap(image, gx + flow[..., 0], gy + flow[..., 1], interpolation, borderMode=cv2.BORDER_REPLICATE)


def consistency_mask(fwd: np.ndarray, bwd: np.ndarray) -> np.ndarray:
    """1 where following ``fwd`` then ``bwd`` comes back to the start (Sundaram et al.'s criterion as used by
    Ruder et al. and Lai et al.): |f + b(x+f)|^2 <= 0.01 (|f|^2 + |b(x+f)|^2) + 0.5. float32 HxW."""
    b_at = warp_with_flow(bwd, fwd)
    lhs = np.sum((fwd + b_at) ** 2, axis=2)
    rhs = 0.01 * (np.sum(fwd**2, axis=2) + np.sum(b_at**2, axis=2)) + 0.5
    return (lhs <= rhs).astype(np.float32)


@dataclass
class FlowBlend:
    """Flow-guided recursive blending of stylized frames (see the module docstring).

    ``alpha``: weight of the warped previous stylized frame where the flow is trusted; ``photo_tol``: the
    largest mean absolute difference (0-255) between the current input and the warped previous input for a
    pixel to count as tracked. Call with (input RGB, stylized RGB) at the same size, frame after frame.
    """

    alpha: float = 0.8
    photo_tol: float = 12.0
    _flow: cv2.DISOpticalFlow = field(default_factory=dis_flow, repr=False)
    _prev_in: np.ndarray | None = field(default=None, repr=False)
    _prev_gray: np.ndarray | None = field(default=None, repr=False)
    _prev_out: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        if not 0.0 <= self.alpha < 1.0:
            raise EdgeganError(f"temporal alpha must be in [0, 1), got {self.alpha}")

    def reset(self) -> None:
        self._prev_in = self._prev_gray = self._prev_out = None

    def __call__(self, rgb_in: np.ndarray, rgb_out: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(rgb_in, cv2.COLOR_RGB2GRAY)
        if self._prev_gray is None or self._prev_gray.shape != gray.shape:
            result = rgb_out
        else:
            back = self._flow.calc(gray, self._prev_gray, None)  # current -> previous
            fwd = self._flow.calc(self._prev_gray, gray, None)  # previous -> current
            mask = consistency_mask(back, fwd)
            warped_in = warp_with_flow(self._prev_in, back).astype(np.float32)
            photo = np.abs(warped_in - rgb_in.astype(np.float32)).mean(axis=2)
            mask *= (photo <= self.photo_tol).astype(np.float32)
            mask = cv2.GaussianBlur(mask, (5, 5), 0)[..., None]  # soft edges: no hard seams where trust changes
            # bicubic: a recursive filter re-samples every frame, and bilinear blur would accumulate (on a street
            # video: sharpness 78% of per-frame with bilinear, 90% with bicubic, warping error alike)
            warped_out = warp_with_flow(self._prev_out, back, cv2.INTER_CUBIC).astype(np.float32)
            cur = rgb_out.astype(np.float32)
            blended = cur + (self.alpha * mask) * (warped_out - cur)
            result = np.clip(blended + 0.5, 0, 255).astype(np.uint8)
        self._prev_in, self._prev_gray, self._prev_out = rgb_in, gray, result
        return result


# ---------------------------------------------------------------------------------------------------------------
# the pipeline

_END = object()


class _Stage(threading.Thread):
    """A daemon thread that remembers its exception for the main thread to re-raise."""

    def __init__(self, target, name: str, stop: threading.Event):
        super().__init__(name=name, daemon=True)
        self._target_fn = target
        self.stop = stop
        self.error: BaseException | None = None

    def run(self):
        try:
            self._target_fn()
        except BaseException as e:  # noqa: BLE001 -- handed to the main thread
            self.error = e
            self.stop.set()  # nobody waits on a queue that a dead stage would have emptied


def _put(q: queue.Queue, item, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def stylize_video(
    model: str,
    src: str,
    dst: str,
    size: int = 256,
    temporal: bool = False,
    alpha: float = 0.8,
    backend: str | None = None,
    threads: int | None = None,
    limit: int | None = None,
    show_progress: bool = True,
    keep_size: bool = True,
) -> dict:
    """Stylize ``src`` into ``dst``; returns the run's figures (frames, seconds, FPS, latency, stages)."""
    from edgegan.progress import progress
    from edgegan.runtime.backends import load_backend

    if limit is not None and limit < 1:
        raise EdgeganError(f"--frames must be a positive number, got {limit}")
    if size is not None and size < 8:
        raise EdgeganError(f"--size must be at least 8 pixels, got {size}")
    if Path(dst).resolve() == Path(src).resolve():
        raise EdgeganError(f"output {dst!r} would overwrite the input video")
    check_output_video(dst)
    cap, _ = open_capture(src)
    info = video_info(cap)
    try:
        stylizer = FrameStylizer(load_backend(model, backend, threads), None)  # frames arrive resized
    except BaseException:
        cap.release()
        raise
    stabilizer = FlowBlend(alpha=alpha) if temporal else None
    out_size = (info.width, info.height)
    if not keep_size:
        h, w = resize_long_side(np.zeros((info.height, info.width, 1), np.uint8), size).shape[:2]
        out_size = (w, h)
    out_size = (max(2, out_size[0] - out_size[0] % 2), max(2, out_size[1] - out_size[1] % 2))  # codecs want even
    try:
        writer = VideoWriter(dst, info.fps, out_size)
    except BaseException:
        cap.release()
        raise

    stop = threading.Event()
    decoded: queue.Queue = queue.Queue(maxsize=4)
    encoded: queue.Queue = queue.Queue(maxsize=4)
    busy = {"decode": 0.0, "infer": 0.0, "encode": 0.0}

    def decode():
        n = 0
        while not stop.is_set() and (limit is None or n < limit):
            t0 = time.perf_counter()
            ok, bgr = cap.read()
            if not ok:
                break
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            small = resize_long_side(rgb, size) if size else rgb  # resized here, off the network's thread
            busy["decode"] += time.perf_counter() - t0
            if not _put(decoded, small, stop):
                return
            n += 1
        _put(decoded, _END, stop)

    def encode():
        while True:
            try:
                item = encoded.get(timeout=0.1)
            except queue.Empty:
                if stop.is_set():
                    return
                continue
            if item is _END:
                return
            t0 = time.perf_counter()
            if item.shape[1::-1] != out_size:
                item = cv2.resize(item, out_size, interpolation=cv2.INTER_LINEAR)
            writer.write(cv2.cvtColor(item, cv2.COLOR_RGB2BGR))
            busy["encode"] += time.perf_counter() - t0

    stages = [_Stage(decode, "decode", stop), _Stage(encode, "encode", stop)]
    total = min(info.frames, limit) if info.frames and limit else (info.frames or limit or None)
    bar = progress(total=total, desc="video", unit="frame", disable=not show_progress)
    latencies: list[float] = []
    net_size = None
    ok = False
    t_start = time.perf_counter()
    try:
        for s in stages:
            s.start()
        while True:
            try:
                small = decoded.get(timeout=0.5)
            except queue.Empty:
                if not stages[0].is_alive():
                    if stages[0].error:
                        raise stages[0].error from None
                    break
                continue
            if small is _END:
                break
            t0 = time.perf_counter()
            out = stylizer(small)
            net_size = small.shape[1::-1]
            if stabilizer is not None:
                out = stabilizer(small, out)
            busy["infer"] += time.perf_counter() - t0
            latencies.append(stylizer.last_latency_s)
            if not _put(encoded, out, stop) or stages[1].error:
                break
            bar.update(1)
        _put(encoded, _END, stop)
        stages[1].join()
        for s in stages:
            if s.error:
                raise s.error
        ok = True
    finally:
        stop.set()
        bar.close()
        for s in stages:
            s.join(timeout=5)
        cap.release()
        writer.close(keep=ok)
    seconds = time.perf_counter() - t_start
    n = len(latencies)
    if n == 0:
        raise EdgeganError(f"no frame decoded from {src!r}")
    expected = min(info.frames, limit) if limit else info.frames
    if expected and n < expected:
        import sys

        print(f"warning: decoded {n} of the {expected} frames {src!r} declares (damaged?)", file=sys.stderr)
    return {
        "input": str(src),
        "output": str(dst),
        "frames": n,
        "seconds": round(seconds, 3),
        "fps": round(n / seconds, 2),
        "video_fps": info.fps,
        "input_size": [info.width, info.height],
        "output_size": list(out_size),
        "network_size": list(net_size),
        "temporal": bool(temporal),
        "alpha": alpha if temporal else None,
        "network_ms_median": round(1000 * float(np.median(latencies)), 2),
        "busy_seconds": {k: round(v, 3) for k, v in busy.items()},
    }
