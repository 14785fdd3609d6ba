"""DualGAN generators from duxingren14/DualGAN (TensorFlow 1.x): its checkpoints, read without TensorFlow.

The reference saves the whole DualNet with ``tf.train.Saver``: a TensorFlow V2 checkpoint, ``DualNet.model-N``
``.index`` + ``.data-00000-of-00001`` (+ ``.meta``, the graph, not needed). The ``.index`` is an SSTable (the
LevelDB table format TensorFlow ships) mapping each variable name to a ``BundleEntryProto`` (dtype, shape,
shard, offset, size); the ``.data-*`` files hold the raw little-endian tensors. Both are read here in plain
Python. An ``.npz`` of the checkpoint's variables by their TF names (``tf.train.load_checkpoint`` +
``np.savez``) is taken as well, loaded with ``allow_pickle=False``.

The generator that maps A to B is built under the scope prefix ``A_g_`` (``A2B = A_g_net(real_A)``), B to A
under ``B_g_``: ``{prefix}e{i}_conv/{w,biases}``, ``{prefix}bn_e{i}/{scale,center}`` (i >= 2), ``{prefix}d{j}/
{w,biases}``, ``{prefix}bn_d{j}/{scale,center}`` (not the last). Conv kernels are HWIO, transposed-conv
kernels ``[h, w, out, in]``; both become PyTorch's layout by the same transpose (3, 2, 0, 1). Kernel sizes
are read per layer: 5x5 everywhere (2017 code) or 3x3 inside with 5x5 first and last layers (2020 code).
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import torch

from edgegan.errors import EdgeganError
from edgegan.importers.base import Option, load_into, load_state_dict_file, mismatch, register, save_imported
from edgegan.registry import MODELS

FAMILY = "dualgan"
PREFIX = {"A2B": "A_g_", "B2A": "B_g_"}
TABLE_MAGIC = 0xDB4775248B80FB57  # LevelDB's table magic, which TensorFlow's table format keeps
# TensorFlow DataType enum -> NumPy dtype (little-endian); strings, resources and variants are not tensors here.
TF_DTYPES = {1: "<f4", 2: "<f8", 3: "<i4", 4: "u1", 5: "<i2", 6: "i1", 9: "<i8", 10: "?", 17: "<u2", 19: "<f2",
             22: "<u4", 23: "<u8"}  # fmt: skip
_VAR = re.compile(r"(?P<scope>e\d+_conv|bn_e\d+|d\d+|bn_d\d+)/(?P<var>w|biases|scale|center)")


# ---- the TensorFlow V2 checkpoint format ------------------------------------------------------------------


def _crc32c_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli), as the table format checksums its blocks (small: index blocks only)."""
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7


