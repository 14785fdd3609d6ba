"""Files in and out: atomic writes and JSON (images and videos are :mod:`edgegan.media`).

Every file edgegan writes goes through :func:`atomic_write`, :func:`atomic_dir` or :func:`publish`, so a process
killed half-way (SIGKILL, the OOM killer, a power cut) leaves either the old result or the new one, never a torn
file. Their temporaries sit beside the output and are named ``.<output name>.edgegan-<pid>-...`` (see
:func:`temp_prefix`); whatever a killed process left that way is removed by the next write to the same output
(:func:`clean_stale`), and a directory caught between its two renames is put back.

A full disk, or any other ``OSError`` while writing, becomes a one-line :class:`EdgeganError` naming the path
and the reason, and the temporary is removed.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import re
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
    """mkstemp/mkdtemp create private (0600/0700) files; give the result the permissions a plain open() would (a
    file its writer made executable, e.g. a build script, stays executable)."""
    executable = directory or bool(os.stat(path).st_mode & 0o100)
    os.chmod(path, (0o777 if executable else 0o666) & ~_umask())


def temp_prefix(path: str | os.PathLike) -> str:
    """The name prefix of this process's temporaries for output ``path``: ``.<name>.edgegan-<pid>-``."""
    return f".{Path(path).name}.edgegan-{os.getpid()}-"


_TEMP = re.compile(r"\.edgegan-(\d+)-")
_OURS: set[str] = set()  # temporaries this process has open: never stale, whatever a reused PID says


def _own_temp(path: str | os.PathLike, kind: str = "") -> Path:
    """A fresh temporary name beside output ``path`` (``kind`` "old" or "trash" for :func:`atomic_dir`'s renames),
    registered as this process's until :func:`_release`."""
    import uuid

    p = Path(path).with_name(f"{temp_prefix(path)}{uuid.uuid4().hex[:8]}{'-' + kind if kind else ''}")
    _OURS.add(str(p))
    return p


def _release(p) -> None:
    _OURS.discard(str(p))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def clean_stale(path: str | os.PathLike) -> list[Path]:
    """Remove what killed edgegan processes left beside ``path`` (their temporaries, named by
    :func:`temp_prefix`); a directory whose replacement was killed between its two renames (``path`` missing,
    its ``...old`` copy there) is put back first. Returns what was removed or restored."""
    path = Path(path)
    done = []
    for p in sorted(path.parent.glob(glob.escape(f".{path.name}.edgegan-") + "*")):
        m = _TEMP.search(p.name[len(path.name) + 1 :])
        if not m or str(p) in _OURS or (int(m.group(1)) != os.getpid() and _alive(int(m.group(1)))):
            continue  # (a temporary with this process's PID that it does not hold was left by a killed namesake)
        with contextlib.suppress(OSError):
            if p.name.endswith("-old") and not os.path.lexists(path):
                os.replace(p, path)
            elif p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            done.append(p)
    return done


NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
FULL_BYTES = 64 << 10  # a filesystem with less than this free after a failed write is taken to be full


def write_error(path: str | os.PathLike, e: OSError | None = None) -> EdgeganError:
    """The one-line error for a failed write of ``path``: ``e``'s reason, or a full disk (``e`` None)."""
    if e is None or e.errno in NO_SPACE:
        return EdgeganError(f"no space left on the device to write {str(path)!r}; nothing was written")
    return EdgeganError(f"cannot write {str(path)!r}: {e.strerror or e}")


