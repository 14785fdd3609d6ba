"""Export formats and device targets. The targets are data (``targets.yaml`` beside this file)."""

from __future__ import annotations

from pathlib import Path

import yaml

from edgegan.errors import EdgeganError

FORMATS = ("onnx", "openvino", "tensorrt")
SUFFIX = {"onnx": ".onnx", "openvino": ".xml", "tensorrt": ".onnx"}
TARGETS: dict[str, dict] = yaml.safe_load((Path(__file__).with_name("targets.yaml")).read_text())


def apply_target(
    target: str | None, fmt: str | None, int8: bool, fp16: bool, strongly_typed: bool
) -> tuple[str, bool, bool, bool]:
    """(format, int8, fp16, strongly_typed) for ``target``; without one, the arguments (format default onnx).
    A format or precision given beside a target must agree with it. Checks only the names: cheap enough for a
    command to call before it resolves its model."""
    if fmt is not None and fmt not in FORMATS:
        raise EdgeganError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if not target:
        return fmt or "onnx", int8, fp16, strongly_typed
    if target not in TARGETS:
        raise EdgeganError(f"unknown --target {target!r}; choose one of: {', '.join(TARGETS)}")
    t = TARGETS[target]
    if fmt and fmt != t["format"]:
        raise EdgeganError(f"--target {target} exports --format {t['format']}, not {fmt!r}: drop one of them")
    if (int8 and not t["int8"]) or (fp16 and not t["fp16"]):
        raise EdgeganError(f"--target {target} sets its own precision ({'int8' if t['int8'] else 'fp16'})")
    if strongly_typed and not t["strongly_typed"]:
        raise EdgeganError(
            f"--target {target} builds with a TensorRT that has no --stronglyTyped: drop --strongly-typed"
        )
    return t["format"], t["int8"], t["fp16"], t["strongly_typed"]
