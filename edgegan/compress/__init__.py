"""Compression: every step takes a parent model and returns a smaller or faster child, measured against it.

- :mod:`edgegan.compress.cache`: the teacher labels augmented views of any images and video frames, once,
  into a ``paired_folders`` dataset (distillation needs inputs, not labels).
- :mod:`edgegan.compress.distill`: the ``distill`` objective (output L1, learned 1x1 feature mappings,
  optional adversarial term) and ``edgegan distill``.
- :mod:`edgegan.compress.prune`: structured channel pruning (torch-pruning) + a distillation fine-tune.
- :mod:`edgegan.compress.quantize`: INT8 (NNCF post-training, accuracy-controlled) and FP16 on ONNX.
- :mod:`edgegan.compress.qat`: quantization-aware fine-tuning (NNCF on PyTorch) exported as Q/DQ ONNX.
- :mod:`edgegan.compress.metrics`: ``metrics.json`` (cost and drift against the parent and the teacher).
"""
