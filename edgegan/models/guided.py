"""Guided students: an image-to-image network run at low resolution, its colour decision carried to full
resolution by affine maps fitted to it (Bilateral Guided Upsampling, Chen, Adams and Paris 2016).

    x -> bilinear to low x low -> net -> y_lo
    per cell of a grid x grid field: the ridge least-squares 3x4 colour-affine map A with A [x_lo; 1] ~ y_lo,
        each low-res pixel weighted by the bilinear weight it has on the cell (the weights the up-sampling uses)
    out = A(H x W, bilinear) . [x; 1]            (:func:`edgegan.models.student.apply_maps`)

Why (docs/robustness.md, session 12): the vintagify teacher's change on a photo is almost all colour. On the
photos where the colour-operator students fail worst (colour-graded portraits), one affine map per photo, fitted to
the teacher, is 26-30 dB from it, while the students, which *predict* their maps from a small network, stay 11-15 dB
from it even on photos they were trained on: what limits them is the decision, not the operator. The teacher run at
128 px and carried up by fitted maps keeps its decision (sixth set: 25.75 dB mean, worst 18.06, against the
students' 24.1 and 11.2). Run at low resolution, the network's cost no longer grows with the frame; pruned
(``edgegan prune`` on the teacher, then distilled end to end here), it fits a real-time budget.

The fit is differentiable and exports to plain ONNX ops (products, MatMul with the interpolation weights, an unrolled
4x4 Cholesky solve): no linear-algebra op any runtime lacks. The ridge term pulls each map (its gains and its
offset) towards the identity, relative to the cell's weight: a flat cell (no colour spread to fit) gets a bounded
map that mostly shifts its level, instead of the huge gains an exact solve would take there; faint texture in such
a cell loses some contrast (about a quarter at ridge 1e-3 on a cell of 0.01 spread).

``net`` is CycleGAN's ResNet generator (:mod:`edgegan.models.cyclegan`): the teacher's own architecture, so the
teacher's weights start it, pruned to any width (``fit_to_state`` rebuilds pruned widths from a checkpoint).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.models.cyclegan import ResnetGenerator
from edgegan.models.loading import fit_to_state
from edgegan.models.student import apply_maps, downsample
from edgegan.registry import MODELS


def tent_weights(n: int, cells: int, dtype=torch.float32) -> Tensor:
    """(n, cells): the weight each of ``n`` pixel centres has on each of ``cells`` grid nodes under bilinear
    up-sampling with ``align_corners=False`` (coordinates clamped at the borders, as ``F.interpolate`` does)."""
    pos = ((torch.arange(n, dtype=torch.float64) + 0.5) * cells / n - 0.5).clamp(0, cells - 1)
    return (1 - (pos[:, None] - torch.arange(cells, dtype=torch.float64)[None]).abs()).clamp(min=0).to(dtype)


def solve_spd(m: Tensor, b: Tensor) -> Tensor:
    """Solve m z = b for symmetric positive-definite ``m`` (..., k, k), ``b`` (..., k, r), by a Cholesky
    factorisation written out element by element (k is small): ONNX-exportable, no linalg op."""
    k = m.shape[-1]
    low: list[list[Tensor | None]] = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            s = m[..., i, j]
            for p in range(j):
                s = s - low[i][p] * low[j][p]
            low[i][j] = torch.sqrt(s.clamp_min(1e-12)) if i == j else s / low[j][j]
    y: list[Tensor] = []  # L y = b
    for i in range(k):
        s = b[..., i, :]
        for p in range(i):
            s = s - low[i][p][..., None] * y[p]
        y.append(s / low[i][i][..., None])
    z: list[Tensor | None] = [None] * k  # L^T z = y
    for i in reversed(range(k)):
        s = y[i]
        for p in range(i + 1, k):
            s = s - low[p][i][..., None] * z[p]
        z[i] = s / low[i][i][..., None]
    return torch.stack(z, dim=-2)


def fit_maps(x: Tensor, y: Tensor, grid: int, ridge: float) -> Tensor:
    """The grid x grid field of colour-affine maps (N, 12, grid, grid) that best takes ``x`` to ``y`` (both
    (N, 3, h, w)) in the weighted least-squares sense, each pixel weighted by its bilinear weight on each node,
    with ``ridge`` (relative to each node's total weight) pulling every map towards the identity. Float32 throughout,
    also under a mixed-precision autocast (bf16 training)."""
    if torch.is_autocast_enabled(x.device.type):
        with torch.autocast(x.device.type, enabled=False):
            return fit_maps(x, y, grid, ridge)
    dtype = x.dtype
    x, y = x.float(), y.float()  # normal equations in 16-bit floats lose the small pivots (bfloat16: NaN)
    n, _, h, w = x.shape
    wy = tent_weights(h, grid, x.dtype).to(x.device)  # (h, G)
    wx = tent_weights(w, grid, x.dtype).to(x.device)  # (w, G)
    ones = torch.ones_like(x[:, :1])
    xa = torch.cat([x, ones], dim=1)  # (N, 4, h, w)
    # the moments sum_p w_p xa_i xa_j and sum_p w_p xa_i y_c at every node: products, then two MatMuls
    prods = (xa[:, :, None] * torch.cat([xa, y], dim=1)[:, None]).reshape(n, 28, h, w)
    mom = torch.matmul(wy.t(), torch.matmul(prods, wx))  # (N, 28, G, G)
    mom = mom.permute(0, 2, 3, 1).reshape(n, grid, grid, 4, 7)
    mass = mom[..., 3:4, 3:4]  # each node's total weight
    mom = mom / mass
    eye = torch.eye(4, 3, dtype=x.dtype, device=x.device)  # A^T of the identity map (rows: r, g, b, 1)
    m = mom[..., :4] + ridge * torch.eye(4, dtype=x.dtype, device=x.device)
    b = mom[..., 4:] + ridge * eye
    at = solve_spd(m, b)  # (N, G, G, 4, 3): A^T per node
    return at.permute(0, 4, 3, 1, 2).reshape(n, 12, grid, grid).to(dtype)


STEM_WEIGHT = "stem.1.weight"  # the ResnetGenerator's first convolution (after its reflection pad)


class GuidedStudent(nn.Module):
    """A CycleGAN ResNet generator run on the ``low`` x ``low`` copy of the photo, its output carried to full
    resolution by a ``grid`` x ``grid`` field of fitted colour-affine maps (see the module's docstring).
    Any input size; the network's cost is fixed by ``low``."""

    size_multiple = 1

    def __init__(
        self,
        base_channels: int = 64,
        n_blocks: int = 9,
        norm: str = "instance_affine",
        low: int = 128,
        grid: int = 4,
        ridge: float = 1e-3,
        sees: int = 1,
    ):
        super().__init__()
        if low < 4 or low % 4:
            raise ValueError(f"low must be a positive multiple of 4 (the network's two stride-2 stages), got {low}")
        if grid < 1 or grid > low:
            raise ValueError(f"grid must be between 1 and low ({low}), got {grid}")
        if sees < 1:
            raise ValueError(f"sees must be a positive whole factor, got {sees}")
        self.low, self.grid, self.ridge, self.sees = low, grid, ridge, sees
        self.net = ResnetGenerator(
            in_channels=3 * sees * sees, base_channels=base_channels, n_blocks=n_blocks, norm=norm
        )

    def load_generator(self, generator: nn.Module) -> GuidedStudent:
        """Take ``generator``'s weights (a ResnetGenerator, pruned widths included) as this student's network. With
        ``sees`` > 1 its first convolution reads each sub-pixel of a ``sees`` x ``sees`` cell at 1/sees**2 of its
        weight: the student starts as the generator run on the cell averages (the ``low`` x ``low`` copy), and
        training can learn what the finer copy adds."""
        state = {"net." + k: v for k, v in generator.state_dict().items()}
        stem = "net." + STEM_WEIGHT
        k = self.sees * self.sees
        if k > 1:  # pixel_unshuffle puts input channel c's sub-pixels at channels c*k .. c*k + k-1
            state[stem] = state[stem].repeat_interleave(k, dim=1) / k
        fit_to_state(self, state)
        self.load_state_dict(state)
        return self

    def maps(self, view: Tensor) -> Tensor:
        """The colour-affine maps (N, 12, grid, grid) from the network's view of the image (``low * sees`` square):
        the network reads it as ``low`` x ``low`` cells of sees x sees pixels (space-to-depth), and the maps are fitted
        between the cells' averages and the network's output."""
        if self.sees == 1:
            return fit_maps(view, self.net(view), self.grid, self.ridge)
        lo = F.avg_pool2d(view, self.sees)
        return fit_maps(lo, self.net(F.pixel_unshuffle(view, self.sees)), self.grid, self.ridge)

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, 3, H, W) in [-1, 1] -> (N, 3, H, W) in [-1, 1]."""
        return apply_maps(self.maps(downsample(x, self.low * self.sees)), x)


# INT8: the network's convolutions only; the fit and the per-pixel product stay float (as for the grid students)
_META = {"family": "student", "size_multiple": 1, "role": "student", "int8_ops": ["Conv", "ConvTranspose"]}
# the vintagify teacher's own shape, run at 128 px (pruned, it is the shipped guided student's network)
MODELS.register("guided_resnet", GuidedStudent, base_channels=64, n_blocks=9, low=128, grid=4, meta=_META)
MODELS.register("test_guided_resnet", GuidedStudent, base_channels=4, n_blocks=1, low=32, grid=2, meta=_META)
