"""Measured quantities: picture fidelity (PSNR), cost (parameters, MACs)."""

from edgegan.metrics.cost import count_macs
from edgegan.metrics.fidelity import max_abs_diff, psnr

__all__ = ["count_macs", "max_abs_diff", "psnr"]
