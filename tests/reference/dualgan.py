"""Test-only stand-in for duxingren14/DualGAN's generator (``model.py`` ``fcn()`` with ``ops.py``), written from
reading that TensorFlow 1.x source, in NumPy with TensorFlow's semantics: NHWC images, HWIO conv kernels and
``[h, w, out, in]`` transposed-conv kernels, "SAME" padding computed as TensorFlow computes it (the odd pixel
after the image), ``tf.nn.moments`` over H and W with ``rsqrt(var + 1e-6) * scale + center``, LeakyReLU as
``max(x, 0.2 x)``, skips concatenated after the decoder features, tanh out. Computed in float64.

Also the files a DualGAN user holds: :func:`dualnet_variables` names every variable as ``tf.train.Saver``
stores the whole DualNet (both generators, both critics, RMSProp slots), :func:`write_tf_checkpoint` writes
them as a TensorFlow V2 checkpoint (an SSTable ``.index`` of ``BundleEntryProto`` + one ``.data`` shard, the
layout TensorFlow's ``BundleWriter`` produces), :func:`save_npz` as ``tf.train.load_checkpoint`` + ``np.savez``.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

EPS = 1e-6
LAYOUTS = {"2017": (5, 5), "2020": (3, 5)}  # (inner kernel, e1/last-layer kernel) of the two code releases


# ---- the graph ---------------------------------------------------------------------------------------------


def _same_pads(size_in: int, size_out: int, k: int, stride: int) -> tuple[int, int]:
    total = max((size_out - 1) * stride + k - size_in, 0)
    return total // 2, total - total // 2


def conv2d_same(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 2) -> np.ndarray:
    """tf.nn.conv2d(x, w, [1, s, s, 1], "SAME") + b; x NHWC, w HWIO. Patches of the padded input (im2col) times
    the kernel as one matrix."""
    n, h, wd, _ = x.shape
    kh, kw, cin, cout = w.shape
    oh, ow = -(-h // stride), -(-wd // stride)
    (t, bo), (le, r) = _same_pads(h, oh, kh, stride), _same_pads(wd, ow, kw, stride)
    xp = np.pad(x, ((0, 0), (t, bo), (le, r), (0, 0)))
    patches = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride][:, :oh, :ow]
    patches = patches.transpose(0, 1, 2, 4, 5, 3).reshape(n * oh * ow, kh * kw * cin)  # (kh, kw, cin) as w
    return (patches @ w.reshape(kh * kw * cin, cout)).reshape(n, oh, ow, cout) + b


def conv2d_transpose_same(x: np.ndarray, w: np.ndarray, b: np.ndarray, out_hw: tuple[int, int], stride: int = 2):
    """tf.nn.conv2d_transpose(x, w, output_shape, [1, s, s, 1]) ("SAME") + b: the adjoint of conv2d_same from
    ``out_hw`` to x's size. w is [h, w, out, in]. Every input pixel scatters its kernel, weighted, onto a canvas
    in padded-output coordinates; the "SAME" padding of the forward conv is then cut off."""
    n, h, wd, cin = x.shape
    kh, kw, cout, _ = w.shape
    (t, _), (le, _) = _same_pads(out_hw[0], h, kh, stride), _same_pads(out_hw[1], wd, kw, stride)
    taps = (x.reshape(-1, cin) @ w.reshape(kh * kw * cout, cin).T).reshape(n, h, wd, kh, kw, cout)
    canvas = np.zeros((n, max((h - 1) * stride + kh, t + out_hw[0]), max((wd - 1) * stride + kw, le + out_hw[1]), cout))
    for i in range(kh):
        for j in range(kw):
            canvas[:, i : i + stride * h : stride, j : j + stride * wd : stride, :] += taps[:, :, :, i, j]
    return canvas[:, t : t + out_hw[0], le : le + out_hw[1], :] + b


def moments_norm(x: np.ndarray, scale: np.ndarray, center: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = np.square(x - mean).mean(axis=(1, 2), keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * scale + center


def fcn(v: dict[str, np.ndarray], prefix: str, images: np.ndarray) -> np.ndarray:
    """The generator under ``prefix`` on NHWC images in [-1, 1]; float64 NHWC in [-1, 1] out."""
    x = images.astype(np.float64)
    v = {k: a.astype(np.float64) for k, a in v.items() if k.startswith(prefix)}
    n_down = sum(1 for k in v if k.endswith("_conv/w"))
    enc = [conv2d_same(x, v[f"{prefix}e1_conv/w"], v[f"{prefix}e1_conv/biases"])]
    for i in range(2, n_down + 1):
        h = conv2d_same(np.maximum(enc[-1], 0.2 * enc[-1]), v[f"{prefix}e{i}_conv/w"], v[f"{prefix}e{i}_conv/biases"])
        enc.append(moments_norm(h, v[f"{prefix}bn_e{i}/scale"], v[f"{prefix}bn_e{i}/center"]))
    d = enc[-1]
    for j in range(1, n_down + 1):
        size = (images.shape[1] >> (n_down - j), images.shape[2] >> (n_down - j))
        d = conv2d_transpose_same(np.maximum(d, 0), v[f"{prefix}d{j}/w"], v[f"{prefix}d{j}/biases"], size)
        if j < n_down:  # dropout: off (the reference's keep probability 1 / its test-time noise left out)
            d = np.concatenate([moments_norm(d, v[f"{prefix}bn_d{j}/scale"], v[f"{prefix}bn_d{j}/center"]),
                                enc[n_down - 1 - j]], axis=3)  # fmt: skip
    return np.tanh(d)


# ---- variables, named and shaped as the reference creates them ----------------------------------------------


def generator_shapes(prefix: str, gcn: int = 64, layout: str = "2017", a_ch: int = 3, b_ch: int = 3) -> dict:
    k, k_out = LAYOUTS[layout]
    widths = [gcn, gcn * 2, gcn * 4] + [gcn * 8] * 5
    cin, cout = (a_ch, b_ch) if prefix.startswith("A") else (b_ch, a_ch)
    shapes = {}
    for i, w in enumerate(widths, 1):
        prev = cin if i == 1 else widths[i - 2]
        shapes[f"{prefix}e{i}_conv/w"], shapes[f"{prefix}e{i}_conv/biases"] = (
            (k_out if i == 1 else k,) * 2 + (prev, w),
            (w,),
        )
        if i > 1:
            shapes[f"{prefix}bn_e{i}/scale"] = shapes[f"{prefix}bn_e{i}/center"] = (w,)
    for j in range(1, 9):
        inner = widths[8 - j] * (1 if j == 1 else 2)
        out = cout if j == 8 else widths[7 - j]
        shapes[f"{prefix}d{j}/w"], shapes[f"{prefix}d{j}/biases"] = (k_out if j == 8 else k,) * 2 + (out, inner), (out,)
        if j < 8:
            shapes[f"{prefix}bn_d{j}/scale"] = shapes[f"{prefix}bn_d{j}/center"] = (out,)
    return shapes


def random_generator(prefix: str, rng: np.random.Generator, **shape_args) -> dict[str, np.ndarray]:
    """Weights that keep activations in a useful range: He-like kernels, scales around 1 and centers around 0
    with a spread that makes a scale/center or layer mix-up visible, non-zero biases."""
    out = {}
    for name, shape in generator_shapes(prefix, **shape_args).items():
        if name.endswith("/w"):
            fan_in = shape[0] * shape[1] * (shape[3] if "_conv/" not in name else shape[2])
            gain = 1.0 if name.endswith("d8/w") else 2.0
            a = rng.standard_normal(shape) * np.sqrt(gain / fan_in) * (2.0 if "_conv/" not in name else 1.0)
        elif name.endswith("/scale"):
            a = rng.normal(1.0, 0.3, shape)
        else:
            a = rng.normal(0.0, 0.2, shape)
        out[name] = a.astype(np.float32)
    return out


def dualnet_variables(rng: np.random.Generator, direction_prefix: str, gcn: int, layout: str, other_gcn: int = 4):
    """Every variable a DualNet checkpoint holds: the generator under test at width ``gcn``, the other one,
    both critics (``A_d_``/``B_d_``) and RMSProp's two slots of some generator variables. The parts the import
    must ignore are kept small (``other_gcn``) so tests stay fast; their names are the reference's."""
    other = "B_g_" if direction_prefix == "A_g_" else "A_g_"
    v = random_generator(direction_prefix, rng, gcn=gcn, layout=layout)
    v |= random_generator(other, rng, gcn=other_gcn, layout=layout)
    for d in ("A_d_", "B_d_"):
        v[f"{d}h0_conv/w"], v[f"{d}h0_conv/biases"] = rng.standard_normal((5, 5, 3, 4)), rng.standard_normal(4)
        for i, c in (("1", 8), ("2", 16), ("3", 32), ("3_1", 32)):
            v[f"{d}h{i}_conv/w"] = rng.standard_normal((3, 3, c // 2 if i != "3_1" else c, c))
            v[f"{d}h{i}_conv/biases"] = rng.standard_normal(c)
            v[f"{d}bn{i}/scale"], v[f"{d}bn{i}/center"] = rng.standard_normal(c), rng.standard_normal(c)
        v[f"{d}d_h3_lin/Matrix"], v[f"{d}d_h3_lin/bias"] = rng.standard_normal((32 * 4, 1)), rng.standard_normal(1)
    for name in (f"{direction_prefix}e1_conv/w", f"{direction_prefix}bn_d1/center", f"{other}d8/w"):
        v[f"{name}/RMSProp"] = np.abs(rng.standard_normal(v[name].shape))
        v[f"{name}/RMSProp_1"] = rng.standard_normal(v[name].shape)
    return {k: np.asarray(a, np.float32) for k, a in v.items()}


def save_npz(path: Path, variables: dict[str, np.ndarray]) -> Path:
    np.savez(path, **variables)
    return path


# ---- the TensorFlow V2 checkpoint format, written -----------------------------------------------------------


def _crc32c(data: bytes) -> int:
    """CRC-32C bit by bit (reflected polynomial 0x82F63B78): slow, so only for table blocks and small tensors."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _mask(crc: int) -> int:
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field(number: int, value: int | bytes, fixed32: bool = False) -> bytes:
    if fixed32:
        return _varint(number << 3 | 5) + struct.pack("<I", value)
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    return _varint(number << 3) + _varint(value)


def _block(entries: list[tuple[bytes, bytes]], restart_every: int) -> bytes:
    out, restarts, prev = bytearray(), [], b""
    for n, (key, value) in enumerate(entries):
        shared = 0
        if n % restart_every:
            while shared < min(len(key), len(prev)) and key[shared] == prev[shared]:
                shared += 1
        else:
            restarts.append(len(out))
        out += _varint(shared) + _varint(len(key) - shared) + _varint(len(value)) + key[shared:] + value
        prev = key
    restarts = restarts or [0]
    return bytes(out) + b"".join(struct.pack("<I", r) for r in restarts) + struct.pack("<I", len(restarts))


_DTYPES = {np.dtype(np.float32): 1, np.dtype(np.float64): 2, np.dtype(np.int32): 3, np.dtype(np.int64): 9}


def write_tf_checkpoint(prefix: Path, variables: dict[str, np.ndarray], block_size: int = 4096, data_crc=False):
    """``{prefix}.index`` + ``{prefix}.data-00000-of-00001`` as TensorFlow's BundleWriter lays them out: the
    index an uncompressed SSTable (entries sorted, keys prefix-compressed with a restart every 16, a masked
    CRC-32C after each block, a footer of two block handles and the magic), the header under the empty key.
    ``data_crc`` also stores each tensor's checksum (needed by TensorFlow's own reader; slow in Python)."""
    prefix = Path(prefix)
    entries, offset = [], 0
    with open(f"{prefix}.data-00000-of-00001", "wb") as data:
        for name in sorted(variables):
            a = np.asarray(variables[name])  # (np.ascontiguousarray would make a scalar 1-D)
            raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
            data.write(raw)
            shape = b"".join(_field(2, _field(1, d)) for d in a.shape)
            proto = _field(1, _DTYPES[a.dtype]) + _field(2, shape) + (_field(4, offset) if offset else b"")
            proto += _field(5, len(raw)) + (_field(6, _mask(_crc32c(raw)), fixed32=True) if data_crc else b"")
            entries.append((name.encode(), proto))
            offset += len(raw)
    header = (b"", _field(1, 1) + _field(3, _field(1, 1)))  # num_shards 1, little-endian, version producer 1
    out, index = bytearray(), []

    def put(block: bytes) -> bytes:
        handle = _varint(len(out)) + _varint(len(block))
        out.extend(block + b"\0" + struct.pack("<I", _mask(_crc32c(block + b"\0"))))
        return handle

    pending, size = [], 0
    for key, value in [header, *entries]:
        pending.append((key, value))
        size += len(key) + len(value) + 3
        if size >= block_size:
            index.append((key, put(_block(pending, 16))))
            pending, size = [], 0
    if pending:
        index.append((pending[-1][0], put(_block(pending, 16))))
    meta = put(_block([], 1))
    handles = put(_block(index, 1))
    footer = (meta + handles).ljust(40, b"\0") + struct.pack("<Q", 0xDB4775248B80FB57)
    Path(f"{prefix}.index").write_bytes(bytes(out) + footer)
    return Path(f"{prefix}.index")
