"""User-facing errors.

An :class:`EdgeganError` is a mistake the user can fix (a bad path, a wrong key, a file of the wrong
kind). The CLI prints its message on one line and exits with status 2; anything else is a bug and keeps
its traceback.
"""


class EdgeganError(Exception):
    """A user mistake, reported as one line naming the bad value."""
