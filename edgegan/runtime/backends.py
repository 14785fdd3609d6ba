"""One interface over the engines a generator runs on.

A backend takes a float32 NCHW batch in [-1, 1] (H, W multiples of ``size_multiple``) and returns the
same layout. It is chosen by what the model path is: a checkpoint directory runs on PyTorch, a ``.onnx``
file on ONNX Runtime; ``backend=`` overrides.

A conditional network (Magenta's multi-style transformer) exported with ``--style-input`` takes its style as a
second input; every backend feeds it (the model's own style until :meth:`set_style`), and the PyTorch backend
switches a conditional checkpoint's style directly. ``n_styles`` is 0 for a network with one style.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from edgegan.artifact import ModelRef, io_from_openvino
from edgegan.errors import EdgeganError, library_reason
from edgegan.importers import open_model
from edgegan.machine import has_bf16
from edgegan.model_io import ModelIO
from edgegan.models import exportable, load_model
from edgegan.models.magenta import style_weights
from edgegan.openvino_core import openvino_core
from edgegan.runtime.tensorrt import check_engine_matches

# what OpenVINO may run a float model in: f32 (the default), or bf16 on a CPU with bf16 units (faster, not exact)
FLOAT_PRECISIONS = ("f32", "bf16")
BACKENDS = ("torch", "torch-tensorrt", "onnxruntime", "onnxruntime-cuda", "onnxruntime-trt", "openvino", "tensorrt")
ORT_PROVIDERS = {
    "onnxruntime": ["CPUExecutionProvider"],
    "onnxruntime-cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"],
    # TensorRT's execution provider takes the same Q/DQ rules as TensorRT; nodes it rejects fall back to CUDA/CPU
    "onnxruntime-trt": ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"],
}


class Backend(Protocol):
    name: str
    size_multiple: int
    fixed_size: int | None  # the network takes only this H = W (the pipeline resizes to it and back)
    n_styles: int  # styles the network can switch between at run time; 0: one style

    def run(self, x: np.ndarray) -> np.ndarray: ...

    def set_style(self, style) -> None: ...


LATENT_HINT = ": use edgegan generate"
ONE_STYLE = "this model has one style (a conditional model exported with --style-input switches styles)"


class _StyleFeed:
    """The style input of a graph exported with ``--style-input`` (io ``style_input``): what is fed beside the
    image, the model's own style until :meth:`set_style`."""

    n_styles = 0
    _style_name: str | None = None
    _style: np.ndarray | None = None

    def _init_io(self, io: ModelIO, spec: str) -> None:
        """Read what feeding the model takes from its typed I/O description (refusing a latent generator)."""
        io.require_image(spec, LATENT_HINT)
        self.size_multiple, self.fixed_size = io.size_multiple, io.fixed_size
        if io.style_input:
            self.n_styles = io.n_styles
            self._style_name = io.style_input.get("name", "style")
            self._style = np.asarray(io.style_input["default"], np.float32)

    def set_style(self, style) -> None:
        """An index or ``n_styles`` mixture weights; a one-line error for a network without a style input."""
        if not self.n_styles:
            raise EdgeganError(ONE_STYLE)
        self._style = style_weights(style, self.n_styles).numpy()

    @property
    def style_index(self) -> int:
        """The style fed now (the largest weight of a mixture)."""
        return int(np.argmax(self._style)) if self._style is not None else 0

    def _feeds(self) -> dict[str, np.ndarray]:
        return {self._style_name: self._style} if self._style_name else {}


class TorchBackend:
    name = "torch"
    n_styles = 0

    def __init__(self, ref: ModelRef, device: str = "cpu", threads: int | None = None):
        import torch

        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        self.device = torch.device(device)
        ref.io.require_image(str(ref.path), LATENT_HINT)
        self.model = exportable(load_model(ref.path, self.device))
        self.size_multiple, self.fixed_size = ref.io.size_multiple, ref.io.fixed_size
        if hasattr(self.model, "set_style"):  # a conditional checkpoint switches style itself
            self.n_styles = int(self.model.n_styles)

    def set_style(self, style) -> None:
        if not self.n_styles:
            raise EdgeganError(ONE_STYLE)
        self.model.set_style(style)

    @property
    def style_index(self) -> int:
        return int(self.model.style.argmax()) if self.n_styles else 0

    def run(self, x: np.ndarray) -> np.ndarray:
        with self.torch.inference_mode():
            y = self.model(self.torch.from_numpy(np.ascontiguousarray(x)).to(self.device))
        return y.float().cpu().numpy()