def _proto_fields(buf: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) pairs of a serialized protobuf message: varints as ints, the rest as bytes."""
    out, pos = [], 0
    while pos < len(buf):
        tag, pos = _varint(buf, pos)
        wire = tag & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            value, pos = buf[pos : pos + n], pos + n
        elif wire == 2:
            n, pos = _varint(buf, pos)
            value, pos = buf[pos : pos + n], pos + n
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if pos > len(buf):
            raise ValueError("truncated protobuf message")
        out.append((tag >> 3, value))
    return out


def _block_entries(block: bytes) -> list[tuple[bytes, bytes]]:
    """The (key, value) entries of one table block: prefix-compressed keys, then the restart array."""
    (n_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    end = len(block) - 4 - 4 * n_restarts
    if end < 0:
        raise ValueError("bad restart array")
    out, key, pos = [], b"", 0
    while pos < end:
        shared, pos = _varint(block, pos)
        fresh, pos = _varint(block, pos)
        size, pos = _varint(block, pos)
        if shared > len(key) or pos + fresh + size > end:
            raise ValueError("bad block entry")
        key = key[:shared] + block[pos : pos + fresh]
        out.append((key, block[pos + fresh : pos + fresh + size]))
        pos += fresh + size
    return out


def _read_block(data: bytes, handle: bytes) -> bytes:
    offset, pos = _varint(handle, 0)
    size, _ = _varint(handle, pos)
    if offset + size + 5 > len(data):
        raise ValueError("block past the end of the file")
    block, kind = data[offset : offset + size], data[offset + size]
    (crc,) = struct.unpack_from("<I", data, offset + size + 1)
    if masked_crc32c(data[offset : offset + size + 1]) != crc:
        raise ValueError("block checksum mismatch")
    if kind != 0:
        raise ValueError(f"compressed table block (type {kind}); TensorFlow writes checkpoint indexes uncompressed")
    return block


def _shape(buf: bytes) -> tuple[int, ...]:
    dims = []
    for field, dim in _proto_fields(buf):
        if field == 3 and dim:
            raise ValueError("unknown rank")
        if field == 2:
            dims.append(next((v for f, v in _proto_fields(dim) if f == 1), 0))
    return tuple(dims)


def read_tf_checkpoint(index: Path, wanted=lambda name: True) -> tuple[list[str], dict[str, np.ndarray]]:
    """All variable names in a TensorFlow V2 checkpoint (``.index`` file) and the tensors named by ``wanted``."""
    data = index.read_bytes()
    try:
        if len(data) < 48 or struct.unpack_from("<Q", data, len(data) - 8)[0] != TABLE_MAGIC:
            raise ValueError("no table footer (truncated, or not a TensorFlow V2 checkpoint index)")
        footer = data[-48:-8]
        _, pos = _varint(footer, 0)
        _, pos = _varint(footer, pos)  # metaindex handle: empty in checkpoints
        entries = []
        for _, handle in _block_entries(_read_block(data, footer[pos:])):
            entries += _block_entries(_read_block(data, handle))
        header = dict(_proto_fields(entries[0][1])) if entries and entries[0][0] == b"" else None
        if header is None:
            raise ValueError("no bundle header")
    except (ValueError, struct.error, IndexError) as e:
        raise EdgeganError(f"{str(index)!r} is not a readable TensorFlow checkpoint index: {e}") from None
    order = ">" if header.get(2, 0) == 1 else "<"
    shards = header.get(1, 1)
    prefix = str(index)[: -len(".index")]
    names, tensors, files = [], {}, {}
    try:
        for key, value in entries[1:]:
            name = key.decode("utf-8")
            names.append(name)
            if not wanted(name):
                continue
            entry = dict(_proto_fields(value))
            if 7 in entry:
                raise ValueError(f"{name!r} is a partitioned variable (slices), which this reader does not join")
            dtype = TF_DTYPES.get(entry.get(1, 0))
            if dtype is None:
                raise ValueError(f"{name!r} has TensorFlow dtype {entry.get(1, 0)}, not a numeric tensor")
            shape, shard = _shape(entry.get(2, b"")), entry.get(3, 0)
            offset, size = entry.get(4, 0), entry.get(5, 0)
            dt = np.dtype(dtype).newbyteorder(order)
            if size != int(np.prod(shape, dtype=np.int64)) * dt.itemsize:
                raise ValueError(f"{name!r}: {size} bytes for shape {shape}")
            path = f"{prefix}.data-{shard:05d}-of-{shards:05d}"
            if path not in files:
                if not Path(path).is_file():
                    raise EdgeganError(f"the data file of {str(index)!r} is missing: {path!r}")
                files[path] = open(path, "rb")  # noqa: SIM115 - closed below
            f = files[path]
            f.seek(offset)
            raw = f.read(size)
            if len(raw) != size:
                raise EdgeganError(f"{path!r} is truncated: {name!r} needs bytes {offset}..{offset + size}")
            tensors[name] = np.frombuffer(raw, dt).reshape(shape).astype(dt.newbyteorder("="))
    except (ValueError, UnicodeDecodeError) as e:
        raise EdgeganError(f"{str(index)!r}: {e}") from None
    finally:
        for f in files.values():
            f.close()
    return names, tensors


# ---- which file, which variables ----------------------------------------------------------------------------


def _checkpoint_index(path: Path) -> Path:
    """The ``.index`` of the checkpoint that ``path`` names: the index itself, its data or meta file, or a
    directory (its ``checkpoint`` file's ``model_checkpoint_path``, or its only ``.index``)."""
    if path.is_dir():
        state = path / "checkpoint"
        if state.is_file():
            m = re.search(r'^model_checkpoint_path:\s*"(.*)"', state.read_text(errors="replace"), re.M)
            if m:
                # absolute paths of the machine that trained it are common: look beside the state file too
                for cand in (Path(m.group(1)), path / m.group(1), path / Path(m.group(1)).name):
                    if Path(f"{cand}.index").is_file():
                        return Path(f"{cand}.index")
        found = sorted(path.glob("*.index"))
        if len(found) == 1:
            return found[0]
        what = ", ".join(p.name for p in found[:4]) if found else "none"
        raise EdgeganError(f"{str(path)!r}: pass one checkpoint's .index file (.index files here: {what})")
    name = str(path)
    if Path(f"{name}.index").is_file():  # the prefix TensorFlow itself names a checkpoint by (model-14002)
        return Path(f"{name}.index")
    for pattern in (r"\.data-\d{5}-of-\d{5}$", r"\.meta$", r"\.index$"):
        if re.search(pattern, name):
            return Path(re.sub(pattern, "", name) + ".index")
    raise ValueError(name)


def _load_variables(path: Path, prefix: str) -> tuple[list[str], dict[str, np.ndarray]]:
    """All variable names of the file and the arrays of the ones under ``prefix`` (optimizer slots left out)."""

    def wanted(name: str) -> bool:
        return name.startswith(prefix) and name.count("/") == 1

    if path.suffix == ".npz":
        try:
            with np.load(path, allow_pickle=False) as z:
                names = list(z.files)
                arrays = {k.removesuffix(":0"): z[k] for k in names if wanted(k.removesuffix(":0"))}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as e:
            why = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            raise EdgeganError(f"{str(path)!r} is not a readable .npz of arrays: {why}") from None
        return [n.removesuffix(":0") for n in names], arrays
    if path.suffix in (".pth", ".pt", ".bin", ".pkl"):  # a PyTorch file: say which family it belongs to
        keys = list(load_state_dict_file(path, FAMILY))
        raise mismatch(FAMILY, path, keys, "a PyTorch file, not a TensorFlow checkpoint or .npz of TF variables")
    try:
        index = _checkpoint_index(path)
    except ValueError:
        raise EdgeganError(
            f"{str(path)!r}: edgegan import dualgan takes a TensorFlow checkpoint (its .index, .data-* or .meta "
            "file, or its directory) or an .npz of its variables"
        ) from None
    if not index.is_file():
        raise EdgeganError(f"{str(path)!r}: its checkpoint index {str(index)!r} is missing")
    return read_tf_checkpoint(index, wanted)


def _convert(variables: dict[str, np.ndarray], prefix: str, names: list[str], path: Path) -> tuple[dict, dict]:
    """Model arguments and our state dict from the TF variables under ``prefix``."""

    def get(name: str) -> np.ndarray:
        if prefix + name not in variables:
            raise mismatch(FAMILY, path, names, f"no variable {prefix + name!r}")
        return variables[prefix + name]

    unknown = [n for n in variables if not _VAR.fullmatch(n[len(prefix) :])]
    if unknown:
        contrib = [n for n in unknown if n.endswith(("/gamma", "/beta", "/moving_mean", "/moving_variance"))]
        if contrib:  # April 2017 code: tf.contrib batch_norm in training mode, optional skips (network_type)
            raise EdgeganError(
                f"{str(path)!r} holds {contrib[0]!r}: the tf.contrib batch-norm layout of DualGAN's first (April "
                "2017) code, which this importer does not read; it reads the scale/center layout (August 2017 on)"
            )
        raise mismatch(FAMILY, path, names, f"variables a DualGAN generator does not have: {', '.join(unknown[:4])}")
    n_down = sum(1 for n in variables if re.fullmatch(re.escape(prefix) + r"e\d+_conv/w", n))
    e1, last = get("e1_conv/w"), get(f"d{n_down}/w")
    if n_down < 2 or e1.ndim != 4 or last.ndim != 4:
        raise mismatch(FAMILY, path, names, f"encoder levels e1..e{n_down} with 4-D kernels expected")
    inner = {f"e{i}_conv": get(f"e{i}_conv/w").shape[:2] for i in range(2, n_down + 1)}
    inner |= {f"d{j}": get(f"d{j}/w").shape[:2] for j in range(1, n_down)}
    sizes = set(inner.values())
    outer = {e1.shape[:2], last.shape[:2]}
    if len(sizes) != 1 or len(outer) != 1 or any(a != b for a, b in sizes | outer):
        layers = ", ".join(f"{k}: {s[0]}x{s[1]}" for k, s in {"e1_conv": e1.shape[:2], **inner}.items())
        raise EdgeganError(f"{str(path)!r}: kernel sizes this generator cannot express ({layers})")
    k, k_out = next(iter(sizes))[0], e1.shape[0]
    args = {
        "in_channels": int(e1.shape[2]),
        "out_channels": int(last.shape[2]),
        "base_channels": int(e1.shape[3]),
        "n_down": n_down,
        "kernel_size": int(k),
        "outer_kernel_size": None if k_out == k else int(k_out),
        "eps": 1e-6,
        "dropout": 0.0,
        "tf_same": True,
    }
    state = {}
    for name, value in variables.items():
        t = torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32))
        state[_our_key(name[len(prefix) :])] = t.permute(3, 2, 0, 1).contiguous() if t.dim() == 4 else t
    return args, state


