"""A Ctrl-C reaches the command line as one line and exit 130 even when a native library turns it into another
error: onnxruntime interrupted while it initialises raises ``ImportError: initialization failed`` whose cause is
the ``KeyboardInterrupt`` (seen on CI: the quantize SIGINT of ``test_kill``, where it printed a traceback)."""

from __future__ import annotations

import pytest

import edgegan.cli.models as models_command
from edgegan.errors import EdgeganError
from tests.conftest import run_cli


def _import_interrupted(args):
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as e:
        raise ImportError("initialization failed") from e


def _export_interrupted(args):
    """What ``torch.onnx.export(dynamo=True)`` does with a Ctrl-C that lands in ``torch.export`` (reproduced with
    a timer: ``TorchExportError`` from an ``AttributeError`` whose context is the ``KeyboardInterrupt``), which
    edgegan's exporter then words as its own error. Seen on CI: the distill and quantize SIGINT of ``test_kill``
    printed "ONNX export ... failed" and exited 2."""
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise AttributeError("'NoneType' object has no attribute 'f_locals'")  # noqa: B904 (the context)
    except AttributeError as e:
        raise EdgeganError("ONNX export of 'tiny' failed: Failed to export the model with torch.export.") from e


def _plain_import_error(args):
    raise ImportError("initialization failed")


def test_interrupt_inside_a_native_import_is_one_line_and_130(monkeypatch):
    monkeypatch.setattr(models_command, "run", _import_interrupted)
    code, out, err = run_cli("models")
    assert code == 130, err
    assert err.strip() == "edgegan models: interrupted, nothing half-written"


def test_interrupt_wrapped_in_an_edgegan_error_is_one_line_and_130(monkeypatch):
    monkeypatch.setattr(models_command, "run", _export_interrupted)
    code, out, err = run_cli("models")
    assert code == 130, err
    assert err.strip() == "edgegan models: interrupted, nothing half-written"


def test_an_import_error_without_interrupt_is_not_swallowed(monkeypatch):
    monkeypatch.setattr(models_command, "run", _plain_import_error)
    with pytest.raises(ImportError):
        run_cli("models")