def disk_full(folder: str | os.PathLike) -> bool:
    """Whether the filesystem holding ``folder`` has (almost) no space left. Libraries report a full disk in
    their own words (torch.save, safetensors and OpenVINO as RuntimeError-like errors, OpenCV's video writer not
    at all), so after a failed or suspect write this is what tells a full disk apart."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    blocks = st.f_bfree if hasattr(os, "geteuid") and os.geteuid() == 0 else st.f_bavail  # root: reserved ones too
    return blocks * st.f_frsize < FULL_BYTES


def _out_of_space(e: BaseException, folder) -> bool:
    """Whether ``e``, raised while writing into ``folder``, is a full disk: an ENOSPC, or any library's own error
    (not a user mistake) with the filesystem full."""
    if isinstance(e, OSError) and e.errno in NO_SPACE:
        return True
    return not isinstance(e, EdgeganError) and disk_full(folder)


def _own(e: OSError, *paths) -> bool:
    """Whether ``e`` is about the output itself (a full disk, or one of ``paths``), not some other file the
    block happened to open."""
    return e.errno in NO_SPACE or e.filename is None or str(e.filename) in {str(p) for p in paths}


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds."""
    path = Path(path)
    if path.is_dir():
        raise EdgeganError(f"output {str(path)!r} is a folder, not a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=".tmp")
        _OURS.add(tmp)
    except OSError as e:
        raise write_error(path, e) from None
    try:
        try:
            with os.fdopen(fd, mode) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            _as_umask_allows(tmp)
            os.replace(tmp, path)
        except Exception as e:  # a writer's own words for a full disk (RuntimeError, SafetensorError, ...) too
            if isinstance(e, OSError) and _own(e, tmp, path):
                raise write_error(path, e) from None
            if _out_of_space(e, path.parent):
                raise write_error(path) from None
            raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        _release(tmp)


def publish(files: dict[str | os.PathLike, str | os.PathLike], primary: str | os.PathLike) -> None:
    """Move finished temporaries onto their outputs (``{temporary: output}``) so that a kill at any moment leaves
    ``primary`` (the file a reader opens, e.g. an OpenVINO ``.xml`` whose ``.bin`` sits beside it) either absent
    or complete with its companions: the old ``primary`` goes first, the new one comes last."""
    primary = Path(primary)
    moves = {Path(t): Path(o) for t, o in files.items()}
    try:
        for f in moves.values():
            f.parent.mkdir(parents=True, exist_ok=True)
        primary.unlink(missing_ok=True)
        for tmp, out in sorted(moves.items(), key=lambda kv: kv[1] == primary):
            _as_umask_allows(tmp)
            os.replace(tmp, out)
    except OSError as e:
        raise write_error(primary, e) from None


@contextlib.contextmanager
def atomic_files(primary: str | os.PathLike) -> Iterator[Path]:
    """Yield a staging folder beside ``primary``; every file written there (under its final name) is moved beside
    ``primary`` by :func:`publish` when the block succeeds, ``primary`` last. For outputs made of several files
    side by side (an OpenVINO ``.xml`` and ``.bin``, an ONNX file and its external data, a report ``.json``)."""
    primary = Path(primary)
    try:
        primary.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(primary)
        stage = Path(tempfile.mkdtemp(dir=primary.parent, prefix=temp_prefix(primary), suffix=".tmp"))
        _OURS.add(str(stage))
    except OSError as e:
        raise write_error(primary, e) from None
    try:
        try:
            yield stage
            publish({f: primary.parent / f.name for f in stage.iterdir() if f.is_file()}, primary)
        except Exception as e:
            if _out_of_space(e, primary.parent):
                raise write_error(primary) from None
            raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _release(stage)


@contextlib.contextmanager
def work_dir(out: str | os.PathLike) -> Iterator[Path]:
    """A scratch folder beside output ``out`` (on its disk, so a full disk is reported against ``out``), removed at
    the end; what a killed run leaves is removed by the next write to ``out`` (:func:`clean_stale`)."""
    p = _own_temp(out, "work")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        p.mkdir()
    except OSError as e:
        _release(p)
        raise write_error(out, e) from None
    try:
        yield p
    finally:
        shutil.rmtree(p, ignore_errors=True)
        _release(p)


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

    Used for checkpoints and exports: readers see the complete old directory or the complete new one (or, for a
    kill in the instant between the two renames, none, until the next write to it puts the old one back). Unless
    ``replace_any`` (a fixed sub-folder of an output edgegan owns, e.g. the sample set's ``photos``), only what
    :func:`check_replaceable` allows is replaced, checked on entry, before the work.
    """
    path = Path(path) if replace_any else check_replaceable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        if not replace_any:
            check_replaceable(path)  # again: a directory put back by clean_stale is checked like any other
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=temp_prefix(path), suffix=".tmp"))
        _OURS.add(str(tmp))
    except OSError as e:
        raise write_error(path.parent, e) from None
    try:
        try:
            yield tmp
            for f in tmp.rglob("*"):  # files some writers create private (mkstemp-style): as a plain open() would
                if f.is_file() and not f.is_symlink():
                    _as_umask_allows(f)
            _as_umask_allows(tmp, directory=True)
            if path.exists():
                old = _own_temp(path, "old")  # put back by clean_stale if killed between these two renames
                os.replace(path, old)
                os.replace(tmp, path)
                trash = _own_temp(path, "trash")  # never put back: a kill inside rmtree leaves only trash
                os.replace(old, trash)
                _release(old)
                shutil.rmtree(trash, ignore_errors=True)
                _release(trash)
            else:
                os.replace(tmp, path)
        except Exception as e:  # a writer's own words for a full disk (RuntimeError, SafetensorError, ...)
            if _out_of_space(e, path.parent):
                raise write_error(path) from None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        _release(tmp)


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
