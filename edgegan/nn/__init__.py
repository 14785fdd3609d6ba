"""Export-safe building blocks shared by the model families."""

from edgegan.nn.layers import NORMS, PADDINGS, make_norm, make_pad

__all__ = ["NORMS", "PADDINGS", "make_norm", "make_pad"]