class TorchTensorRTBackend(TorchBackend):
    """A checkpoint compiled by torch-tensorrt's dynamo path (FP32 or FP16 kernels chosen by TensorRT), on a
    CUDA GPU, without leaving PyTorch. It cannot take NNCF's INT8 models: INT8 goes through Q/DQ ONNX."""

    name = "torch-tensorrt"

    def __init__(self, ref: ModelRef, threads: int | None = None, fp16: bool = True):
        try:
            import torch_tensorrt
        except Exception as e:  # ImportError, or a TensorRT / CUDA library that fails to load
            raise EdgeganError(
                f"backend torch-tensorrt is unavailable here ({type(e).__name__}: {str(e).splitlines()[0]}); it needs "
                "TensorRT and a CUDA build of PyTorch"
            ) from None
        super().__init__(ref, device="cuda", threads=threads)
        torch = self.torch
        m = max(self.size_multiple, 1)
        spec = torch_tensorrt.Input(
            min_shape=(1, 3, 2 * m, 2 * m),
            opt_shape=(1, 3, 256, 256),
            max_shape=(4, 3, 1024, 1024),
            dtype=torch.float32,
        )
        precisions = {torch.float16, torch.float32} if fp16 else {torch.float32}
        self.model = torch_tensorrt.compile(
            self.model.eval(), ir="dynamo", inputs=[spec], enabled_precisions=precisions
        )
        self.n_styles = 0  # the style is compiled into the engine


class OnnxRuntimeBackend(_StyleFeed):
    name = "onnxruntime"

    def __init__(self, ref: ModelRef, threads: int | None = None, providers: list[str] | None = None):
        import onnxruntime as ort

        path = ref.path
        opts = ort.SessionOptions()
        # No spin-waiting after a run: on a small shared CPU ORT's spinning threads steal the cores from
        # whatever runs next (a decoder thread, another model in an interleaved benchmark: measured 1.8x
        # slower for OpenVINO right after ONNX Runtime), for no gain in ORT's own latency here.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=providers or ["CPUExecutionProvider"])
        except Exception as e:  # ORT raises its own exception types for every kind of bad file
            raise EdgeganError(f"ONNX Runtime cannot load {str(path)!r}: {library_reason(e)}") from None
        self.input_name = self.session.get_inputs()[0].name
        self._init_io(ref.io, str(path))

    def run(self, x: np.ndarray) -> np.ndarray:
        feeds = {self.input_name: np.ascontiguousarray(x, dtype=np.float32), **self._feeds()}
        return self.session.run(None, feeds)[0]


