"""From a checkpoint to deployable files: image-in/image-out graphs checked against PyTorch."""

from edgegan.export.to_onnx import export_onnx

FORMATS = ("onnx",)

__all__ = ["FORMATS", "export_onnx"]
