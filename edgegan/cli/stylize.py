"""``edgegan stylize``: restyle images with a checkpoint or an exported model."""

from __future__ import annotations

from edgegan.cli.options import add_model, add_out, add_runtime, add_style
from edgegan.cli.resolve import resolve
from edgegan.runtime.stylizer import stylize_paths


def add_arguments(parser) -> None:
    add_model(parser, "a shipped name (edgegan models), checkpoint directory, or exported .onnx/.xml/.engine file")
    parser.add_argument("inputs", nargs="+", help="image files or folders")
    add_out(parser)
    add_runtime(
        parser,
        size_default=None,
        size_help="resize the long side to this many pixels first",
        backend="torch | onnxruntime | openvino | tensorrt (default: by the model's file type)",
    )
    add_style(parser)


def run(a) -> None:
    written = stylize_paths(
        resolve(a.model), a.inputs, a.out, size=a.size, backend=a.backend, threads=a.threads, style=a.style
    )
    print(f"{len(written)} image(s) written to {a.out}")
