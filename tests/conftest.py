"""Shared fixtures: the real sample set and the real vintagify teacher, made once per session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from xdist.scheduler import LoadFileScheduling

os.environ.setdefault("OMP_NUM_THREADS", "2")
# pytest-xdist (make test runs two workers on two cores): each worker gets its share of the cores, so no core runs
# two spinning OpenMP pools
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    os.environ["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])))
os.environ.setdefault("NNCF_EXTENSION_LOAD_TIMEOUT", "300")  # NNCF's torch extension builds in ~90 s on 2 cores
# teachers named by wheel (vintagify) are converted into this cache: one per test process, not the user's. Made
# here, removed when the process ends; its subprocesses inherit it. Each pytest-xdist worker makes its own (it
# inherits the controller's variable, marked as made here), so no two workers convert into one folder at once.
_OURS = "EDGEGAN_TEST_CACHE_BY"
if "EDGEGAN_CACHE" not in os.environ or os.environ.get(_OURS) not in (None, str(os.getpid())):
    os.environ["EDGEGAN_CACHE"] = tempfile.mkdtemp(prefix="edgegan-test-cache-")
    os.environ[_OURS] = str(os.getpid())
    atexit.register(shutil.rmtree, os.environ["EDGEGAN_CACHE"], ignore_errors=True)


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    from edgegan.data.samples import write_samples

    return write_samples(tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="session")
def vintagify_ckpt(tmp_path_factory):
    from edgegan.importers import import_checkpoint

    return import_checkpoint("vintagify", None, tmp_path_factory.mktemp("teacher") / "vintagify")


@pytest.fixture()
def tiny_ckpt(tmp_path):
    """A tiny CycleGAN generator with random (normal 0.02-free, default-init) weights, as a checkpoint."""
    import torch

    import edgegan.models  # noqa: F401
    from edgegan.models import save_model
    from edgegan.registry import MODELS

    torch.manual_seed(0)
    model = MODELS.build("test_cyclegan_resnet")
    return save_model(tmp_path / "tiny", model, {"name": "test_cyclegan_resnet", "args": {}})


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``edgegan`` in-process; returns (exit code, stdout, stderr)."""
    import contextlib
    import io

    from edgegan.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse errors
            code = e.code
    return code, out.getvalue(), err.getvalue()


# pytest-xdist (``--dist loadfile``): the tests of one module run on one worker, in order, since most modules
# build an expensive module-scoped fixture once (a distillation, an export); the modules named here hold
# independent long tests whose fixtures are cheap, and are spread over the workers one test at a time.
# (``--dist loadgroup`` with an ``xdist_group`` mark per module did this until pytest 9.2, whose structured node
# IDs ignore the suffix xdist 3.8 writes: every test was sent alone and each worker built the fixtures anew,
# pytest-xdist issue 1386. A scheduler of our own reads the file from the node ID, which every version keeps.)
SPREAD = {"test_kill.py"}


class _ModuleScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        file = nodeid.split("::", 1)[0]
        return nodeid if Path(file).name in SPREAD else file


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return _ModuleScheduling(config, log)
    return None
