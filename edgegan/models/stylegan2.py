"""StyleGAN2 (Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN"), written from
the paper in plain PyTorch: no custom CUDA kernels, so the generator exports to ONNX (the reference's
fused ops are why it cannot be exported: stylegan3#57).

Generator = mapping network f: z -> w, then a synthesis network g that starts from a learned constant
4x4 tensor and, per resolution 8..R, upsamples and applies two modulated/demodulated 3x3 convolutions,
each followed by a per-pixel noise input with a learned strength; every resolution adds its RGB output
to the upsampled RGB image of the previous one ("skip" generator, paper Fig. 7).

    z (N, z_dim) ~ N(0, I) -> mapping -> w (N, w_dim) -> broadcast to ws (N, num_ws, w_dim)
    ws -> synthesis -> image (N, 3, R, R), float32, roughly in [-1, 1] (linear output, no tanh)

num_ws = 2 * log2(R) - 2 (14 at 256): the 4x4 block uses ws[0] (conv) and ws[1] (toRGB); the block at
resolution 2^k uses ws[2k-5], ws[2k-4] for its convs and ws[2k-3] for its toRGB.

Differences from the reference, all deliberate:
- Upsampling is bilinear x2 with half-pixel centres, which equals zero-insertion followed by the
  separable [1, 3, 3, 1] filter of the paper except at the border (clamped instead of zero-padded). It is
  one ONNX Resize op; the discriminator downsamples with the [1, 3, 3, 1] filter and stride 2.
- Modulation scales the activations before a shared convolution and demodulation scales them after it
  (the paper's Eq. 1-3 rearranged, the reference's "non-fused" path). The fused form needs a grouped
  convolution with groups = batch size, which an ONNX graph with a dynamic batch cannot express.
- No fp16. Activation clamping (``conv_clamp``, stylegan2-ada's guard for mixed precision) is off
  unless asked for.

``upsample="fir"`` switches the first two off for imported reference weights (edgegan.importers.stylegan2):
the up-sampling conv becomes the reference's stride-2 transposed convolution followed by the [1, 3, 3, 1]
filter (zero-padded borders), and the RGB skip path zero-insertion up-sampling with the same filter, so
the output equals rosinality/stylegan2-pytorch's and NVlabs/stylegan2-ada-pytorch's (run in float32)
to float rounding. Both are a ConvTranspose and a depthwise Conv in ONNX.

Discriminator: residual architecture (paper Fig. 7c) with a minibatch standard-deviation layer.

Variants: ``stylegan2_256`` is stylegan2-ada-pytorch's ``--cfg=paper256`` generator (the configuration
the ADA paper uses for FFHQ/LSUN at 256x256): channel_base 16384, channel_max 512 (512 channels up to
32x32, then 256, 128, 64), 8 mapping layers, z = w = 512: 24,767,458 parameters.
``stylegan2_256_f`` is the StyleGAN2 paper's config F at 256x256 (stylegan2-ada-pytorch ``--cfg=stylegan2``,
rosinality's default channel_multiplier 2): channel_base 32768 (512 channels up to 64x64, then 256, 128):
30,034,338 parameters. stylegan2-ada's ``--cfg=auto`` at 256 is ``stylegan2_256`` with mapping_layers=2.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.registry import DISCRIMINATORS, MODELS

LRELU_GAIN = math.sqrt(2.0)  # keeps activation magnitudes after leaky ReLU(0.2), as in the paper


def _lrelu(x: Tensor) -> Tensor:
    return F.leaky_relu(x, 0.2) * LRELU_GAIN


def _up2(x: Tensor) -> Tensor:
    """x2 bilinear upsampling (= [1, 3, 3, 1] FIR upsampling away from the border); ONNX Resize."""
    return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)


def _fir_kernel(x: Tensor, gain: float) -> Tensor:
    """The separable [1, 3, 3, 1] low-pass as a (C, 1, 4, 4) depthwise kernel summing to ``gain``."""
    k = torch.tensor([1.0, 3.0, 3.0, 1.0], device=x.device, dtype=x.dtype)
    k = (k[:, None] * k[None, :]) * (gain / 64.0)
    return k.expand(x.shape[1], 1, 4, 4)


def _fir_up2(x: Tensor) -> Tensor:
    """x2 up-sampling as in the reference: zeros inserted between pixels, then the [1, 3, 3, 1] filter with
    gain 4 over a zero-padded border (2 before, 1 after), which is one stride-2 transposed depthwise conv."""
    return F.conv_transpose2d(x, _fir_kernel(x, 4.0), stride=2, padding=1, groups=x.shape[1])


def _fir_smooth(x: Tensor) -> Tensor:
    """The [1, 3, 3, 1] filter with gain 4 and one zero pixel of padding: (2H + 1) -> 2H after a stride-2
    transposed 3x3 convolution (the reference's up-sampling conv)."""
    return F.conv2d(x, _fir_kernel(x, 4.0), padding=1, groups=x.shape[1])


def _blur_down2(x: Tensor) -> Tensor:
    """[1, 3, 3, 1] low-pass then stride 2 (the discriminator's anti-aliased downsampling)."""
    k = torch.tensor([1.0, 3.0, 3.0, 1.0], device=x.device, dtype=x.dtype)
    k = (k[:, None] * k[None, :]) / 64.0
    c = x.shape[1]
    return F.conv2d(x, k.expand(c, 1, 4, 4), stride=2, padding=1, groups=c)


def channels_at(res: int, channel_base: int, channel_max: int) -> int:
    """Feature maps at resolution ``res``: min(channel_base / res, channel_max), as in stylegan2-ada."""
    return min(channel_base // res, channel_max)


class EqualLinear(nn.Module):
    """Fully connected layer with equalized learning rate (ProGAN): weights stored as N(0, 1) / lr_mul
    and scaled by lr_mul / sqrt(in_features) at run time, so Adam's per-weight step is uniform.
    ``lr_mul`` < 1 slows a layer down (0.01 in the mapping network)."""

    def __init__(self, in_features: int, out_features: int, bias_init: float = 0.0, lr_mul: float = 1.0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_mul)
        self.bias = nn.Parameter(torch.full((out_features,), float(bias_init) / lr_mul))
        self.weight_gain = lr_mul / math.sqrt(in_features)
        self.lr_mul = lr_mul

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight * self.weight_gain, self.bias * self.lr_mul)


class MappingNetwork(nn.Module):
    """z (N, z_dim) -> w (N, w_dim): normalize z to unit second moment, then ``num_layers`` FC + lrelu."""

    def __init__(self, z_dim: int, w_dim: int, num_layers: int, lr_mul: float):
        super().__init__()
        dims = [z_dim] + [w_dim] * num_layers
        self.fcs = nn.ModuleList(EqualLinear(a, b, lr_mul=lr_mul) for a, b in zip(dims[:-1], dims[1:], strict=True))

    def forward(self, z: Tensor) -> Tensor:
        x = z * torch.rsqrt(z.square().mean(dim=1, keepdim=True) + 1e-8)
        for fc in self.fcs:
            x = _lrelu(fc(x))
        return x


class ModulatedConv(nn.Module):
    """Modulated (and optionally demodulated) convolution, paper Sec. 2.2, Eq. 1-3.

    s = affine(w) (bias initialized to 1); w'_ijk = s_i * w_ijk; w''_ijk = w'_ijk / sqrt(sum_ik w'^2 + eps).
    Computed as conv(x * s) * d with d_j = rsqrt(sum_i s_i^2 * sum_k w_ijk^2 + eps), which is the same
    number and exports with a dynamic batch (see the module docstring). ``up``: the conv is the reference's
    x2 up-sampling one (stride-2 transposed conv of the same weight, then the [1, 3, 3, 1] filter).
    """

    def __init__(self, in_ch: int, out_ch: int, kernel: int, w_dim: int, demodulate: bool = True, up: bool = False):
        super().__init__()
        self.affine = EqualLinear(w_dim, in_ch, bias_init=1.0)
        # A plain Conv2d (weights N(0, 1)) so MAC counters that hook nn.Conv2d see it; the equalized
        # learning rate gain is applied to the input instead of the weight (same result, linear op).
        self.conv = nn.Conv2d(in_ch, out_ch, kernel, padding=kernel // 2, bias=False)
        nn.init.normal_(self.conv.weight)
        self.weight_gain = 1.0 / math.sqrt(in_ch * kernel * kernel)
        self.demodulate = demodulate
        self.up = up

    def forward(self, x: Tensor, w: Tensor) -> Tensor:
        """x: (N, in_ch, H, W); w: (N, w_dim) -> (N, out_ch, H, W), or 2H x 2W with ``up``."""
        s = self.affine(w) * self.weight_gain  # (N, in_ch): style times the equalized-lr gain
        if self.up:
            x = F.conv_transpose2d(x * s[:, :, None, None], self.conv.weight.transpose(0, 1), stride=2)
            x = _fir_smooth(x)
        else:
            x = self.conv(x * s[:, :, None, None])
        if self.demodulate:
            wsq = self.conv.weight.square().sum(dim=(2, 3))  # (out_ch, in_ch)
            d = torch.rsqrt(s.square() @ wsq.t() + 1e-8)  # (N, out_ch)
            x = x * d[:, :, None, None]
        return x


class StyleLayer(nn.Module):
    """[x2 upsample] -> modulated 3x3 conv -> + noise * strength -> + bias -> lrelu [-> clamp]."""

    def __init__(
        self,
        in_ch: int,
        out_ch: int,
        w_dim: int,
        resolution: int,
        up: bool,
        upsample: str = "bilinear",
        conv_clamp: float | None = None,
    ):
        super().__init__()
        self.up = up and upsample == "bilinear"  # "fir": the conv up-samples itself
        self.conv_clamp = conv_clamp
        self.conv = ModulatedConv(in_ch, out_ch, 3, w_dim, up=up and upsample == "fir")
        self.noise_strength = nn.Parameter(torch.zeros(()))  # learned, starts at 0 (paper)
        self.bias = nn.Parameter(torch.zeros(out_ch))
        # A fixed noise image, saved with the weights: deterministic output for evaluation and export.
        self.register_buffer("noise_const", torch.randn(1, 1, resolution, resolution))

    def forward(self, x: Tensor, w: Tensor, noise_mode: str = "const", noise: Tensor | None = None) -> Tensor:
        if self.up:
            x = _up2(x)
        x = self.conv(x, w)
        if noise is None:
            if noise_mode == "random":
                noise = torch.randn(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device, dtype=x.dtype)
            elif noise_mode == "const":
                noise = self.noise_const
        if noise is not None:
            x = x + noise * self.noise_strength
        x = _lrelu(x + self.bias[None, :, None, None])
        return x if self.conv_clamp is None else x.clamp(-self.conv_clamp, self.conv_clamp)


class ToRGB(nn.Module):
    """Modulated 1x1 conv to RGB without demodulation (paper Fig. 2c), plus bias; linear output [clamped]."""

    def __init__(self, in_ch: int, w_dim: int, out_ch: int = 3, conv_clamp: float | None = None):
        super().__init__()
        self.conv = ModulatedConv(in_ch, out_ch, 1, w_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(out_ch))
        self.conv_clamp = conv_clamp

    def forward(self, x: Tensor, w: Tensor) -> Tensor:
        x = self.conv(x, w) + self.bias[None, :, None, None]
        return x if self.conv_clamp is None else x.clamp(-self.conv_clamp, self.conv_clamp)


class SynthesisBlock(nn.Module):
    """One resolution: (const input or x2 up) conv(s), toRGB; returns features and the running image."""

    def __init__(
        self,
        in_ch: int,
        out_ch: int,
        w_dim: int,
        resolution: int,
        upsample: str = "bilinear",
        conv_clamp: float | None = None,
    ):
        super().__init__()
        self.first = resolution == 4
        kw = dict(upsample=upsample, conv_clamp=conv_clamp)
        if self.first:
            self.const = nn.Parameter(torch.randn(out_ch, 4, 4))
            self.convs = nn.ModuleList([StyleLayer(out_ch, out_ch, w_dim, 4, up=False, **kw)])
        else:
            self.convs = nn.ModuleList(
                [
                    StyleLayer(in_ch, out_ch, w_dim, resolution, up=True, **kw),
                    StyleLayer(out_ch, out_ch, w_dim, resolution, up=False, **kw),
                ]
            )
        self.torgb = ToRGB(out_ch, w_dim, conv_clamp=conv_clamp)
        self.num_ws = len(self.convs) + 1
        self.up_image = _fir_up2 if upsample == "fir" else _up2

    def forward(self, x, img, ws: Tensor, noise_mode: str, noise: list | None = None):
        """ws: (N, num_ws, w_dim) for this block; ``noise``: optional tensor per conv (projection)."""
        if self.first:
            x = self.const[None].expand(ws.shape[0], -1, -1, -1)
        for i, layer in enumerate(self.convs):
            x = layer(x, ws[:, i], noise_mode, None if noise is None else noise[i])
        y = self.torgb(x, ws[:, len(self.convs)])
        img = y if img is None else self.up_image(img) + y
        return x, img


class SynthesisNetwork(nn.Module):
    """``channels``: feature maps per resolution 4, 8, ..., R, replacing min(channel_base / res, channel_max)
    (rosinality's channel_multiplier tables that this formula cannot express)."""

    def __init__(
        self,
        w_dim: int,
        resolution: int,
        channel_base: int,
        channel_max: int,
        channels: list[int] | None = None,
        upsample: str = "bilinear",
        conv_clamp: float | None = None,
    ):
        super().__init__()
        log2 = int(math.log2(resolution))
        if resolution < 4 or 2**log2 != resolution:
            raise ValueError(f"resolution must be a power of two >= 4, got {resolution}")
        if upsample not in ("bilinear", "fir"):
            raise ValueError(f"upsample must be 'bilinear' or 'fir', got {upsample!r}")
        self.resolutions = [2**k for k in range(2, log2 + 1)]
        if channels is not None and len(channels) != len(self.resolutions):
            raise ValueError(f"channels: one count per resolution 4..{resolution}, got {len(channels)}")
        blocks, prev = [], 0
        for i, res in enumerate(self.resolutions):
            ch = int(channels[i]) if channels is not None else channels_at(res, channel_base, channel_max)
            blocks.append(SynthesisBlock(prev, ch, w_dim, res, upsample, conv_clamp))
            prev = ch
        self.blocks = nn.ModuleList(blocks)
        # Consecutive blocks share a w: a block's toRGB uses the same index as the next block's first conv.
        self.num_ws = 2 * log2 - 2

    def noise_layers(self) -> list[StyleLayer]:
        return [layer for b in self.blocks for layer in b.convs]

    def forward(self, ws: Tensor, noise_mode: str = "const", noise: list | None = None) -> Tensor:
        """ws: (N, num_ws, w_dim) -> image (N, 3, R, R)."""
        x = img = None
        i = k = 0
        for block in self.blocks:
            n = None if noise is None else noise[k : k + len(block.convs)]
            x, img = block(x, img, ws[:, i : i + block.num_ws], noise_mode, n)
            i += block.num_ws - 1
            k += len(block.convs)
        return img


class StyleGAN2Generator(nn.Module):
    """z -> image. ``forward(z)`` uses random noise in training mode and the stored noise in eval mode.

    Args: resolution R (power of two), z_dim, w_dim, mapping_layers, mapping_lr_mul, channel_base and
    channel_max (feature maps min(channel_base / res, channel_max)), w_avg_beta (decay of the tracked
    mean w used for truncation), export_psi (truncation baked into the exported graph); for imported
    reference weights: channels (explicit feature maps per resolution), upsample ("bilinear" | "fir", see
    the module docstring) and conv_clamp (stylegan2-ada's clamp of every conv output to +-conv_clamp).
    """

    def __init__(
        self,
        resolution: int = 256,
        z_dim: int = 512,
        w_dim: int = 512,
        mapping_layers: int = 8,
        mapping_lr_mul: float = 0.01,
        channel_base: int = 16384,
        channel_max: int = 512,
        w_avg_beta: float = 0.995,
        export_psi: float = 0.7,
        channels: list[int] | None = None,
        upsample: str = "bilinear",
        conv_clamp: float | None = None,
    ):
        super().__init__()
        self.resolution, self.z_dim, self.w_dim = resolution, z_dim, w_dim
        self.w_avg_beta, self.export_psi = w_avg_beta, export_psi
        self.mapping = MappingNetwork(z_dim, w_dim, mapping_layers, mapping_lr_mul)
        self.synthesis = SynthesisNetwork(w_dim, resolution, channel_base, channel_max, channels, upsample, conv_clamp)
        self.num_ws = self.synthesis.num_ws
        self.register_buffer("w_avg", torch.zeros(w_dim))  # running mean of w, the truncation centre

    def map(self, z: Tensor, psi: float = 1.0, cutoff: int | None = None, update_w_avg: bool = False) -> Tensor:
        """z (N, z_dim) -> ws (N, num_ws, w_dim), truncated towards w_avg: w_avg + psi (w - w_avg) on the
        first ``cutoff`` ws (all when None). ``update_w_avg`` tracks the mean of w (training)."""
        w = self.mapping(z)
        if update_w_avg:
            with torch.no_grad():
                self.w_avg.copy_(w.detach().mean(0).lerp(self.w_avg, self.w_avg_beta))
        ws = w[:, None, :].expand(-1, self.num_ws, -1)
        if psi != 1.0:
            trunc = self.w_avg + psi * (ws - self.w_avg)
            if cutoff is None:
                ws = trunc
            else:
                ws = torch.cat([trunc[:, :cutoff], ws[:, cutoff:]], dim=1)
        return ws

    @staticmethod
    def mix(ws: Tensor, ws_fine: Tensor, crossover: int) -> Tensor:
        """Style mixing (paper Sec. 3.1 of StyleGAN): ws[:, :crossover] from ``ws``, the rest from ``ws_fine``."""
        return torch.cat([ws[:, :crossover], ws_fine[:, crossover:]], dim=1)

    def forward(
        self,
        z: Tensor,
        psi: float = 1.0,
        noise_mode: str | None = None,
        mix_z: Tensor | None = None,
        crossover: int | None = None,
        return_ws: bool = False,
    ):
        """z: (N, z_dim) float32 ~ N(0, I) -> image (N, 3, R, R) roughly in [-1, 1].

        ``mix_z``/``crossover``: style mixing (ws from ``crossover`` on come from ``mix_z``). In training
        mode the mean w is tracked and noise is random unless ``noise_mode`` says otherwise
        ("random" | "const" | "none"). ``return_ws`` also returns the ws fed to synthesis.
        """
        ws = self.map(z, psi, update_w_avg=self.training)
        if mix_z is not None and crossover is not None:
            ws = self.mix(ws, self.map(mix_z, psi, update_w_avg=False), crossover)
        img = self.synthesis(ws, noise_mode or ("random" if self.training else "const"))
        return (img, ws) if return_ws else img

    def export_module(self, psi: float | None = None) -> nn.Module:
        return FixedLatentGenerator(self, self.export_psi if psi is None else psi)


class FixedLatentGenerator(nn.Module):
    """The exported graph: latent (N, z_dim) -> image (N, 3, R, R), truncation fixed, stored noise.

    Random noise would make every run differ and could not be compared with ONNX Runtime."""

    def __init__(self, generator: StyleGAN2Generator, psi: float):
        super().__init__()
        self.generator = generator
        self.psi = float(psi)

    def forward(self, z: Tensor) -> Tensor:
        return self.generator(z, psi=self.psi, noise_mode="const")


# ---------------------------------------------------------------------------------------------------
# Discriminator


class EqualConv(nn.Module):
    """Conv with equalized learning rate. ``down``: [1, 3, 3, 1] blur and stride 2 before the conv (the
    reference blurs, then convolves with stride 2; downsampling first is a cheaper close variant)."""

    def __init__(self, in_ch: int, out_ch: int, kernel: int, bias: bool = True, act: bool = True, down: bool = False):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_ch, in_ch, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(out_ch)) if bias else None
        self.gain = 1.0 / math.sqrt(in_ch * kernel * kernel)
        self.act, self.down, self.padding = act, down, kernel // 2

    def forward(self, x: Tensor) -> Tensor:
        if self.down:
            x = _blur_down2(x)
        x = F.conv2d(x, self.weight * self.gain, self.bias, padding=self.padding)
        return _lrelu(x) if self.act else x


class DiscriminatorBlock(nn.Module):
    """Residual block (paper Fig. 7c): (conv3x3, conv3x3 + down) + skip(down, 1x1), scaled by 1/sqrt(2)."""

    def __init__(self, in_ch: int, out_ch: int):
        super().__init__()
        self.conv0 = EqualConv(in_ch, in_ch, 3)
        self.conv1 = EqualConv(in_ch, out_ch, 3, down=True)
        self.skip = EqualConv(in_ch, out_ch, 1, bias=False, act=False, down=True)

    def forward(self, x: Tensor) -> Tensor:
        return (self.skip(x) + self.conv1(self.conv0(x))) / math.sqrt(2.0)


class MinibatchStd(nn.Module):
    """Appends the standard deviation of features over groups of ``group_size`` samples (ProGAN), which
    lets the discriminator see a lack of variety."""

    def __init__(self, group_size: int, num_channels: int = 1):
        super().__init__()
        self.group_size, self.num_channels = group_size, num_channels

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        g = min(self.group_size, n)
        if n % g:
            g = math.gcd(n, g)  # a ragged last batch still works
        f = self.num_channels
        y = x.reshape(g, -1, f, c // f, h, w)
        y = (y - y.mean(0)).square().mean(0).add(1e-8).sqrt()  # std over the group
        y = y.mean(dim=(2, 3, 4)).reshape(-1, f, 1, 1)  # (n/g, f)
        y = y.repeat(g, 1, h, w)
        return torch.cat([x, y], dim=1)


class StyleGAN2Discriminator(nn.Module):
    """image (N, 3, R, R) in [-1, 1] -> logits (N, 1). fromRGB, residual blocks down to 4x4, minibatch
    std, conv 3x3, FC, FC -> 1."""

    def __init__(
        self,
        resolution: int = 256,
        in_channels: int = 3,
        channel_base: int = 16384,
        channel_max: int = 512,
        mbstd_group: int = 4,
        mbstd_channels: int = 1,
    ):
        super().__init__()
        log2 = int(math.log2(resolution))
        if resolution < 8 or 2**log2 != resolution:
            raise ValueError(f"resolution must be a power of two >= 8, got {resolution}")
        ch = lambda r: channels_at(r, channel_base, channel_max)  # noqa: E731
        self.fromrgb = EqualConv(in_channels, ch(resolution), 1)
        self.blocks = nn.Sequential(*[DiscriminatorBlock(ch(2**k), ch(2 ** (k - 1))) for k in range(log2, 2, -1)])
        c4 = ch(4)
        self.mbstd = MinibatchStd(mbstd_group, mbstd_channels)
        self.conv = EqualConv(c4 + mbstd_channels, c4, 3)
        self.fc = EqualLinear(c4 * 16, c4)
        self.out = EqualLinear(c4, 1)

    def forward(self, x: Tensor) -> Tensor:
        x = self.blocks(self.fromrgb(x))
        x = self.conv(self.mbstd(x))
        return self.out(_lrelu(self.fc(x.flatten(1))))


# ---------------------------------------------------------------------------------------------------
# Variants


def _latent_dim(args: dict) -> int:
    return int(args["z_dim"])


_REFERENCE_256 = {
    "parameters": 24_767_458,
    "source": (
        "NVlabs/stylegan2-ada-pytorch --cfg=paper256 generator (cbase 16384, cmax 512, map 8, z=w=512). "
        "Per-layer counts of the reference's printed layer table at 256x256 with this synthesis network "
        "sum to 23,191,522 with a 2-layer mapping (--cfg=auto); 8 mapping layers add 6 x 262,656."
    ),
}
_META = {"family": "stylegan2", "input": "latent", "latent_dim": _latent_dim, "role": "generator"}
MODELS.register("stylegan2_256", StyleGAN2Generator, resolution=256, meta=dict(_META, reference=_REFERENCE_256))
_REFERENCE_256_F = {
    "parameters": 30_034_338,
    "source": (
        "NVlabs/stylegan2-ada-pytorch --cfg=stylegan2 generator at 256x256 (cbase 32768, cmax 512, map 8), the "
        "same layers as rosinality/stylegan2-pytorch config-f (channel_multiplier 2, n_mlp 8) at 256: 512 "
        "channels up to 64x64, then 256, 128. Counted on tests/reference/stylegan2.py's re-implementations."
    ),
}
MODELS.register(
    "stylegan2_256_f",
    StyleGAN2Generator,
    resolution=256,
    channel_base=32768,
    meta=dict(_META, reference=_REFERENCE_256_F),
)
# Tiny: 32x32, 32 channels (16 at 32x32), 2 mapping layers, z = w = 64. For tests and CPU smoke runs.
_TINY = dict(resolution=32, z_dim=64, w_dim=64, mapping_layers=2, channel_base=512, channel_max=32)
MODELS.register("test_stylegan2", StyleGAN2Generator, **_TINY, meta=_META)

DISCRIMINATORS.register("stylegan2_256", StyleGAN2Discriminator, resolution=256, mbstd_group=8)
DISCRIMINATORS.register(
    "test_stylegan2", StyleGAN2Discriminator, resolution=32, channel_base=512, channel_max=32, mbstd_group=4
)
