"""The webcam app: a camera (or a video file standing in for one) restyled live.

- **Capture** runs in its own thread. From a camera it keeps only the *latest* frame (older ones are
  dropped and counted), so a slow model shows fewer frames but never an ever-growing lag. A video file is a
  camera stand-in: it loops, and by default hands over every frame (``realtime=True`` paces it at its frame
  rate and drops like a camera).
- **Inference** on any backend, at ``size`` on the long side, optionally stabilized over time (FlowBlend).
- **Display**: a resizable OpenCV window with an FPS/latency overlay, side-by-side toggle and hotkeys:
  ``n`` next style of a conditional model (one exported with ``--style-input``, or a multi-style checkpoint; the
  next model for any other), ``m`` next model, ``s`` side by side, ``t`` temporal on/off, ``p`` snapshot (PNG),
  ``q``/Esc quit.
  It needs an OpenCV build with highgui (``opencv-python``, which needs libGL); edgegan installs the headless
  build, so ``headless=True`` (no window; frames go to ``out``) works everywhere.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from edgegan.errors import EdgeganError
from edgegan.media import (
    CARRIERS,
    VideoWriter,
    carry,
    check_output_video,
    open_capture,
    resize_long_side,
    save_image,
    video_info,
)
from edgegan.progress import progress
from edgegan.runtime.backends import load_backend
from edgegan.runtime.stabilize import FlowBlend
from edgegan.runtime.stylizer import Stylizer
from edgegan.sizes import check_side

WINDOW = "edgegan webcam"
GUI_HELP = (
    "this OpenCV has no window support (the headless build edgegan installs); run with --headless --out FILE, "
    "or get the window with: pip uninstall -y opencv-python-headless && pip install opencv-python "
    "(on Debian/Ubuntu it also needs: apt install libgl1 libglib2.0-0)"
)


def gui_available() -> bool:
    """True when cv2 can open a window here (highgui built in, and a display on X11/Wayland systems)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    info = cv2.getBuildInformation()
    gui = info.split("GUI:", 1)[1].split("\n", 1)[0].strip() if "GUI:" in info else ""
    return bool(gui) and gui.upper() != "NONE"


class LatestFrame:
    """A one-slot mailbox: ``put`` replaces what is there (``drop=True``) or waits until it is taken."""

    def __init__(self, drop: bool):
        self.drop = drop
        self._cv = threading.Condition()
        self._item = None
        self._closed = False
        self.dropped = 0

    def put(self, item) -> bool:
        with self._cv:
            if not self.drop:
                while self._item is not None and not self._closed:
                    self._cv.wait(0.1)
            if self._closed:
                return False
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cv.notify_all()
            return True

    def get(self, timeout: float = 5.0):
        with self._cv:
            deadline = time.monotonic() + timeout
            while self._item is None and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cv.wait(left)
            item, self._item = self._item, None
            self._cv.notify_all()
            return item

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._cv:
            self._closed = True
            self._cv.notify_all()


class Capture(threading.Thread):
    """Reads ``source`` (camera index or video file) into a :class:`LatestFrame` until stopped."""

    def __init__(self, source: str, realtime: bool = False):

        super().__init__(name="capture", daemon=True)
        self.source = source
        self.is_file = not str(source).isdigit()
        self.cap, self.probe = open_capture(source, "camera" if not self.is_file else "video")
        self.info = video_info(self.cap)
        self.pace = 1.0 / self.info.fps if (self.is_file and realtime) else 0.0
        self.slot = LatestFrame(drop=not self.is_file or realtime)
        self.error: BaseException | None = None
        self.frames_read = 0
        self.loops = 0

    def run(self):
        try:
            if self.probe is not None:
                self.slot.put(self.probe)
            t_next = time.perf_counter()
            failures = 0
            read_at_rewind = -1
            while not self.slot.closed:
                ok, bgr = self.cap.read()
                if not ok:
                    if self.is_file and self.frames_read > read_at_rewind:  # a file loops: a camera that never ends
                        self.cap.release()  # opened afresh: seeking to frame 0 fails on some files (one frame)
                        self.cap = cv2.VideoCapture(str(self.source))
                        if not self.cap.isOpened():
                            raise EdgeganError(f"cannot reopen {self.source!r} to loop it")
                        read_at_rewind = self.frames_read  # a rewind that yields nothing new is an error
                        self.loops += 1
                        continue
                    failures += 1
                    if failures > 20:
                        what = "the video" if self.is_file else "the camera"
                        raise EdgeganError(f"{what} {self.source!r} stopped delivering frames")
                    time.sleep(0.05)
                    continue
                failures = 0
                self.frames_read += 1
                if self.pace:
                    t_next += self.pace
                    time.sleep(max(0.0, t_next - time.perf_counter()))
                if not self.slot.put(bgr):
                    return
        except BaseException as e:  # noqa: BLE001 -- re-raised by the app
            self.error = e
            self.slot.close()
        finally:
            self.cap.release()

    def stop(self):
        self.slot.close()


