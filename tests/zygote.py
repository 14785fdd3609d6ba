"""A fork server for the fault-injection tests: one Python process imports edgegan's commands and their heavy
libraries once (torch, torch.export and the ONNX exporter, NNCF, ONNX Runtime, OpenVINO, OpenCV: 3-9 s a start on
a 2-core machine), then forks one child per command run. The child is what ``python -m edgegan ARGS`` is once its
imports are done: its own session (the test kills its whole process group), Ctrl-C at its default, stdin and stdout
on /dev/null, stderr to a file, ``edgegan.cli.main(ARGS)``, then the interpreter's exit handlers and the exit code.

So the kill moments of tests/test_kill.py land in the commands' work instead of in module imports, where nothing is
written, and a hundred runs do not pay a hundred start-ups. The SIGINT tests still start real interpreters.

Protocol (lines of JSON): the test writes ``{"argv": [...], "cwd": ..., "stderr": path}``; the server answers
``{"pid": N}`` at once and ``{"exit": pid, "code": C}`` when that child ends (``-signal`` when a signal ended it,
as :class:`subprocess.Popen` reports it). One child at a time.

Fork safety: the server only imports; it runs no torch operation, so no OpenMP or ONNX Runtime thread pool exists
to be lost in the fork, and :func:`serve` refuses to start if an import left a thread running other than an idle
executor worker (``import openvino`` posts a telemetry event from one; a child that posts again gets no answer).
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# imported by the commands on their way (measured with ``python -X importtime -m edgegan quantize ...``)
PRELOAD = (
    "torch",
    "torch._dynamo",
    "torch.export._trace",
    "torch.onnx._internal.exporter._compat",
    "onnxscript.function_libs.torch_lib.ops",
    "onnx",
    "onnxruntime",
    "openvino",
    "nncf",
    "nncf.onnx.quantization.quantize_model",
    "scipy.ndimage",
    "cv2",
    "edgegan.compress.qat",
    "edgegan.training",
)


def serve() -> None:
    from edgegan.cli import COMMANDS, build_parser, main

    build_parser(list(COMMANDS))  # every command module
    for name in PRELOAD:
        importlib.import_module(name)
    time.sleep(1.0)  # openvino's import posts a telemetry event from an executor thread: let it finish
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if any(not t.name.startswith("ThreadPoolExecutor-") for t in others):  # an idle executor worker is harmless
        raise SystemExit(f"zygote: an import started threads {others}; forking would lose them")
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(req, main)  # never returns
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"exit": pid, "code": os.waitstatus_to_exitcode(status)}), flush=True)


def _child(req: dict, main) -> None:
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a fresh interpreter: Ctrl-C raises
        os.chdir(req["cwd"])
        null = os.open(os.devnull, os.O_RDWR)
        err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(err, 2)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 -- the process's own descriptors, closed by _exit
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.argv = ["edgegan", *req["argv"]]
        code = main(req["argv"])
    except SystemExit as e:  # argparse's exit, or a command's
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 -- what the interpreter would print, with its exit code
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()  # the handlers a normal exit runs (temporary folders, loggers)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class Zygote:
    """The test's side: a started server, and :meth:`run` for one command run."""

    def __init__(self, env: dict, tmp: Path):
        self.tmp = tmp
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self._read(300)
        assert "ready" in ready, ready
        self.n = 0

    def _read(self, timeout: float | None) -> dict | None:
        """The server's next line, or None after ``timeout`` s."""
        if timeout is not None:
            r, _, _ = select.select([self.proc.stdout], [], [], max(timeout, 0))
            if not r:
                return None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"zygote ended (exit {self.proc.wait()})")
        return json.loads(line)

    def start(self, argv: list[str], cwd: Path) -> Child:
        self.n += 1
        err = self.tmp / f"stderr-{self.n}.txt"
        self.proc.stdin.write(json.dumps({"argv": list(map(str, argv)), "cwd": str(cwd), "stderr": str(err)}) + "\n")
        return Child(self, self._read(None)["pid"], err)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


class Child:
    """A forked command run, with :class:`subprocess.Popen`'s ``pid``, ``returncode`` and ``communicate``."""

    def __init__(self, zygote: Zygote, pid: int, err: Path):
        self.z, self.pid, self.err, self.returncode = zygote, pid, err, None

    def communicate(self, timeout: float | None = None) -> tuple[None, str]:
        """Waits for the end (``subprocess.TimeoutExpired`` after ``timeout`` s); (None, its stderr)."""
        end = None if timeout is None else time.monotonic() + timeout
        msg = self.z._read(None if end is None else end - time.monotonic())
        if msg is None:
            raise subprocess.TimeoutExpired(f"edgegan (pid {self.pid})", timeout)
        assert msg["exit"] == self.pid, msg
        self.returncode = msg["code"]
        return None, self.err.read_text(errors="replace")


if __name__ == "__main__":
    serve()
