"""TensorRT: a compatibility pass over Q/DQ ONNX, the ``trtexec`` script, and engine building where possible.

TensorRT takes explicit quantization (Q/DQ nodes) with rules NNCF's default ONNX output breaks
(../shared/design/DEPLOY.md):

- activations must be *signed* INT8 with zero point 0 (symmetric); NNCF quantizes ReLU outputs UINT8 with
  zero point 0 and other activations UINT8 asymmetrically. The pass re-expresses each UINT8 range
  [(0 - z) s, (255 - z) s] symmetrically: scale max(|lo|, |hi|) / 127, zero point 0 (a non-negative tensor
  keeps half the levels: the one bit TensorRT's INT8 costs there);
- weight zero points must be 0 (NNCF's are; anything else is re-centred);
- ConvTranspose weights quantized per output channel (axis 1) are not supported by its deconvolution
  kernels (NVIDIA/TensorRT#2380, #1694): those weights are folded back to float (the layer runs FP16/FP32);
- every op must be in onnx-tensorrt's operator support table (a subset is checked here: the ops edgegan's
  generators export to).

Engines are built on the target (an engine runs only on the GPU model and TensorRT version that built it):
elsewhere the pass writes the ONNX plus ``build_engine.sh`` with the exact ``trtexec`` command.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from edgegan.artifact import load_onnx, read_io
from edgegan.errors import EdgeganError
from edgegan.io import atomic_write
from edgegan.runtime.tensorrt import gpu_identity

# ops of edgegan's exported generators that onnx-tensorrt supports (onnx-tensorrt docs/operators.md)
SUPPORTED_OPS = {
    "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape", "Conv",
    "ConvTranspose", "DepthToSpace", "DequantizeLinear", "Div", "Equal", "Erf", "Exp", "Expand", "Flatten",
    "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Identity", "InstanceNormalization", "LeakyRelu",
    "MatMul", "Max", "MaxPool", "Min", "Mul", "Neg", "Pad", "Pow", "QuantizeLinear", "Range", "Reciprocal",
    "ReduceMax", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Resize", "Shape", "Sigmoid", "Slice", "Softmax",
    "Split", "Sqrt", "Squeeze", "Sub", "Tanh", "Tile", "Transpose", "Unsqueeze", "Where",
}  # fmt: skip


def _arr(init) -> np.ndarray:
    from onnx import numpy_helper

    return numpy_helper.to_array(init)


def check_tensorrt(model) -> list[str]:
    """What in a (Q/DQ) ONNX graph TensorRT would refuse; empty when it passes."""
    from onnx import TensorProto

    inits = {i.name: i for i in model.graph.initializer}
    problems = []
    unsupported = sorted({n.op_type for n in model.graph.node if n.op_type not in SUPPORTED_OPS})
    if unsupported:
        problems.append(f"ops outside onnx-tensorrt's support table: {', '.join(unsupported)}")
    consumers: dict[str, list] = {}
    for n in model.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for n in model.graph.node:
        if n.op_type not in ("QuantizeLinear", "DequantizeLinear") or len(n.input) < 3 or n.input[2] not in inits:
            continue
        zp = inits[n.input[2]]
        if zp.data_type == TensorProto.UINT8:
            problems.append(f"{n.op_type} {n.name or n.output[0]}: UINT8 (TensorRT takes signed INT8)")
        elif np.any(_arr(zp) != 0):
            problems.append(f"{n.op_type} {n.name or n.output[0]}: zero point not 0")
        if n.op_type == "DequantizeLinear" and n.input[0] in inits:
            axis = next((a.i for a in n.attribute if a.name == "axis"), 1)
            per_channel = _arr(inits[n.input[1]]).size > 1
            for c in consumers.get(n.output[0], []):
                if c.op_type == "ConvTranspose" and c.input[1] == n.output[0] and per_channel and axis != 0:
                    problems.append(f"ConvTranspose {c.name}: weights quantized per output channel (axis {axis})")
    return problems


def make_tensorrt_compatible(model) -> tuple[object, dict]:
    """Rewrite a Q/DQ ONNX model in place for TensorRT; returns it and a report of every change."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    report = {"activations_to_int8": [], "weights_recentred": [], "convtranspose_weights_to_float": []}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def new_init(name: str, value: np.ndarray) -> str:
        graph.initializer.append(numpy_helper.from_array(value, name))
        inits[name] = graph.initializer[-1]
        return name

    done: dict[tuple[str, str], tuple[str, str]] = {}
    remove = []
    for n in list(graph.node):
        if n.op_type not in ("QuantizeLinear", "DequantizeLinear") or len(n.input) < 3 or n.input[2] not in inits:
            continue
        scale_name, zp_name = n.input[1], n.input[2]
        zp_init = inits[zp_name]
        if zp_init.data_type == TensorProto.UINT8:
            key = (scale_name, zp_name)
            if key not in done:
                s = _arr(inits[scale_name]).astype(np.float32)
                z = _arr(zp_init).astype(np.float32)
                lo, hi = (0.0 - z) * s, (255.0 - z) * s
                s2 = (np.maximum(np.abs(lo), np.abs(hi)) / 127.0).astype(np.float32)
                done[key] = (
                    new_init(f"{scale_name}_trt", s2),
                    new_init(f"{zp_name}_trt", np.zeros(z.shape, np.int8)),
                )
                report["activations_to_int8"].append(
                    {
                        "tensor": n.input[0],
                        "uint8_zero_point": float(z.max()),
                        "scale": float(s.max()),
                        "int8_scale": float(s2.max()),
                    }
                )
            n.input[1], n.input[2] = done[key]
        elif n.op_type == "DequantizeLinear" and n.input[0] in inits:
            w_init = inits[n.input[0]]
            zp = _arr(zp_init)
            axis = next((a.i for a in n.attribute if a.name == "axis"), 1)
            scale = _arr(inits[scale_name])
            users = consumers.get(n.output[0], [])
            if (
                any(c.op_type == "ConvTranspose" and c.input[1] == n.output[0] for c in users)
                and scale.size > 1
                and axis != 0
            ):
                w = _arr(w_init).astype(np.float32)
                shape = [1] * w.ndim
                shape[axis] = -1
                wf = ((w - zp.reshape(shape).astype(np.float32)) * scale.reshape(shape)).astype(np.float32)
                name = new_init(f"{n.output[0]}_float", wf)
                for c in users:
                    c.input[:] = [name if i == n.output[0] else i for i in c.input]
                remove.append(n)
                report["convtranspose_weights_to_float"].append(n.output[0])
            elif np.any(zp != 0):
                w = _arr(w_init).astype(np.int32)
                shape = [1] * w.ndim
                if zp.size > 1:
                    shape[axis] = -1
                w = np.clip(w - zp.reshape(shape).astype(np.int32), -128, 127).astype(np.int8)
                n.input[0] = new_init(f"{n.input[0]}_trt", w)
                n.input[2] = new_init(f"{zp_name}_trt0", np.zeros(zp.shape, np.int8))
                report["weights_recentred"].append(n.input[0])
    for n in remove:
        graph.node.remove(n)
    # the quantized tensors are INT8 now: correct their recorded types
    int8_out = {n.output[0] for n in graph.node if n.op_type == "QuantizeLinear" and n.input[2].endswith("_trt")}
    for vi in list(graph.value_info) + list(graph.output):
        if vi.name in int8_out:
            vi.type.tensor_type.elem_type = TensorProto.INT8
    used = {i for n in graph.node for i in n.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    model.producer_name = "edgegan (tensorrt pass)"
    del helper
    return model, report


def trtexec_command(
    onnx_name: str,
    engine_name: str,
    *,
    int8: bool,
    fp16: bool,
    shape: tuple[int, int, int, int],
    max_shape: tuple[int, int, int, int],
    strongly_typed: bool,
) -> str:
    n, c, h, w = shape
    N, _, H, W = max_shape
    parts = [
        "trtexec",
        f"--onnx={onnx_name}",
        f"--saveEngine={engine_name}",
        f"--minShapes=image:1x{c}x{h}x{w}",
        f"--optShapes=image:{n}x{c}x{h}x{w}",
        f"--maxShapes=image:{N}x{c}x{H}x{W}",
        "--timingCacheFile=timing.cache",
    ]
    if strongly_typed and int8:
        parts.append("--stronglyTyped")  # TensorRT 10: precisions follow the Q/DQ graph
    else:
        if fp16:
            parts.append("--fp16")
        if int8:
            parts.append("--int8")
    return " ".join(parts)


def engine_name(stem: str, arch: str, trt_version: str, precision: str) -> str:
    """``<stem>.<precision>.<sm_XX>.trt<version>.engine``: an engine names what it runs on."""
    return f"{stem}.{precision}.{arch}.trt{trt_version}.engine"


def build_engine(
    onnx_path: Path, out: Path, *, fp16: bool, int8: bool, shape, max_shape, timing_cache: Path | None = None
) -> Path:
    """Build a serialized engine with the TensorRT Python API (GPU machines only)."""
    import tensorrt as trt

    logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(logger)
    flags = 0
    if hasattr(trt.NetworkDefinitionCreationFlag, "EXPLICIT_BATCH"):
        flags |= 1 << int(trt.NetworkDefinitionCreationFlag.EXPLICIT_BATCH)
    network = builder.create_network(flags)
    parser = trt.OnnxParser(network, logger)
    if not parser.parse(onnx_path.read_bytes()):
        errors = "; ".join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise EdgeganError(f"TensorRT cannot parse {str(onnx_path)!r}: {errors}")
    config = builder.create_builder_config()
    if fp16:
        config.set_flag(trt.BuilderFlag.FP16)
    if int8:
        config.set_flag(trt.BuilderFlag.INT8)  # explicit quantization: scales come from the Q/DQ nodes
    profile = builder.create_optimization_profile()
    n, c, h, w = shape
    profile.set_shape(network.get_input(0).name, (1, c, h, w), shape, max_shape)
    config.add_optimization_profile(profile)
    cache_bytes = timing_cache.read_bytes() if timing_cache and timing_cache.is_file() else b""
    cache = config.create_timing_cache(cache_bytes)
    config.set_timing_cache(cache, ignore_mismatch=False)
    serialized = builder.build_serialized_network(network, config)
    if serialized is None:
        raise EdgeganError(f"TensorRT could not build an engine from {str(onnx_path)!r}")

    with atomic_write(out) as f:
        f.write(bytes(serialized))
    if timing_cache:
        with atomic_write(timing_cache) as f:
            f.write(bytes(config.get_timing_cache().serialize()))
    return out


def write_tensorrt(
    onnx_path: Path,
    out: Path,
    *,
    int8: bool,
    fp16: bool,
    size: int,
    max_size: int,
    max_batch: int,
    strongly_typed: bool,
) -> dict:
    """The TensorRT compatibility pass over ``onnx_path`` into ``out``, the ``trtexec`` script beside it, and the
    engine itself where TensorRT and a GPU are here."""
    import onnx

    model = load_onnx(onnx_path)
    changes = {}
    if int8:
        model, changes = make_tensorrt_compatible(model)
    problems = check_tensorrt(model)
    if problems:
        raise EdgeganError(f"the graph is not TensorRT-compatible: {problems[0]} (+{len(problems) - 1} more)")
    onnx.checker.check_model(model)
    with atomic_write(out) as f:
        f.write(model.SerializeToString())
    precision = "int8" if int8 else "fp16" if fp16 else "fp32"
    shape, max_shape = (1, 3, size, size), (max_batch, 3, max_size, max_size)
    stem = out.with_suffix("").name
    cmd = trtexec_command(
        out.name,
        f"{stem}.{precision}.$ARCH.trt$TRT.engine",
        int8=int8,
        fp16=fp16 or int8,
        shape=shape,
        max_shape=max_shape,
        strongly_typed=strongly_typed,
    )
    meta = json.dumps({"precision": precision, "onnx": out.name, "io": read_io(onnx_path, "onnx").to_dict()})
    script = out.with_name(out.stem + ".build_engine.sh")
    with atomic_write(script, "w") as f:
        f.write(
            "#!/usr/bin/env bash\n"
            "# Build the TensorRT engine on the target device: an engine runs only on the GPU architecture and\n"
            "# TensorRT version that built it, so both go into its file name and the .json beside it, which\n"
            "# edgegan checks before loading. Set GPU_ARCH (e.g. sm_87) if neither PyTorch nor nvidia-smi can tell.\n"
            "set -euo pipefail\n"
            'cd "$(dirname "$0")"\n'
            'ARCH=${GPU_ARCH:-$(python3 -c "import torch; m, n = torch.cuda.get_device_capability(); '
            "print(f'sm_{m}{n}')\" 2>/dev/null || nvidia-smi --query-gpu=compute_cap --format=csv,noheader "
            "2>/dev/null | head -1 | sed 's/[.]//; s/^/sm_/')}\n"
            '[ -n "$ARCH" ] || { echo "set GPU_ARCH, e.g. GPU_ARCH=sm_87 $0" >&2; exit 2; }\n'
            'TRT=$(python3 -c "import tensorrt; print(tensorrt.__version__)")\n'
            f"{cmd}\n"
            f'python3 - "$ARCH" "$TRT" <<\'EOF\'\n'
            "import json, sys\n"
            f"meta = json.loads('{meta}')\n"
            "meta.update(gpu_arch=sys.argv[1], tensorrt=sys.argv[2])\n"
            f"name = '{stem}.' + meta['precision'] + '.' + sys.argv[1] + '.trt' + sys.argv[2]\n"
            "json.dump(meta, open(name + '.json', 'w'), indent=2)\n"
            "print('engine:', name + '.engine')\n"
            "EOF\n"
        )
    script.chmod(0o755)
    info = {
        "compatibility_changes": {k: len(v) for k, v in changes.items()},
        "changes": changes,
        "trtexec": cmd,
        "script": script.name,
        "profile": {"min": [1, 3, size, size], "opt": list(shape), "max": list(max_shape)},
    }
    here = gpu_identity()
    if here is None:
        info["engine"] = None
        info["note"] = (
            f"no TensorRT with a CUDA GPU here: wrote the TensorRT-ready ONNX and {script.name}; run it on the target"
        )
        return info
    arch, version = here
    engine = out.with_name(engine_name(out.stem, arch, version, precision))
    build_engine(
        out,
        engine,
        fp16=fp16 or int8,
        int8=int8,
        shape=shape,
        max_shape=max_shape,
        timing_cache=out.with_name("timing.cache"),
    )
    with atomic_write(engine.with_suffix(".json"), "w") as f:
        json.dump(
            {
                "gpu_arch": arch,
                "tensorrt": version,
                "precision": precision,
                "onnx": out.name,
                "io": read_io(onnx_path, "onnx").to_dict(),
            },
            f,
            indent=2,
        )
    info["engine"] = engine.name
    return info