class OpenVinoBackend(_StyleFeed):
    """OpenVINO on the CPU, from an .onnx file (read by OpenVINO's own frontend) or IR (.xml + .bin).

    Runs NNCF's Q/DQ INT8 graphs with real INT8 kernels. The model is compiled for the exact input shape
    it is given (compiled models are kept per shape): static shapes are what OpenVINO optimizes best, and a
    video or webcam stream has one shape."""

    name = "openvino"

    def __init__(self, ref: ModelRef | str | os.PathLike, threads: int | None = None, precision: str = "f32"):
        ref = open_model(ref)
        path = ref.path
        if precision not in FLOAT_PRECISIONS:
            raise EdgeganError(f"unknown float precision {precision!r}; choose one of: {', '.join(FLOAT_PRECISIONS)}")
        if precision == "bf16" and not has_bf16():
            raise EdgeganError("precision bf16 needs a CPU with bf16 units (AVX512_BF16 or AMX); this one has none")
        self.core = openvino_core()
        try:
            self.model = self.core.read_model(str(path))
        except Exception as e:
            raise EdgeganError(f"OpenVINO cannot read {str(path)!r}: {library_reason(e)}") from None
        # f32 for float layers unless asked: CPUs with bf16 units would otherwise run float models in bf16
        self.config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision}
        if threads:
            self.config["INFERENCE_NUM_THREADS"] = int(threads)
        io = ref.io if ref.kind == "onnx" else ModelIO.from_dict(io_from_openvino(self.model), repr(str(path)))
        self._init_io(io, str(path))
        self._image_name = self.model.inputs[0].any_name
        self._compiled: dict[tuple, object] = {}

    def _request(self, shape: tuple):
        req = self._compiled.get(shape)
        if req is None:
            model = self.model.clone()
            model.reshape({self._image_name: list(shape)})
            req = self.core.compile_model(model, "CPU", self.config).create_infer_request()
            self._compiled[shape] = req
        return req

    def kernel_precisions(self, shape: tuple, layer_type: str = "Convolution", key: str = "runtimePrecision"):
        """How many ``layer_type`` layers OpenVINO's CPU plugin runs in each precision (u8/i8: INT8 kernels,
        f32: float) once compiled for ``shape``: whether a quantized model really runs INT8. With
        ``key="primitiveType"``: in each kernel (``jit_avx512_core_vnni_I8``, ``jit_avx2_I8``, ...), which shows the
        instruction set it runs on (and whether ``ONEDNN_MAX_CPU_ISA`` took effect)."""
        rt = self._request(tuple(shape)).get_compiled_model().get_runtime_model()
        counts: dict[str, int] = {}
        for op in rt.get_ordered_ops():
            info = op.get_rt_info()
            if info["layerType"].astype(str) == layer_type:
                prec = info[key].astype(str)
                counts[prec] = counts.get(prec, 0) + 1
        return counts

    def run(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        req = self._request(tuple(x.shape))
        req.infer({self._image_name: x, **self._feeds()})
        return req.get_output_tensor(0).data.copy()


class TensorRTBackend(_StyleFeed):
    """A serialized TensorRT engine (TensorRT 10 tensor API) on the GPU that built it.

    Loading refuses an engine built for another GPU architecture or TensorRT version (its ``.json`` beside
    it says which), instead of TensorRT's deserialization error. Buffers are CUDA tensors from PyTorch."""

    name = "tensorrt"

    def __init__(self, ref: ModelRef, threads: int | None = None):
        check_engine_matches(ref.path)
        import tensorrt as trt
        import torch

        path = ref.path
        self.torch = torch
        self._init_io(ref.io, str(path))
        runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
        self.engine = runtime.deserialize_cuda_engine(Path(path).read_bytes())
        if self.engine is None:
            raise EdgeganError(f"TensorRT cannot deserialize {str(path)!r}")
        self.context = self.engine.create_execution_context()
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        modes = {n: self.engine.get_tensor_mode(n) for n in names}
        self.input_name = next(n for n in names if modes[n] == trt.TensorIOMode.INPUT and n != self._style_name)
        self.output_name = next(n for n in names if modes[n] == trt.TensorIOMode.OUTPUT)
        self.stream = torch.cuda.Stream()
        self._style_src, self._style_gpu = None, None  # the style array last copied to the GPU, and its copy

    def run(self, x: np.ndarray) -> np.ndarray:
        torch = self.torch
        inp = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).cuda()
        self.context.set_input_shape(self.input_name, tuple(inp.shape))
        out = torch.empty(tuple(self.context.get_tensor_shape(self.output_name)), device="cuda", dtype=torch.float32)
        self.context.set_tensor_address(self.input_name, inp.data_ptr())
        for name, value in self._feeds().items():  # the style input (static shape): on the GPU once per style
            if self._style_src is not value:
                self._style_src, self._style_gpu = value, torch.from_numpy(value).cuda()
            self.context.set_tensor_address(name, self._style_gpu.data_ptr())
        self.context.set_tensor_address(self.output_name, out.data_ptr())
        self.context.execute_async_v3(self.stream.cuda_stream)
        self.stream.synchronize()
        return out.cpu().numpy()


def load_backend(
    model: str | os.PathLike | ModelRef, backend: str | None = None, threads: int | None = None
) -> Backend:
    """Open ``model`` (a :class:`~edgegan.artifact.ModelRef`, or anything :func:`~edgegan.artifact.open_model`
    takes) on ``backend`` (default: by the model's kind)."""
    ref = open_model(model)
    backend = backend or ref.default_backend
    if backend not in BACKENDS:
        raise EdgeganError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
    path = ref.path
    if backend == "torch":
        if ref.kind != "checkpoint":
            raise EdgeganError(f"{str(path)!r} is an {ref.kind} file; the torch backend needs a checkpoint directory")
        return TorchBackend(ref, threads=threads)
    if backend == "torch-tensorrt":
        ref.require_checkpoint("backend torch-tensorrt")
        return TorchTensorRTBackend(ref, threads=threads)
    if backend == "tensorrt":
        if ref.kind != "tensorrt":
            raise EdgeganError(
                f"backend tensorrt needs a .engine file, got {str(path)!r} (edgegan export --format "
                "tensorrt, then build_engine.sh on the device)"
            )
        return TensorRTBackend(ref, threads=threads)
    if backend == "openvino":
        if ref.kind not in ("onnx", "openvino"):
            raise EdgeganError(f"backend openvino needs an .onnx or .xml file, got {str(path)!r} (export it first)")
        return OpenVinoBackend(ref, threads=threads)
    if ref.kind != "onnx":
        raise EdgeganError(f"backend {backend} needs an .onnx file, got {str(path)!r} (export it first)")
    providers = ORT_PROVIDERS[backend]
    import onnxruntime as ort

    missing = [p for p in providers if p not in ort.get_available_providers()]
    if missing:
        raise EdgeganError(
            f"backend {backend} needs ONNX Runtime's {missing[0]}, which this installation lacks "
            f"(it has {', '.join(ort.get_available_providers())}; the GPU build is the onnxruntime-gpu package)"
        )
    b = OnnxRuntimeBackend(ref, threads=threads, providers=providers)
    b.name = backend
    return b
