"""Running a generator: one backend interface over every engine, and the one image loop (:class:`Stylizer`)."""

from edgegan.runtime.backends import Backend, load_backend
from edgegan.runtime.stylizer import Stylizer

__all__ = ["Backend", "Stylizer", "load_backend"]
