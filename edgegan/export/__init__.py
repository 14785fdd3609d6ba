"""From a checkpoint to deployable files: image-in/image-out graphs checked against PyTorch."""

from edgegan.export.deploy import FORMATS, export
from edgegan.export.to_onnx import export_onnx

__all__ = ["FORMATS", "export", "export_onnx"]
