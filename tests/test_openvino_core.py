"""Two OpenVINO models opened and closed in the order they were made leave the process able to take a signal.

OpenVINO's CPU plugin, one per ``Core``, swaps the thread's alternate signal stack and, destroyed first-in
first-out, leaves it pointing at unmapped memory; the next signal CPython handles (Ctrl-C, a DataLoader
worker's SIGCHLD) then ends the process in SIGSEGV. edgegan opens every model on one process-wide ``Core``
(``edgegan.openvino_core``). This is what broke CI: ``edgegan compress`` then a distillation in one process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import onnx
from onnx import TensorProto, helper


def _conv_onnx(path):
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 16, 16])
    y = helper.make_tensor_value_info("stylized", TensorProto.FLOAT, [1, 3, 16, 16])
    w = helper.make_tensor("w", TensorProto.FLOAT, [3, 3, 3, 3], np.full(81, 0.1, np.float32))
    graph = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["stylized"], pads=[1] * 4)], "g", [x], [y], [w]
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


SCRIPT = """
import gc, os, signal, sys, time
import numpy as np
# Python raises KeyboardInterrupt only if SIGINT was not ignored when it started: a job started in the background
# by a non-interactive shell (nohup, '&') inherits it ignored, so the handler is set here, whoever started pytest
signal.signal(signal.SIGINT, signal.default_int_handler)
{opener}
a = open_one(sys.argv[1]); b = open_one(sys.argv[1])
del a; gc.collect(); del b; gc.collect()  # closed in the order they were opened
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(2)
except KeyboardInterrupt:
    print("interrupted")
"""

EDGEGAN = """
from edgegan.runtime.backends import OpenVinoBackend
def open_one(path):
    m = OpenVinoBackend(path)
    m.run(np.zeros((1, 3, 16, 16), np.float32))
    return m
"""


def test_two_openvino_models_closed_in_order_leave_signals_working(tmp_path):
    path = tmp_path / "conv.onnx"
    _conv_onnx(path)
    code = textwrap.dedent(SCRIPT).format(opener=textwrap.dedent(EDGEGAN))
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "interrupted", (r.returncode, r.stderr[-2000:])
