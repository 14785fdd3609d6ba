"""User-facing errors.

An :class:`EdgeganError` is a mistake the user can fix (a bad path, a wrong key, a file of the wrong
kind). The CLI prints its message on one line and exits with status 2; anything else is a bug and keeps
its traceback.
"""


class EdgeganError(Exception):
    """A user mistake, reported as one line naming the bad value."""


# Lines of a library's message that say where it failed, not why (OpenVINO prefixes every error with them).
_WHERE = ("Exception from ", "Check '", "[ ", "Traceback", "  File ")


def library_reason(e: BaseException, limit: int = 300) -> str:
    """The reason in a library's exception message, on one line.

    OpenVINO's messages open with where it failed (``Exception from src/inference/src/cpp/core.cpp:84:``,
    ``Check '...' failed at ...``) and give the reason lines later; ONNX Runtime's and onnx's open with a status
    prefix (``[ONNXRuntimeError] : 1 : FAIL : ``). This keeps the lines that are neither, joined, without the
    prefix; a message with nothing else falls back to its first line, or to the exception's type name."""
    text = str(e).strip()
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    reason = [x for x in lines if not x.startswith(_WHERE)]
    out = " ".join(reason) if reason else (lines[0] if lines else type(e).__name__)
    if out.startswith("[ONNXRuntimeError]"):
        out = out.split(" : ", 3)[-1]
    return out if len(out) <= limit else out[: limit - 3] + "..."
