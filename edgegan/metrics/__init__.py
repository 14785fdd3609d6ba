"""Measured quantities: drift (PSNR/SSIM), cost (parameters, MACs), temporal stability, feature distances."""

from edgegan.metrics.cost import count_macs
from edgegan.metrics.drift import drift, max_abs_diff, psnr

__all__ = ["count_macs", "drift", "max_abs_diff", "psnr"]
