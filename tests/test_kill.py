"""Fault injection: every long-running command killed with SIGKILL at ten moments spread over its run.

For each command a clean run is timed first (and kept as the reference). Then the command is started again and
again on the same output (for the commands that do not resume, one that already holds the clean run's complete
result, which each run replaces), each time killed (SIGKILL to its whole process group, as the OOM killer or a closed
lid would) after a delay from 12 % to 90 % of the clean run's time (of a whole run's, if one was quicker). For
``train``, ``distill`` and ``prune``, which resume, a kill of a first run is followed by a resumed run killed in
turn, then a fresh start. After every kill:

- the output is either absent or a complete artifact that loads (a run directory of ``train``/``distill``: every
  file in it parses: JSON, JSONL lines, safetensors, the training state);
- what the kill left beside it as temporaries is counted (the next run must remove it).

Then the command runs once more, uninterrupted: it must succeed, leave no temporary behind, and for ``train``
and ``distill`` end bit-identical to the clean run (the kills resumed from the last checkpoint each time). A run
that finishes before its kill moment is not counted as a kill; the output is removed and the next try starts
fresh, until ten kills have landed.

A SIGINT in the middle of each command prints one line on stderr (no traceback) and exits 130.

The SIGKILL runs are forked from a server that has already imported the commands' libraries (tests/zygote.py):
the moments land in the work, where something is written, and a run costs its work only (2x fewer seconds in all
on a 2-core machine). The SIGINT runs start real interpreters.

The counts go to stdout and, with ``EDGEGAN_KILL_JSON=path``, to a JSON file (docs/results/kill_safety.json).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from artifacts import every_file_parses, images_complete, litter, loads_backend, loads_checkpoint, video_complete
from zygote import Zygote

pytestmark = pytest.mark.slow

KILLS = 10
REPORT: dict[str, dict] = {}
COMMAND = "EDGEGAN_KILL_JSON=$PWD/docs/results/kill_safety.json pytest -m slow -n 2 --dist loadfile tests/test_kill.py"


# --------------------------------------------------------------------------------------------- running


def _env() -> dict:
    # the threads conftest gives this process: two under plain pytest, each xdist worker's share under make test-slow
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"), PYTHONUNBUFFERED="1")
    return env


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "edgegan", *map(str, args)],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill reaches every child (torchrun, decoders)
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    """Ctrl-C's default in the child. A shell starts background jobs with SIGINT ignored and Python keeps an
    ignored SIGINT ignored, so under ``ci/run &`` or ``nohup`` the interrupt would never reach the command (the
    SIGINT tests then saw it run to the end and exit 0)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_to_end(args, cwd, timeout=600, launch=start) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    p = launch(args, cwd)
    _, err = p.communicate(timeout=timeout)
    return p.returncode, err, time.perf_counter() - t0


def kill_after(args, cwd, delay: float, sig=signal.SIGKILL, launch=start) -> tuple[bool, int, str]:
    """Start, wait ``delay`` s, signal the process group. (killed, exit code, stderr)."""
    p = launch(args, cwd)
    try:
        _, err = p.communicate(timeout=delay)
        return False, p.returncode, err
    except subprocess.TimeoutExpired:
        if sig == signal.SIGKILL:
            os.killpg(p.pid, sig)
        else:
            os.kill(p.pid, sig)  # as Ctrl-C reaches the foreground process
        _, err = p.communicate(timeout=120)
        return True, p.returncode, err


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    z = Zygote(_env(), tmp_path_factory.mktemp("zygote"))
    yield z
    z.close()


@pytest.fixture(scope="module")
def world(samples, tmp_path_factory):
    """Inputs every command shares: a tiny checkpoint, a published-size pix2pix file, photos, a clip."""
    from reference.junyanz import define_G

    from edgegan.models import save_model
    from edgegan.registry import MODELS

    root = tmp_path_factory.mktemp("kill")
    torch.manual_seed(0)
    model = MODELS.build("test_cyclegan_resnet")
    ckpt = save_model(root / "tiny", model, {"name": "test_cyclegan_resnet", "args": {}})
    # the published pix2pix U-Net 256 (54.4 M parameters, 218 MB): reading and writing it fill the import's run
    torch.save(define_G(3, 3, 64, "unet_256", norm="batch").state_dict(), root / "latest_net_G.pth")
    photos = root / "photos"
    photos.mkdir()
    for p in sorted((samples / "photos").iterdir())[:6]:
        shutil.copy(p, photos / p.name)
    clip = samples / "videos" / "bikes.mp4"  # 640x272: the writing, not the start-up, fills the run
    return {"ckpt": ckpt, "pth": root / "latest_net_G.pth", "photos": photos, "clip": clip,
            "cartoon": samples / "cartoon"}  # fmt: skip


