"""Video in, video out: decode, stylize, (stabilize), encode -- three stages that overlap.

``stylize_video`` runs the decoder and the encoder in their own threads (the temporal stabilizer runs in the
encoder's, so it overlaps the network's next frame), with small bounded queues between them and the network,
so OpenCV's decode/encode (which release the GIL) proceed while the runtime infers (which releases it too) and
the memory held is a few frames whatever the video's length.

Frames go through the network at the video's own resolution, or at ``size`` pixels on the long side, by the
one :class:`~edgegan.runtime.stylizer.Stylizer` (padding to the network's multiple, or a fixed-size network's
own size); the stylized frame is resized back to the video's own size, and the output
keeps its frame rate. ``temporal=True`` adds :class:`~edgegan.runtime.stabilize.FlowBlend`.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from edgegan.artifact import ModelRef
from edgegan.errors import EdgeganError
from edgegan.media import CARRIERS, VideoWriter, carry, check_output_video, open_capture, resize_long_side, video_info
from edgegan.progress import progress
from edgegan.runtime.stabilize import FlowBlend
from edgegan.runtime.stylizer import Stylizer
from edgegan.sizes import check_side

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
    model: str | os.PathLike | ModelRef,
    src: str,
    dst: str,
    size: int | None = None,
    temporal: bool = False,
    alpha: float = 0.8,
    backend: str | None = None,
    threads: int | None = None,
    limit: int | None = None,
    show_progress: bool = True,
    keep_size: bool = True,
    style=None,
    carrier: str = "bilinear",
) -> dict:
    """Stylize ``src`` into ``dst``; returns the run's figures (frames, seconds, FPS, latency, stages).
    ``carrier``: how an output at ``size`` comes back to the video's size (:func:`edgegan.media.carry`)."""
    if carrier not in CARRIERS:
        raise EdgeganError(f"--carrier {carrier!r}: expected one of {', '.join(CARRIERS)}")
    detail = carrier == "detail" and bool(size) and keep_size
    if limit is not None and limit < 1:
        raise EdgeganError(f"--frames must be a positive number, got {limit}")
    check_side(size)
    if Path(dst).resolve() == Path(src).resolve():
        raise EdgeganError(f"output {dst!r} would overwrite the input video")
    check_output_video(dst)
    cap, _ = open_capture(src)
    info = video_info(cap)
    try:
        stylizer = Stylizer.open(model, backend, threads, None, style)  # frames arrive resized
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
    busy = {"decode": 0.0, "infer": 0.0, "stabilize": 0.0, "encode": 0.0}

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
            if not _put(decoded, (rgb if detail else None, small), stop):
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
            full, small, item = item
            if stabilizer is not None:  # here, so the network runs on the next frame meanwhile
                t0 = time.perf_counter()
                item = stabilizer(small, item)
                busy["stabilize"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            if full is not None:
                item = carry(item, small, full, "detail")
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
                item = decoded.get(timeout=0.5)
            except queue.Empty:
                if not stages[0].is_alive():
                    if stages[0].error:
                        raise stages[0].error from None
                    break
                continue
            if item is _END:
                break
            full, small = item
            t0 = time.perf_counter()
            out = stylizer(small)
            net_size = small.shape[1::-1]
            busy["infer"] += time.perf_counter() - t0
            latencies.append(stylizer.last_latency_s)
            if not _put(encoded, (full, small, out), stop) or stages[1].error:
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
        "carrier": "detail" if detail else "bilinear",
        "network_ms_median": round(1000 * float(np.median(latencies)), 2),
        "busy_seconds": {k: round(v, 3) for k, v in busy.items()},
    }