def _our_key(tf_name: str) -> str:
    """``e3_conv/w`` -> ``down.2.conv.weight``, ``bn_d1/center`` -> ``up.0.norm.bias``."""
    m = _VAR.fullmatch(tf_name)
    scope, var = m["scope"], m["var"]
    side = "down" if re.search(r"e\d", scope) else "up"
    part = "norm" if scope.startswith("bn_") else "conv"
    return f"{side}.{int(re.sub(r'[^0-9]', '', scope)) - 1}.{part}." + ("weight" if var in ("w", "scale") else "bias")


def _tf_name(key: str, prefix: str) -> str:
    """The inverse of :func:`_our_key`, with the scope prefix."""
    side, i, part, var = key.split(".")
    level = int(i) + 1
    scope = ("bn_" if part == "norm" else "") + ("e" if side == "down" else "d") + str(level)
    scope += "_conv" if side == "down" and part == "conv" else ""
    return (
        f"{prefix}{scope}/"
        + {"conv": {"weight": "w", "bias": "biases"}, "norm": {"weight": "scale", "bias": "center"}}[part][var]
    )


def _check_fits(model: torch.nn.Module, state: dict, prefix: str, path: Path, names: list[str]) -> None:
    """Every variable the generator needs, with the shape it needs, named as TensorFlow names it."""

    def tf_shape(shape) -> tuple:
        return (shape[2], shape[3], shape[1], shape[0]) if len(shape) == 4 else tuple(shape)

    expected = model.state_dict()
    problems = [f"{_tf_name(k, prefix)} is missing" for k in expected if k not in state]
    problems += [
        f"{_tf_name(k, prefix)} has shape {tf_shape(state[k].shape)} where {tf_shape(v.shape)} fits"
        for k, v in expected.items()
        if k in state and state[k].shape != v.shape
    ]
    problems += [f"{_tf_name(k, prefix)} is not a variable of this generator" for k in state if k not in expected]
    if problems:
        raise mismatch(FAMILY, path, names, "; ".join(problems[:3]) + (" ..." if len(problems) > 3 else ""))


