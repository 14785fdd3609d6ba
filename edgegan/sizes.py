"""The network resolution edgegan runs at: the one bound on ``--size`` (the long side, in pixels).

Below 8 pixels no generator has a stride left; beyond an 8K frame a typo (``--size 100000``) would exhaust memory.
The command line refuses a side outside it as an argparse error, the library as a one-line error; both read it
here. Light on purpose (no third-party import): ``edgegan --help`` imports it.
"""

from __future__ import annotations

from edgegan.errors import EdgeganError

MIN_SIDE, MAX_SIDE = 8, 8192


def check_side(size: int | None, what: str = "--size") -> int | None:
    """``size`` (None: the input's own) if edgegan runs a network at that side, else a one-line error."""
    if size is not None and not MIN_SIDE <= size <= MAX_SIDE:
        raise EdgeganError(f"{what} must be a side of {MIN_SIDE} to {MAX_SIDE} pixels, got {size}")
    return size


def parse_frame_size(text: str, what: str = "--size") -> tuple[int, int]:
    """``WIDTHxHEIGHT`` -> (width, height), each a side edgegan runs at; a one-line error otherwise."""
    w, sep, h = str(text).lower().partition("x")
    if not sep or not w.isdigit() or not h.isdigit():
        raise EdgeganError(f"{what} {text!r}: expected WIDTHxHEIGHT, e.g. 1280x720")
    return check_side(int(w), f"{what} width"), check_side(int(h), f"{what} height")
