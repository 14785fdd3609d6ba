"""A full disk: ``export``, ``quantize``, ``video`` and ``distill`` writing onto a small filesystem (a tmpfs of a few
MB, filled but for a little) stop with one line naming the path and the lack of space, exit 2, and leave nothing
half-written there (no output, no temporary).

Mounting a tmpfs needs root (or a user namespace); where the machine refuses, the tests skip and say so."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from artifacts import every_file_parses, litter
from conftest import run_cli


@pytest.fixture()
def small_disk(tmp_path):
    """A 4 MB tmpfs at ``tmp_path / "disk"`` with ``free`` bytes left (a filler file takes the rest)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here: cannot make a small filesystem")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.strip() or r.returncode}): needs root")

    def fill(free: int):
        left = shutil.disk_usage(disk).free - free
        with open(disk / "filler", "wb") as f:
            f.write(b"\0" * max(left, 0))
        return disk

    try:
        yield fill
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def assert_no_space(args: list, disk, path_part: str, keeps: str | None = None) -> str:
    """One line naming ``path_part`` and the lack of space, exit 2; nothing left on the disk but what ``keeps``
    names (a run directory, which a rerun resumes), and there every file complete and no temporary."""
    code, _, err = run_cli(*map(str, args))
    lines = [x for x in err.strip().splitlines() if "%|" not in x and "\r" not in x]
    assert code == 2 and "Traceback" not in err, (code, err[-3000:])
    assert len(lines) == 1 and "no space left" in lines[0] and path_part in lines[0], lines
    left = sorted(p.name for p in disk.iterdir() if p.name not in ("filler", "lost+found", keeps))
    assert left == [], left  # nothing half-written, no temporary
    if keeps and (disk / keeps).exists():
        print(f"\nkept for resuming: {sorted(str(p.relative_to(disk)) for p in (disk / keeps).rglob('*'))}")
        every_file_parses(disk / keeps)
        assert litter(disk / keeps) == []
    return lines[0]


# The space left is above edgegan's "full" mark (64 KiB) and below what each output needs (the tiny model's weights
# alone are 199 KiB), so each command meets a real ENOSPC (or, for OpenCV's video writer, a silent failure).
FREE = 128 << 10


def test_export_on_a_full_disk(small_disk, tiny_ckpt):
    disk = small_disk(FREE)
    assert_no_space(["export", tiny_ckpt, "--format", "openvino", "--out", disk / "m.xml"], disk, "m.xml")
    assert_no_space(["export", tiny_ckpt, "--format", "onnx", "--out", disk / "m.onnx"], disk, "m.onnx")


def test_quantize_on_a_full_disk(small_disk, tiny_ckpt, samples):
    disk = small_disk(FREE)
    photos = sorted((samples / "photos").iterdir())[:2]
    args = ["quantize", tiny_ckpt, "--int8", "--out", disk / "q", "--calib", *photos, "--val", *photos, "--size", "64"]
    assert_no_space(args, disk, "q")


def test_video_on_a_full_disk(small_disk, tiny_ckpt, samples):
    disk = small_disk(FREE)
    clip = samples / "videos" / "bikes.mp4"
    assert_no_space(["video", tiny_ckpt, clip, disk / "o.mp4", "--frames", "80"], disk, "o.mp4")


def test_distill_on_a_full_disk(small_disk, tiny_ckpt, samples, tmp_path):
    disk = small_disk(FREE)
    photos = tmp_path / "photos"
    photos.mkdir()
    for p in sorted((samples / "photos").iterdir())[:3]:
        shutil.copy(p, photos / p.name)
    args = ["distill", "--teacher", tiny_ckpt, "--student", "test_edge", "--data", photos, "--out", disk / "run",
            "--size", "64", "--views", "2", "--steps", "4"]  # fmt: skip
    assert_no_space(args, disk, "run", keeps="run")
