"""Progress bars for long work: lively on a terminal, a line every few seconds in a log file or CI."""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress(iterable=None, **kwargs) -> tqdm:
    """``tqdm`` with a refresh interval suited to where stderr goes; keyword arguments pass through."""
    kwargs.setdefault("mininterval", 0.5 if sys.stderr.isatty() else 10.0)
    kwargs.setdefault("dynamic_ncols", True)
    return tqdm(iterable, **kwargs)