@dataclass
class Stats:
    """Running figures for the overlay and the final report."""

    frames: int = 0
    started: float = field(default_factory=time.perf_counter)
    fps_ema: float = 0.0
    latency_ms: list[float] = field(default_factory=list)
    rss_mb: list[tuple[int, float]] = field(default_factory=list)
    clock_s: list[tuple[int, float]] = field(default_factory=list)  # (frames, seconds since start) every 100 frames
    _last: float = field(default_factory=time.perf_counter)

    def tick(self, latency_s: float) -> None:
        now = time.perf_counter()
        dt = now - self._last
        self._last = now
        self.frames += 1
        if dt > 0:
            self.fps_ema = 1 / dt if self.fps_ema == 0 else 0.9 * self.fps_ema + 0.1 / dt
        self.latency_ms.append(1000 * latency_s)
        if len(self.latency_ms) > 1000:  # keep memory flat on long runs: the median of the last 1000
            del self.latency_ms[:500]
        if self.frames % 100 == 0:
            import psutil

            self.rss_mb.append((self.frames, psutil.Process().memory_info().rss / 2**20))
            self.clock_s.append((self.frames, now - self.started))


def overlay(image: np.ndarray, lines: list[str]) -> np.ndarray:
    out = image.copy()
    y = 18
    for text in lines:
        cv2.putText(out, text, (8, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 3, cv2.LINE_AA)
        cv2.putText(out, text, (8, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
        y += 20
    return out


def next_style(stylizer: Stylizer, shown: int | None = None) -> int:
    """Switch a conditional model to the style after ``shown`` (default: the one it runs; wrapping); returns the
    new index."""
    k = ((stylizer.style_index if shown is None else shown) + 1) % stylizer.n_styles
    stylizer.set_style(k)
    return k


def style_label(stylizer: Stylizer) -> str:
    return f"  style {stylizer.style_index}/{stylizer.n_styles}" if stylizer.n_styles > 1 else ""


def run_webcam(
    models: list[str],
    source: str = "0",
    *,
    size: int | None = None,
    backend: str | None = None,
    threads: int | None = None,
    temporal: bool = False,
    alpha: float = 0.8,
    headless: bool = False,
    frames: int | None = None,
    out: str | None = None,
    realtime: bool = False,
    side_by_side: bool = False,
    snapshots: str = "snapshots",
    show_progress: bool = True,
    style=None,
    carrier: str = "bilinear",
) -> dict:
    """Run the app; returns its figures (frames, FPS, network latency, dropped frames, memory over time).
    ``carrier="detail"``: an output at ``size`` is shown and recorded at the camera's resolution, its change added
    to the full frame (:func:`edgegan.media.carry`); otherwise at the network's size."""

    if not models:
        raise EdgeganError("give at least one model")
    check_side(size)
    if carrier not in CARRIERS:
        raise EdgeganError(f"--carrier {carrier!r}: expected one of {', '.join(CARRIERS)}")
    if headless and not out and not frames:
        raise EdgeganError("--headless needs --frames N or --out FILE (nothing would end or be written)")
    if not headless and not gui_available():
        raise EdgeganError(GUI_HELP)
    if out:
        check_output_video(out)
    # before the camera opens; frames arrive resized by the capture loop, so the stylizer does not resize again
    stylizers = [Stylizer(load_backend(m, backend, threads), None) for m in models]
    if style is not None:  # the starting style of every conditional model
        conditional = [st for st in stylizers if st.n_styles]
        if not conditional:
            raise EdgeganError(f"--style {style}: none of the models has styles to choose from")
        for st in conditional:
            st.set_style(style)
    cam = Capture(source, realtime=realtime)
    blend = FlowBlend(alpha=alpha)
    current, writer = 0, None
    stats = Stats()
    bar = progress(total=frames, desc="webcam", unit="frame", disable=not (headless and show_progress))
    if not headless:
        cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL)
    ok = False
    cam.start()
    try:
        try:
            while frames is None or stats.frames < frames:
                bgr = cam.slot.get(timeout=10.0)
                if bgr is None:
                    if cam.error:
                        raise cam.error
                    raise EdgeganError(f"no frame from {source!r} for 10 s")
                rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
                small = resize_long_side(rgb, size)
                styl = stylizers[current](small)
                if temporal:
                    styl = blend(small, styl)
                if carrier == "detail":
                    styl, small = carry(styl, small, rgb, carrier), rgb
                stats.tick(stylizers[current].last_latency_s)
                if out:
                    if writer is None:
                        fps = cam.info.fps if cam.is_file else 30.0
                        writer = VideoWriter(out, fps, styl.shape[1::-1])
                    writer.write(cv2.cvtColor(styl, cv2.COLOR_RGB2BGR))
                bar.update(1)
                if headless:
                    continue
                view = np.concatenate([small, styl], axis=1) if side_by_side else styl
                view = cv2.cvtColor(view, cv2.COLOR_RGB2BGR)
                view = overlay(
                    view,
                    [
                        f"{Path(models[current]).name}{style_label(stylizers[current])}  "
                        f"{stats.fps_ema:.1f} FPS  net {stats.latency_ms[-1]:.1f} ms",
                        f"temporal {'on' if temporal else 'off'}  dropped {cam.slot.dropped}",
                        "n next style  m next model  s side-by-side  t temporal  p snapshot  q quit",
                    ],
                )
                cv2.imshow(WINDOW, view)
                key = cv2.waitKey(1) & 0xFF
                if key in (ord("q"), 27):
                    break
                if key == ord("n") and stylizers[current].n_styles > 1:
                    next_style(stylizers[current])
                    blend.reset()  # a new style: nothing to blend with
                elif key in (ord("n"), ord("m")):
                    current = (current + 1) % len(stylizers)
                    blend.reset()
                elif key == ord("s"):
                    side_by_side = not side_by_side
                elif key == ord("t"):
                    temporal = not temporal
                    blend.reset()
                elif key == ord("p"):
                    target = Path(snapshots) / f"snapshot_{time.strftime('%Y%m%d_%H%M%S')}_{stats.frames}.png"
                    save_image(target, cv2.cvtColor(view, cv2.COLOR_BGR2RGB))
                    print(f"snapshot: {target}", flush=True)
        except KeyboardInterrupt:  # Ctrl-C ends a session (say a headless recording) and keeps what it recorded
            print("stopped by Ctrl-C", file=sys.stderr)
        ok = True
    finally:
        cam.stop()
        bar.close()
        cam.join(timeout=5)
        if writer is not None:
            writer.close(keep=ok)
        if not headless:
            cv2.destroyAllWindows()
    seconds = time.perf_counter() - stats.started
    lat = stats.latency_ms or [0.0]
    return {
        "source": str(source),
        "models": models,
        "frames": stats.frames,
        "seconds": round(seconds, 3),
        "fps": round(stats.frames / seconds, 2) if seconds > 0 else 0.0,
        "network_ms_median": round(float(np.median(lat)), 2),
        "dropped_frames": cam.slot.dropped,
        "source_loops": cam.loops,
        "temporal": temporal,
        "rss_mb": [(n, round(m, 1)) for n, m in stats.rss_mb],
        "clock_s": [(n, round(t, 3)) for n, t in stats.clock_s],
        "output": out,
    }
