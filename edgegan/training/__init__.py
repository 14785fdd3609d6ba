"""Training: one generic loop (:mod:`edgegan.training.loop`) driven by per-family objectives."""

import edgegan.models  # noqa: F401  (registers the networks)
from edgegan.training import cyclegan  # noqa: F401  (registers the objective)
from edgegan.training.loop import train

__all__ = ["train"]
