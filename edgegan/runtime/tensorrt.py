"""What a TensorRT engine needs of the machine that runs it: the GPU architecture and TensorRT version it was
built for (an engine runs nowhere else), checked before loading."""

from __future__ import annotations

import json
import os
from pathlib import Path

from edgegan.errors import EdgeganError


def gpu_identity() -> tuple[str, str] | None:
    """(``sm_XY``, TensorRT version) when TensorRT and a CUDA GPU are present, else None."""
    try:
        import tensorrt as trt
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    major, minor = torch.cuda.get_device_capability()
    return f"sm_{major}{minor}", trt.__version__


def check_engine_matches(engine: str | os.PathLike) -> None:
    """Refuse an engine built for another GPU architecture or TensorRT version, with a clear message."""
    path = Path(engine)
    meta_path = path.with_suffix(".json")
    if not meta_path.is_file():
        raise EdgeganError(f"{str(path)!r} has no {meta_path.name} beside it: cannot tell what it was built for")
    meta = json.loads(meta_path.read_text())
    here = gpu_identity()
    if here is None:
        raise EdgeganError(
            f"{str(path)!r} is a TensorRT engine for {meta['gpu_arch']} / TensorRT {meta['tensorrt']}; this machine "
            "has no TensorRT with a CUDA GPU: run the .onnx on another backend, or build on the target"
        )
    arch, version = here
    if (arch, version) != (meta["gpu_arch"], meta["tensorrt"]):
        raise EdgeganError(
            f"{str(path)!r} was built for {meta['gpu_arch']} / TensorRT {meta['tensorrt']}, this machine is {arch} / "
            f"TensorRT {version}: rebuild it here with its build_engine.sh"
        )
