"""The one rule for parity tests: how far two computations of the same network may honestly be apart.

A parity test compares edgegan's computation of a network (PyTorch, ONNX Runtime, OpenVINO) with a reference. Both
sides compute the same real-number function; they differ only by rounding, and how much depends on the kernels the
CPU picks (AVX2, AVX-512, blocking, thread count, summation order). A bound read off one machine (``1e-5``, because
that is what it gave) fails on the next one. The bound here is derived from the arithmetic instead:

- float32 rounds each operation with a relative error of at most ``u = 2**-24``;
- an inner product of ``n`` terms (a convolution output with ``n = C_in * k * k / groups``) accumulates, with
  probability at least ``1 - 2 exp(-lambda**2 / 2)``, a relative error of at most ``lambda * sqrt(n) * u``
  (probabilistic rounding-error analysis, Higham and Mary, SIAM J. Sci. Comput. 2019); ``lambda = 6`` makes that
  probability 3e-8 per output value;
- a network of ``depth`` such layers adds one such error per layer (normalisations keep activations at unit
  scale, so each layer's error carries forward at the output's scale); the sum is taken linearly, the worst case;
- a float64 reference contributes nothing (``sides=1``); two float32 implementations both do (``sides=2``).

So ``bound = sides * lambda * depth * sqrt(n) * u * scale``, with ``scale`` the magnitude of the output (1 for tanh
images). For the 256-channel 3x3 layers of a CycleGAN/pix2pix ResNet (n = 2304, depth 18) that is 3.1e-4 against a
float64 reference: far below the 1e-2 that any wrong semantic in these tests produces (each test that guards a
semantic also asserts that the alternative differs by more than that).

``make test-portable`` runs every test marked ``parity`` under other kernels (``ATEN_CPU_CAPABILITY`` and
``ONEDNN_MAX_CPU_ISA`` lowered, 1 and 2 threads), as another CPU would run them.
"""

from __future__ import annotations

import math

import numpy as np

U32 = 2.0**-24  # float32 unit roundoff
U64 = 2.0**-53  # float64 unit roundoff (a float64 check of a float32 test's semantics)
LAMBDA = 6.0  # tail factor of the probabilistic bound: 2 exp(-18) = 3e-8 per inner product


def float32_bound(depth: int, fan_in: int, scale: float = 1.0, sides: int = 1, unit: float = U32) -> float:
    """The largest honest |difference| for ``depth`` layers whose widest inner product has ``fan_in`` terms
    (``unit=U64`` for a comparison made in float64)."""
    if depth < 1 or fan_in < 1 or sides not in (1, 2):
        raise ValueError(f"depth {depth}, fan_in {fan_in} and sides {sides} must be >= 1 (sides 1 or 2)")
    return sides * LAMBDA * depth * math.sqrt(fan_in) * unit * max(scale, 1.0)


def network_shape(model) -> tuple[int, int]:
    """(depth, widest fan-in) of a PyTorch module, from its weight tensors: each of two or more dimensions is one
    layer (a convolution, a linear map, a modulated convolution's base weight), whose inner products have at most
    ``max(dim 0, dim 1) * kernel area`` terms (an upper bound for plain and transposed convolutions alike)."""
    depth, fan_in = 0, 1
    for p in model.parameters():
        if p.dim() >= 2:
            depth, fan_in = depth + 1, max(fan_in, max(p.shape[0], p.shape[1]) * math.prod(p.shape[2:]))
    if depth == 0:
        raise ValueError(f"{type(model).__name__} has no weight of two or more dimensions: give depth and fan_in")
    return depth, fan_in


def network_bound(model, scale: float = 1.0, sides: int = 1, unit: float = U32) -> float:
    """:func:`float32_bound` for ``model``'s own depth and widest fan-in."""
    return float32_bound(*network_shape(model), scale=scale, sides=sides, unit=unit)


def max_abs_diff(got, want) -> float:
    """max |got - want| in float64, over arrays, tensors or equal-length lists of them."""
    if isinstance(got, (list, tuple)):
        return max(max_abs_diff(g, w) for g, w in zip(got, want, strict=True))
    as64 = lambda a: np.asarray(a.detach().cpu().numpy() if hasattr(a, "detach") else a, np.float64)  # noqa: E731
    g, w = as64(got), as64(want)
    assert g.shape == w.shape, f"shapes differ: {g.shape} vs {w.shape}"
    return float(np.abs(g - w).max())


def assert_parity(got, want, bound: float, what: str = "") -> float:
    """Assert max |got - want| <= ``bound`` (from :func:`float32_bound`); returns the difference."""
    diff = max_abs_diff(got, want)
    assert diff <= bound, f"{what}: max |difference| {diff:.3g} > bound {bound:.3g} derived from float32 rounding"
    return diff


def run_onnx(path, *inputs: np.ndarray) -> np.ndarray:
    """The first output of the ONNX file at ``path`` on ONNX Runtime's CPU provider, inputs in graph order."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {i.name: np.asarray(x) for i, x in zip(sess.get_inputs(), inputs, strict=True)})[0]


def assert_onnx_matches_torch(checkpoint, onnx_path, seed: int = 99) -> float:
    """The exported file against the checkpoint's own PyTorch module, recomputed here on an input the export's
    built-in check never drew (another seed, batch and shape), within the two-sided float32 bound. (Asserting the
    export report's own ``max_abs_diff_vs_torch`` would restate a check that ``export_onnx`` already enforces.)"""
    import torch

    from edgegan.checkpoint import read_model_config
    from edgegan.models import exportable, load_model

    io = read_model_config(checkpoint)["io"]
    rng = np.random.default_rng(seed)
    if io.get("input") == "latent":
        x = rng.standard_normal((2, io["latent_dim"]))
    elif io.get("fixed_size"):
        x = rng.uniform(-1, 1, (3, io.get("in_channels", 3), io["fixed_size"], io["fixed_size"]))
    else:
        m = max(int(io.get("size_multiple", 1)), 1)
        h, w = -(-80 // m) * m, -(-48 // m) * m  # taller than wide: the check's shapes are wider or square
        x = rng.uniform(-1, 1, (3 if m <= 16 else 1, io.get("in_channels", 3), h, w))
    x = x.astype(np.float32)
    model = exportable(load_model(checkpoint)).eval()
    with torch.no_grad():
        want = model(torch.from_numpy(x)).numpy()
    bound = network_bound(model, scale=float(np.abs(want).max()), sides=2)
    return assert_parity(run_onnx(onnx_path, x), want, bound, f"ONNX vs PyTorch on {x.shape}")