VIDEO_FRAMES = 80


def commands(w: dict, out: Path) -> dict[str, tuple[list[str], Path, callable]]:
    """name -> (arguments, the output path to judge, the check of a complete output)."""
    ck, ph = w["ckpt"], w["photos"]
    return {
        "import": (["import", "pix2pix", w["pth"], "--out", out / "a"], out / "a", loads_checkpoint),
        "quantize": (
            ["quantize", ck, "--int8", "--out", out / "a", "--calib", ph, "--val", ph, "--size", "64"],
            out / "a",
            loads_backend,
        ),
        "export_openvino": (
            ["export", ck, "--format", "openvino", "--out", out / "m.xml"],
            out / "m.xml",
            loads_backend,
        ),
        "export_tensorrt": (
            ["export", ck, "--format", "tensorrt", "--out", out / "m.onnx"],
            out / "m.onnx",
            lambda p: (loads_backend(p), p.with_name("m.build_engine.sh").is_file() or pytest.fail("no script")),
        ),
        "prune": (
            ["prune", ck, "--ratio", "0.5", "--out", out / "run", "--data", ph, "--steps", "16", "--size", "64",
             "--views", "2", "train.log_every=10"],
            out / "run",
            every_file_parses,
        ),  # fmt: skip
        "distill": (
            ["distill", "--teacher", ck, "--student", "test_edge", "--data", ph, "--out", out / "run", "--size", "64",
             "--views", "2", "--steps", "40", "train.batch_size=4", "train.log_every=5", "train.ckpt_every=10",
             "train.sample_every=30"],
            out / "run",
            every_file_parses,
        ),  # fmt: skip
        "train": (
            ["train", "train/configs/smoke/cyclegan_cartoon.yaml", "--out", out / "run",
             f"data.root={w['cartoon']}", "train.steps=24", "train.log_every=1",
             "train.sample_every=12", "train.ckpt_every=3", "train.batch_size=2", "data.load_size=36",
             "data.crop_size=32", "train.decay_steps=0"],
            out / "run",
            every_file_parses,
        ),  # fmt: skip
        "video": (
            ["video", ck, w["clip"], out / "o.mp4", "--frames", str(VIDEO_FRAMES), "--temporal"],
            out / "o.mp4",
            lambda p: video_complete(p, VIDEO_FRAMES),
        ),
        "stylize": (["stylize", ck, ph, "--out", out / "s", "--size", "512"], out / "s", images_complete),
    }


RESUMES = {"train": "generator", "distill": "student", "prune": None}  # resumable; the checkpoint to compare
REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["import", "quantize", "export_openvino", "export_tensorrt", "prune", "distill",
                                  "train", "video", "stylize"])  # fmt: skip
