"""Files in and out: atomic writes and JSON (images and videos are :mod:`edgegan.media`).

Every file edgegan writes goes through :func:`atomic_write` or :func:`atomic_dir`, so a process killed
half-way leaves either the old result or the new one, never a torn file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from edgegan.errors import EdgeganError


def ensure_writable_dir(path: str | os.PathLike) -> Path:
    """Create ``path`` (and parents) or raise a one-line error saying why it cannot be written."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as e:
        raise EdgeganError(f"cannot write to output directory {str(path)!r}: {e.strerror or e}") from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _as_umask_allows(path: str | os.PathLike, directory: bool = False) -> None:
    """mkstemp/mkdtemp create private (0600/0700) files; give the result the permissions a plain open() would."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds."""
    path = Path(path)
    if path.is_dir():
        raise EdgeganError(f"output {str(path)!r} is a folder, not a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise EdgeganError(f"cannot write {str(path)!r}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _as_umask_allows(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_replaceable(path: str | os.PathLike) -> Path:
    """``path`` as a Path if an output directory may be written there: nothing there yet, an empty directory, or
    an artifact edgegan wrote (every checkpoint, export and quantized model holds ``lineage.json``); otherwise a
    one-line error: a user's file or folder is never replaced by an output."""
    path = Path(path)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise EdgeganError(f"output {str(path)!r} is an existing file, and the output is a directory: choose another")
    if path.is_dir() and any(path.iterdir()) and not (path / "lineage.json").is_file():
        raise EdgeganError(
            f"refusing to replace {str(path)!r}: a non-empty folder that is not an edgegan artifact (move it or "
            "choose another)"
        )
    return path


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike, replace_any: bool = False) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` as a whole when the block succeeds.

    Used for checkpoints and exports: readers see the complete old directory or the complete new one. Unless
    ``replace_any`` (a fixed sub-folder of an output edgegan owns, e.g. the sample set's ``photos``), only what
    :func:`check_replaceable` allows is replaced, checked on entry, before the work.
    """
    path = Path(path) if replace_any else check_replaceable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    except OSError as e:
        raise EdgeganError(f"cannot write to {str(path.parent)!r}: {e.strerror or e}") from None
    try:
        yield tmp
        mode = 0o666 & ~_umask()
        for f in tmp.rglob("*"):  # files some writers create private (mkstemp-style): as a plain open() would
            if f.is_file() and not f.is_symlink():
                os.chmod(f, mode)
        _as_umask_allows(tmp, directory=True)
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: str | os.PathLike, obj) -> None:
    with atomic_write(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=False, default=str)
        f.write("\n")


def read_json(path: str | os.PathLike):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise EdgeganError(f"file not found: {str(path)!r}") from None
    except json.JSONDecodeError as e:
        raise EdgeganError(f"{str(path)!r} is not valid JSON: {e}") from None
