"""Running an exported or checkpointed generator: one backend interface, image pre/post-processing."""

from edgegan.runtime.backends import Backend, load_backend
from edgegan.runtime.pipeline import Stylizer

__all__ = ["Backend", "Stylizer", "load_backend"]