def test_killed_at_ten_moments(world, zygote, tmp_path, name):
    args, judged, check = commands(world, tmp_path / "clean")[name]
    code, err, clean_s = run_to_end(args, REPO, launch=zygote.start)
    assert code == 0, err[-2000:]
    check(judged)
    assert litter(tmp_path / "clean") == []

    kill_dir = tmp_path / "killed"
    args_k, judged_k, _ = commands(world, kill_dir)[name]

    def reset() -> None:
        """A resumable command starts from nothing; any other finds the clean run's complete output in place,
        so that every kill lands on an output that must stay either complete or (for an instant) absent."""
        shutil.rmtree(kill_dir, ignore_errors=True)
        if name not in RESUMES:
            shutil.copytree(tmp_path / "clean", kill_dir, symlinks=True)

    reset()
    kills, finished, half_written, litter_seen, span, resumed_kills = 0, 0, [], 0, clean_s, 0
    last_fresh_delay = 0.0
    for _ in range(3 * KILLS):
        if kills == KILLS:
            break
        fresh = name not in RESUMES or not kill_dir.exists()
        # a resumed run has only the rest of the work, about the clean run less the moment its first run was
        # killed at: its moment is the same fraction of that rest, not of a whole run (which it may never reach)
        rest = span if fresh else max(span - last_fresh_delay, 0.2 * span)
        delay = rest * (0.12 + 0.78 * (kills / (KILLS - 1)))
        if fresh:
            last_fresh_delay = delay
        t0 = time.perf_counter()
        killed, code, err = kill_after(args_k, REPO, delay, launch=zygote.start)
        if not killed:  # it finished first (a resumed run is shorter): start the next try afresh
            assert code == 0, err[-2000:]
            finished += 1
            if fresh:  # a whole run was quicker than the clean one: the moments follow it
                span = min(span, 0.97 * (time.perf_counter() - t0))
            reset()
            continue
        kills += 1
        litter_seen += len(litter(kill_dir))
        if judged_k.exists():
            try:
                check(judged_k)
            except Exception as e:  # noqa: BLE001 -- counted and reported below
                half_written.append(f"kill {kills} at {delay:.1f} s: {type(e).__name__}: {str(e)[:200]}")
        if name in RESUMES and not fresh:
            # killed while resuming: unless it was the last kill (the final run resumes from it), the next try
            # starts afresh, so kills alternate between a first run and a resumed one instead of chasing the
            # ever shorter tail of one run (each resumed try that finishes first is a run thrown away)
            resumed_kills += 1
            if kills < KILLS:
                reset()
    code, err, _ = run_to_end(args_k, REPO, launch=zygote.start)
    rerun_ok = code == 0
    left = litter(kill_dir)
    exact = None
    if RESUMES.get(name) and rerun_ok:
        from safetensors.torch import load_file

        a = load_file(str(judged / RESUMES[name] / "model.safetensors"))
        b = load_file(str(judged_k / RESUMES[name] / "model.safetensors"))
        exact = a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    REPORT[name] = {
        "clean_run_s": round(clean_s, 1),
        "kills": kills,
        "runs_that_finished_before_their_kill": finished,
        **({"kills_while_resuming": resumed_kills} if name in RESUMES else {}),
        "half_written": len(half_written),
        "temporaries_left_by_kills": litter_seen,
        "temporaries_after_rerun": len(left),
        "rerun_succeeded": rerun_ok,
        **({"resume_bit_exact": exact} if exact is not None else {}),
    }
    print(f"\n{name}: {json.dumps(REPORT[name])}")
    _save_report()
    assert kills == KILLS
    assert rerun_ok, err[-2000:]
    check(judged_k)
    assert half_written == [], half_written
    assert left == [], left
    assert exact in (None, True)


def _save_report() -> None:
    path = os.environ.get("EDGEGAN_KILL_JSON")
    if path:
        from edgegan.io import read_json, write_json
        from edgegan.machine import machine

        # make test-slow runs this module on two pytest-xdist workers: each merges its commands into the file
        # under a lock, so neither overwrites the other's
        folder = os.open(Path(path).resolve().parent, os.O_RDONLY)  # the lock: the JSON's folder (no file left)
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            old = read_json(path) if Path(path).is_file() else {}
            report = {"commands": dict(old.get("commands", {}), **REPORT), "kills_per_command": KILLS}
            write_json(path, dict(report, machine=machine(), command=COMMAND))
        finally:
            os.close(folder)  # releases the lock


@pytest.mark.parametrize("name", ["quantize", "distill", "video"])
def test_sigint_is_one_line_and_130(world, tmp_path, name):
    args, _, _ = commands(world, tmp_path)[name]
    args = ["250" if a == str(VIDEO_FRAMES) else a for a in args]  # the whole clip: the interrupt lands in the work
    _, _, clean_s = run_to_end(["--help"], REPO)  # the interpreter's start-up, to land inside the work
    killed, code, err = kill_after(args, REPO, clean_s + 6.0, sig=signal.SIGINT)
    assert killed, "finished before the interrupt"
    lines = [x for x in err.splitlines() if x.strip() and "\r" not in x and "%|" not in x]
    assert code == 130 and "Traceback" not in err, err[-3000:]
    assert lines[-1].startswith(f"edgegan {args[0]}: interrupted"), lines[-3:]
