"""The process's one OpenVINO ``Core``.

Every OpenVINO read and compile in edgegan goes through :func:`openvino_core`. One ``Core`` is OpenVINO's own
advice (plugins load once), and with OpenVINO's CPU plugin it is also what keeps the process alive:

Each ``Core`` that compiles for the CPU creates a CPU plugin, and each plugin installs a fresh alternate signal
stack on the calling thread (``sigaltstack``; room for AMX state), remembering the one before it. When the plugin
is destroyed, it puts the remembered stack back only if its own is still current, then unmaps its own. Two
plugins destroyed in the order they were made therefore leave the thread's alternate stack pointing at the first
one's unmapped memory. CPython runs every signal handler on the alternate stack (``SA_ONSTACK``), so the next
signal Python handles, a Ctrl-C or the ``SIGCHLD`` of a PyTorch DataLoader worker, kills the process with
SIGSEGV instead (measured with OpenVINO 2026.4: ``tests/test_openvino_core.py``). One ``Core`` for the
life of the process means one plugin, never destroyed before exit.
"""

from __future__ import annotations

import functools


@functools.cache
def openvino_core():
    """The process-wide ``openvino.Core`` (created on first use, never destroyed)."""
    import openvino as ov

    return ov.Core()
