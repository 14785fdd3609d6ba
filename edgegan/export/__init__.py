"""From a checkpoint to deployable files: image-in/image-out graphs checked against PyTorch.

``edgegan export``'s one-step pipeline (quantize first for ``--int8``) is :mod:`edgegan.pipelines.deploy`.
"""

from edgegan.export.targets import FORMATS, TARGETS
from edgegan.export.to_onnx import export_onnx

__all__ = ["FORMATS", "TARGETS", "export_onnx"]