@register(
    FAMILY,
    title="DualGAN (duxingren14/DualGAN, TensorFlow)",
    options={"direction": Option("which generator of the pair: A2B (A_g_*) or B2A (B_g_*)", choices=tuple(PREFIX))},
    keys=(r"A_g_e1_conv/w", r"B_g_e1_conv/w", r"A_g_bn_e2/scale", r"A_d_h0_conv/w", r"A_g_d8/w"),
    formats="duxingren14/DualGAN `tf.train.Saver` checkpoints (`DualNet.model-N.index` + `.data-*`, or their "
    "directory; read without TensorFlow), or an `.npz` of their variables by TF name; `--direction A2B|B2A` "
    "(default A2B: the `A_g_` generator)",
    quirks='TF "SAME" padding (odd pixel after the image: explicit pad / one-pixel crop of the transposed conv), '
    "per-image norm with eps 1e-6 including the 1x1 bottleneck, kernel size per layer (5x5 or 3x3 with 5x5 "
    "outer layers), HWIO kernels; dropout off (the 2017 code kept it on when testing, so its own outputs vary)",
)
def import_dualgan(path: Path, out: Path, *, direction: str = "A2B") -> Path:
    prefix = PREFIX[direction]
    names, variables = _load_variables(path, prefix)
    if not variables:
        other = PREFIX["B2A" if direction == "A2B" else "A2B"]
        if any(n.startswith(other + "e1_conv/") for n in names):
            raise EdgeganError(
                f"{str(path)!r} has no {prefix}* variables (the {direction} generator) but has {other}*: "
                f"use --direction {'B2A' if direction == 'A2B' else 'A2B'}"
            )
        scopes = sorted({n.split("/")[0] for n in names})
        raise mismatch(
            FAMILY, path, names, f"no variables under {prefix!r} (found scopes: {', '.join(scopes[:5]) or 'none'})"
        )
    args, state = _convert(variables, prefix, names, path)
    model = MODELS.build("dualgan_tf", args)
    _check_fits(model, state, prefix, path, names)
    load_into(model, state, FAMILY, path, names)
    return save_imported(out, model.eval(), "dualgan_tf", args, path, f"dualgan {direction} {path}")
