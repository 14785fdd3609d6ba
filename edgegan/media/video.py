"""Video files and cameras in and out: a capture whose first frame is known to decode, frames as RGB arrays,
and a writer that renames its file into place only when complete."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from edgegan.errors import EdgeganError
from edgegan.io import clean_stale, disk_full, temp_prefix, write_error
from edgegan.media.images import resize_long_side, resize_to

WRITER_CODECS = {".avi": "MJPG", ".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".mkv": "MJPG"}


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
        # opened afresh rather than rewound: seeking back to frame 0 fails on some files (a one-frame video
        # then decodes nothing)
        cap.release()
        cap = cv2.VideoCapture(source)
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
        clean_stale(self.path)  # what a killed run left
        self.tmp = parent / f"{temp_prefix(self.path)}partial{suffix}"
        self.writer = cv2.VideoWriter(str(self.tmp), cv2.VideoWriter_fourcc(*WRITER_CODECS[suffix]), fps, size)
        if not self.writer.isOpened():
            raise EdgeganError(f"OpenCV cannot write a {suffix} video at {str(path)!r}")
        self.size = size
        self.frames = 0

    def write(self, bgr: np.ndarray) -> None:
        self.writer.write(bgr)
        self.frames += 1
        if self.frames % 32 == 0 and disk_full(self.tmp.parent):  # OpenCV's writer fails silently on a full disk
            self.close(keep=False)
            raise write_error(self.path)

    def close(self, keep: bool = True) -> None:
        self.writer.release()
        if keep and self.frames and disk_full(self.tmp.parent):  # its last frames may be missing
            self.tmp.unlink(missing_ok=True)
            raise write_error(self.path)
        if keep and self.frames:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def write_camera_clip(src: str | os.PathLike, out: str | os.PathLike, size: tuple[int, int], frames: int) -> Path:
    """The first ``frames`` frames of ``src``, centre-cropped to the aspect of ``size`` = (width, height) and
    resized to it: what a camera of that resolution delivers. Written once (an existing ``out`` is kept), at
    ``src``'s frame rate, atomically."""
    out = Path(out)
    if out.is_file():
        return out
    w, h = size
    cap, _ = open_capture(str(src))
    fps = video_info(cap).fps
    cap.release()
    writer = VideoWriter(str(out), fps, (w, h))
    try:
        for rgb in read_frames(src, limit=frames):
            fh, fw = rgb.shape[:2]
            cw = min(fw, round(fh * w / h))
            ch = min(fh, round(cw * h / w))
            x, y = (fw - cw) // 2, (fh - ch) // 2
            crop = resize_to(np.ascontiguousarray(rgb[y : y + ch, x : x + cw]), w, h)
            writer.write(cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
    except BaseException:
        writer.close(keep=False)  # no half-written clip left to be taken for a whole one
        raise
    writer.close()
    return out
