"""Test-only stand-ins for the two StyleGAN2 generators ``edgegan import stylegan2`` reads, written from reading
their sources (not copied), with the same module trees, so the same state-dict keys, and the same forward passes:

- rosinality/stylegan2-pytorch ``model.py`` ``Generator`` (commit history up to its latest): ``style`` (pixel
  norm + EqualLinear with lr multiplier 0.01), ``input.input``, ``conv1``/``convs`` StyledConvs whose modulated
  conv is fused (one grouped conv per batch; up-sampling = stride-2 transposed conv then a [1, 3, 3, 1] blur
  with gain 4 and padding 1), ``to_rgb1``/``to_rgbs`` (skip images up-sampled by upfirdn2d: up 2, pad (2, 1),
  gain 4), ``noises.noise_i``. Its checkpoints are ``torch.save``d dicts; see :func:`save_rosinality`.
- NVlabs/stylegan2-ada-pytorch ``training/networks.py`` ``Generator`` with ``torch_utils/ops``' reference
  (non-CUDA) semantics: ``mapping.fc{i}`` + ``w_avg``, ``synthesis.b{res}`` blocks with ``conv0``/``conv1``
  SynthesisLayers (affine, weight, bias, noise_const, noise_strength, resample_filter), ``torgb``; bias_act
  with gain sqrt(2) and ``conv_clamp``; the fused modulated conv eval mode uses in float32 (``force_fp32``:
  fp16 blocks are flagged but computed in float32, which is what edgegan reproduces). Snapshots are plain
  pickles of the modules through ``torch_utils.persistence``; :func:`save_snapshot` writes one the same way
  (every module reduced to ``_reconstruct_persistent_obj(meta)`` carrying ``module_src``, the class name and
  the ``__dict__``), and :func:`load_snapshot_unsafely` reads it back the way the real hook does (executing
  ``module_src``), to show what a naive load would run.

``channels`` (rosinality) is a test-only knob replacing the hard-coded width table, for reduced widths.
"""

from __future__ import annotations

import contextlib
import copy
import math
import pickle
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SQRT2 = math.sqrt(2.0)


def fir_kernel(taps=(1, 3, 3, 1)) -> torch.Tensor:
    k = torch.tensor(taps, dtype=torch.float32)
    k = k[:, None] * k[None, :]
    return k / k.sum()


def upfirdn2d(x, f, up=1, down=1, pad=(0, 0, 0, 0), gain=1.0):
    """Insert up-1 zeros after every pixel, zero-pad (x0, x1, y0, y1), convolve with f (a true convolution:
    the kernel flipped), keep every down-th pixel. The semantics both repositories' fallbacks share."""
    n, c, h, w = x.shape
    if up > 1:
        y = x.new_zeros(n, c, h * up, w * up)
        y[:, :, ::up, ::up] = x
        x = y
    x = F.pad(x, list(pad))
    k = (f * gain).flip([0, 1])[None, None].repeat(c, 1, 1, 1).to(x.dtype)
    return F.conv2d(x, k, groups=c)[:, :, ::down, ::down]


# ---------------------------------------------------------------------------------------------- rosinality


class PixelNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


class EqualLinear(nn.Module):
    def __init__(self, in_dim, out_dim, bias_init=0.0, lr_mul=1.0, activation=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim) / lr_mul)
        self.bias = nn.Parameter(torch.full((out_dim,), float(bias_init)))
        self.activation, self.scale, self.lr_mul = activation, lr_mul / math.sqrt(in_dim), lr_mul

    def forward(self, x):
        if self.activation:
            return F.leaky_relu(F.linear(x, self.weight * self.scale) + self.bias * self.lr_mul, 0.2) * SQRT2
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class Blur(nn.Module):
    def __init__(self, pad, gain=1.0):
        super().__init__()
        self.register_buffer("kernel", fir_kernel() * gain)
        self.pad = pad

    def forward(self, x):
        return upfirdn2d(x, self.kernel, pad=(self.pad[0], self.pad[1], self.pad[0], self.pad[1]))


class Upsample(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("kernel", fir_kernel() * 4)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, up=2, pad=(2, 1, 2, 1))


class ModulatedConv2d(nn.Module):
    def __init__(self, cin, cout, k, style_dim, demodulate=True, upsample=False):
        super().__init__()
        if upsample:
            self.blur = Blur((1, 1), gain=4)
        self.weight = nn.Parameter(torch.randn(1, cout, cin, k, k))
        self.modulation = EqualLinear(style_dim, cin, bias_init=1)
        self.scale, self.padding = 1 / math.sqrt(cin * k * k), k // 2
        self.demodulate, self.upsample, self.cout, self.k = demodulate, upsample, cout, k

    def forward(self, x, style):
        n, cin, h, w = x.shape
        weight = self.scale * self.weight * self.modulation(style).view(n, 1, cin, 1, 1)
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8).view(n, self.cout, 1, 1, 1)
        x = x.reshape(1, n * cin, h, w)
        if self.upsample:
            weight = weight.transpose(1, 2).reshape(n * cin, self.cout, self.k, self.k)
            out = F.conv_transpose2d(x, weight, stride=2, groups=n)
            return self.blur(out.view(n, self.cout, *out.shape[2:]))
        out = F.conv2d(x, weight.reshape(n * self.cout, cin, self.k, self.k), padding=self.padding, groups=n)
        return out.view(n, self.cout, *out.shape[2:])


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x, noise):
        return x + self.weight * noise


class ConstantInput(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, channels, 4, 4))


class FusedLeakyReLU(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return F.leaky_relu(x + self.bias.view(1, -1, 1, 1), 0.2) * SQRT2


class StyledConv(nn.Module):
    def __init__(self, cin, cout, style_dim, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(cin, cout, 3, style_dim, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(cout)

    def forward(self, x, style, noise):
        return self.activate(self.noise(self.conv(x, style), noise))


class ToRGB(nn.Module):
    def __init__(self, cin, style_dim, upsample=True):
        super().__init__()
        if upsample:
            self.upsample = Upsample()
        self.conv = ModulatedConv2d(cin, 3, 1, style_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

    def forward(self, x, style, skip=None):
        out = self.conv(x, style) + self.bias
        return out if skip is None else out + self.upsample(skip)


class RosinalityGenerator(nn.Module):
    def __init__(self, size, style_dim=512, n_mlp=8, channel_multiplier=2, lr_mlp=0.01, channels=None):
        super().__init__()
        cm = channel_multiplier
        table = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * cm, 128: 128 * cm, 256: 64 * cm, 512: 32 * cm}
        self.channels = dict(channels or table)
        self.style = nn.Sequential(PixelNorm(), *[EqualLinear(style_dim, style_dim, 0, lr_mlp, "fused_lrelu")
                                                  for _ in range(n_mlp)])  # fmt: skip
        self.style_dim, self.log_size = style_dim, int(math.log2(size))
        self.input = ConstantInput(self.channels[4])
        self.conv1 = StyledConv(self.channels[4], self.channels[4], style_dim)
        self.to_rgb1 = ToRGB(self.channels[4], style_dim, upsample=False)
        self.num_layers = (self.log_size - 2) * 2 + 1
        self.convs, self.upsamples, self.to_rgbs, self.noises = (
            nn.ModuleList(),
            nn.ModuleList(),
            nn.ModuleList(),
            nn.Module(),
        )
        for i in range(self.num_layers):
            r = 2 ** ((i + 5) // 2)
            self.noises.register_buffer(f"noise_{i}", torch.randn(1, 1, r, r))
        cin = self.channels[4]
        for k in range(3, self.log_size + 1):
            cout = self.channels[2**k]
            self.convs.append(StyledConv(cin, cout, style_dim, upsample=True))
            self.convs.append(StyledConv(cout, cout, style_dim))
            self.to_rgbs.append(ToRGB(cout, style_dim))
            cin = cout
        self.n_latent = self.log_size * 2 - 2

    def mean_latent(self, n, generator=None):
        return self.style(torch.randn(n, self.style_dim, generator=generator)).mean(0, keepdim=True)

    def forward(self, styles, truncation=1.0, truncation_latent=None):
        """``styles``: [z]; stored noise (randomize_noise=False); truncation as generate.py applies it."""
        styles = [self.style(s) for s in styles]
        if truncation < 1:
            styles = [truncation_latent + truncation * (s - truncation_latent) for s in styles]
        latent = styles[0].unsqueeze(1).repeat(1, self.n_latent, 1)
        noise = [getattr(self.noises, f"noise_{i}") for i in range(self.num_layers)]
        out = self.input.input.repeat(latent.shape[0], 1, 1, 1)
        out = self.conv1(out, latent[:, 0], noise[0])
        skip = self.to_rgb1(out, latent[:, 1])
        i = 1
        for c1, c2, n1, n2, rgb in zip(
            self.convs[::2], self.convs[1::2], noise[1::2], noise[2::2], self.to_rgbs, strict=True
        ):
            out = c2(c1(out, latent[:, i], n1), latent[:, i + 1], n2)
            skip = rgb(out, latent[:, i + 2], skip)
            i += 2
        return skip


def save_rosinality(path, g_ema: RosinalityGenerator, training: bool, latent_avg=None) -> None:
    """train.py's checkpoint (g, d, g_ema, optimizers, args Namespace, ada_aug_p) or convert_weight.py's
    release ({g_ema, latent_avg})."""
    import argparse

    if training:
        g = copy.deepcopy(g_ema)
        opt = torch.optim.Adam(g.parameters(), lr=0.0, betas=(0.0, 0.99))
        for p in g.parameters():
            p.grad = torch.zeros_like(p)
        opt.step()  # optimizer state with tensors in it, as after training (lr 0: weights unchanged)
        obj = {"g": g_ema.state_dict(), "d": {"convs.0.0.weight": torch.randn(8, 3, 1, 1)}, "g_ema": g_ema.state_dict(),
               "g_optim": opt.state_dict(), "d_optim": opt.state_dict(),
               "args": argparse.Namespace(size=2**g_ema.log_size, n_mlp=len(g_ema.style) - 1, channel_multiplier=2,
                                          lr=0.002, r1=10.0, augment=False, ckpt=None, wandb=False),
               "ada_aug_p": 0.0}  # fmt: skip
    else:
        obj = {"g_ema": g_ema.state_dict(), "latent_avg": latent_avg}
    torch.save(obj, path)


# ------------------------------------------------------------------------------------------------ NVlabs


def persistent(cls):
    """Record constructor arguments as ``_init_args``/``_init_kwargs``, as NVlabs' persistence decorator does."""
    init = cls.__init__

    def wrapped(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._init_args, self._init_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)

    cls.__init__ = wrapped
    return cls


def bias_act(x, b, act="linear", gain=None, clamp=None):
    x = x + b.reshape([1, -1] + [1] * (x.ndim - 2))
    if act == "lrelu":
        x = F.leaky_relu(x, 0.2)
    gain = (SQRT2 if act == "lrelu" else 1.0) if gain is None else gain
    x = x * gain if gain != 1 else x
    return x.clamp(-clamp, clamp) if clamp is not None and clamp >= 0 else x


@persistent
class FullyConnectedLayer(nn.Module):
    def __init__(self, in_features, out_features, activation="linear", lr_multiplier=1, bias_init=0):
        super().__init__()
        self.activation = activation
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_multiplier)
        self.bias = nn.Parameter(torch.full([out_features], np.float32(bias_init)))
        self.weight_gain = lr_multiplier / np.sqrt(in_features)  # a numpy float64 in the pickle, as upstream
        self.bias_gain = lr_multiplier

    def forward(self, x):
        w, b = self.weight * self.weight_gain, self.bias * self.bias_gain
        if self.activation == "linear":
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return bias_act(x.matmul(w.t()), b, act=self.activation)


def normalize_2nd_moment(x, eps=1e-8):
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


@persistent
class MappingNetwork(nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, num_ws, num_layers=8, lr_multiplier=0.01, w_avg_beta=0.995):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws = z_dim, c_dim, w_dim, num_ws
        self.num_layers, self.w_avg_beta = num_layers, w_avg_beta
        embed = w_dim if c_dim else 0
        if c_dim:
            self.embed = FullyConnectedLayer(c_dim, embed)
        feats = [z_dim + embed] + [w_dim] * num_layers
        for i in range(num_layers):
            setattr(self, f"fc{i}", FullyConnectedLayer(feats[i], feats[i + 1], "lrelu", lr_multiplier))
        self.register_buffer("w_avg", torch.zeros([w_dim]))

    def forward(self, z, c=None, truncation_psi=1.0):
        x = normalize_2nd_moment(z)
        if self.c_dim:
            x = torch.cat([x, normalize_2nd_moment(self.embed(c))], dim=1)
        for i in range(self.num_layers):
            x = getattr(self, f"fc{i}")(x)
        x = x.unsqueeze(1).repeat([1, self.num_ws, 1])
        return self.w_avg.lerp(x, truncation_psi) if truncation_psi != 1 else x


def modulated_conv2d(x, weight, styles, noise=None, up=1, padding=0, resample_filter=None, demodulate=True):
    """The fused path (eval, float32): one grouped conv with per-sample modulated/demodulated weights."""
    n = x.shape[0]
    cout, cin, kh, kw = weight.shape
    w = weight.unsqueeze(0) * styles.reshape(n, 1, -1, 1, 1)
    if demodulate:
        w = w * (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt().reshape(n, -1, 1, 1, 1)
    x = x.reshape(1, -1, *x.shape[2:])
    if up == 1:
        x = F.conv2d(x, w.reshape(-1, cin, kh, kw), padding=padding, groups=n)
    else:  # conv2d_resample's up path: transposed conv (weights not flipped), then the filter, padding 1, gain 4
        w = w.transpose(1, 2).reshape(n * cin, cout, kh, kw)
        x = upfirdn2d(F.conv_transpose2d(x, w, stride=2, groups=n), resample_filter, pad=(1, 1, 1, 1), gain=4)
    x = x.reshape(n, -1, *x.shape[2:])
    return x if noise is None else x + noise


@persistent
class SynthesisLayer(nn.Module):
    def __init__(self, cin, cout, w_dim, resolution, up=1, use_noise=True, conv_clamp=None):
        super().__init__()
        self.resolution, self.up, self.use_noise, self.activation = resolution, up, use_noise, "lrelu"
        self.conv_clamp, self.padding, self.act_gain = conv_clamp, 1, SQRT2
        self.register_buffer("resample_filter", fir_kernel())
        self.affine = FullyConnectedLayer(w_dim, cin, bias_init=1)
        self.weight = nn.Parameter(torch.randn([cout, cin, 3, 3]))
        if use_noise:
            self.register_buffer("noise_const", torch.randn([resolution, resolution]))
            self.noise_strength = nn.Parameter(torch.zeros([]))
        self.bias = nn.Parameter(torch.zeros([cout]))

    def forward(self, x, w):
        noise = self.noise_const * self.noise_strength if self.use_noise else None
        x = modulated_conv2d(x, self.weight, self.affine(w), noise, self.up, self.padding, self.resample_filter)
        return bias_act(x, self.bias, "lrelu", self.act_gain, self.conv_clamp)


@persistent
class ToRGBLayer(nn.Module):
    def __init__(self, cin, cout, w_dim, conv_clamp=None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, cin, bias_init=1)
        self.weight = nn.Parameter(torch.randn([cout, cin, 1, 1]))
        self.bias = nn.Parameter(torch.zeros([cout]))
        self.weight_gain = 1 / np.sqrt(cin)

    def forward(self, x, w):
        x = modulated_conv2d(x, self.weight, self.affine(w) * self.weight_gain, demodulate=False)
        return bias_act(x, self.bias, clamp=self.conv_clamp)


@persistent
class SynthesisBlock(nn.Module):
    def __init__(self, cin, cout, w_dim, resolution, img_channels, is_last, use_fp16=False, conv_clamp=None,
                 architecture="skip", **layer_kwargs):  # fmt: skip
        super().__init__()
        self.in_channels, self.w_dim, self.resolution, self.img_channels = cin, w_dim, resolution, img_channels
        self.is_last, self.architecture, self.use_fp16, self.channels_last = is_last, architecture, use_fp16, False
        self.register_buffer("resample_filter", fir_kernel())
        self.num_conv = self.num_torgb = 0
        if cin == 0:
            self.const = nn.Parameter(torch.randn([cout, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(cin, cout, w_dim, resolution, up=2, conv_clamp=conv_clamp, **layer_kwargs)
            self.num_conv += 1
        self.conv1 = SynthesisLayer(cout, cout, w_dim, resolution, conv_clamp=conv_clamp, **layer_kwargs)
        self.torgb = ToRGBLayer(cout, img_channels, w_dim, conv_clamp=conv_clamp)
        self.num_conv, self.num_torgb = self.num_conv + 1, 1

    def forward(self, x, img, ws):
        if self.in_channels == 0:
            x = self.conv1(self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1]), ws[:, 0])
        else:
            x = self.conv1(self.conv0(x, ws[:, 0]), ws[:, 1])
        if img is not None:
            img = upfirdn2d(img, self.resample_filter, up=2, pad=(2, 1, 2, 1), gain=4)
        y = self.torgb(x, ws[:, self.num_conv])
        return x, (y if img is None else img + y)


@persistent
class SynthesisNetwork(nn.Module):
    def __init__(self, w_dim, img_resolution, img_channels, channel_base=32768, channel_max=512, num_fp16_res=0,
                 **block_kwargs):  # fmt: skip
        super().__init__()
        self.w_dim, self.img_resolution, self.img_channels = w_dim, img_resolution, img_channels
        self.block_resolutions = [2**i for i in range(2, int(np.log2(img_resolution)) + 1)]
        ch = {r: min(channel_base // r, channel_max) for r in self.block_resolutions}
        fp16_from = max(2 ** (int(np.log2(img_resolution)) + 1 - num_fp16_res), 8)
        self.num_ws = 0
        for r in self.block_resolutions:
            block = SynthesisBlock(ch[r // 2] if r > 4 else 0, ch[r], w_dim, r, img_channels, r == img_resolution,
                                   use_fp16=r >= fp16_from, **block_kwargs)  # fmt: skip
            self.num_ws += block.num_conv + (block.num_torgb if r == img_resolution else 0)
            setattr(self, f"b{r}", block)

    def forward(self, ws):
        x = img = None
        w_idx = 0
        for r in self.block_resolutions:
            b = getattr(self, f"b{r}")
            x, img = b(x, img, ws.narrow(1, w_idx, b.num_conv + b.num_torgb))
            w_idx += b.num_conv
        return img


@persistent
class Generator(nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, img_resolution, img_channels, mapping_kwargs=None, synthesis_kwargs=None):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim = z_dim, c_dim, w_dim
        self.img_resolution, self.img_channels = img_resolution, img_channels
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, img_channels, **(synthesis_kwargs or {}))
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, c_dim, w_dim, self.num_ws, **(mapping_kwargs or {}))

    def forward(self, z, c=None, truncation_psi=1.0):
        return self.synthesis(self.mapping(z, c, truncation_psi))


@persistent
class Discriminator(nn.Module):
    """Only there so the snapshot holds a D like the real ones do (never run here)."""

    def __init__(self, img_resolution):
        super().__init__()
        self.img_resolution = img_resolution
        self.out = FullyConnectedLayer(16, 1)


# -------------------------------------------------------------- snapshots, as torch_utils.persistence writes them


class EasyDict(dict):
    """dnnlib.util.EasyDict: a dict with attribute access."""

    def __getattr__(self, name):
        return self[name]


def _reconstruct_persistent_obj(meta):
    """What NVlabs' hook does on load: run the pickled module source, then rebuild the object. (Here the class
    comes from this file when the source does not define it.)"""
    namespace: dict = {}
    exec(meta["module_src"], namespace)  # noqa: S102 -- the behaviour the importer must never reproduce
    cls = namespace.get(meta["class_name"]) or globals()[meta["class_name"]]
    obj = cls.__new__(cls)
    obj.__dict__.update(meta["state"])
    return obj


@contextlib.contextmanager
def _upstream_modules():
    """``torch_utils.persistence`` and ``dnnlib.util`` importable under their upstream names while pickling."""
    mods = {
        name: types.ModuleType(name) for name in ("torch_utils", "torch_utils.persistence", "dnnlib", "dnnlib.util")
    }
    mods["torch_utils.persistence"]._reconstruct_persistent_obj = _reconstruct_persistent_obj
    mods["dnnlib.util"].EasyDict = EasyDict
    saved = {name: sys.modules.get(name) for name in mods}
    old = (_reconstruct_persistent_obj.__module__, EasyDict.__module__)
    _reconstruct_persistent_obj.__module__, EasyDict.__module__ = "torch_utils.persistence", "dnnlib.util"
    sys.modules.update(mods)
    try:
        yield
    finally:
        _reconstruct_persistent_obj.__module__, EasyDict.__module__ = old
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod


class _PersistencePickler(pickle.Pickler):
    def __init__(self, f, module_src: str):
        super().__init__(f)
        self.module_src = module_src

    def reducer_override(self, obj):
        if isinstance(obj, nn.Module):
            meta = dict(type="class", version=6, module_src=self.module_src, class_name=type(obj).__name__,
                        state=dict(obj.__dict__))  # fmt: skip
            return _reconstruct_persistent_obj, (meta,)
        return NotImplemented


def save_snapshot(path, G: Generator, module_src: str, resolution: int) -> None:
    """training_loop.py's ``network-snapshot-*.pkl``: deep copies put in eval mode without gradients on the CPU,
    ``pickle.dump``ed as a dict; modules carry ``module_src`` (given here: the test's marker-writing code)."""

    def prep(m):
        return copy.deepcopy(m).eval().requires_grad_(False).cpu()

    data = {
        "training_set_kwargs": EasyDict(class_name="training.dataset.ImageFolderDataset", path="~/data.zip",
                                        use_labels=False, max_size=70000, xflip=True, resolution=resolution),
        "G": prep(G), "D": prep(Discriminator(resolution)), "G_ema": prep(G), "augment_pipe": None,
    }  # fmt: skip
    with _upstream_modules(), open(path, "wb") as f:
        _PersistencePickler(f, module_src).dump(data)


def load_snapshot_unsafely(path) -> dict:
    """``pickle.load`` with the upstream hook in place: executes every module's ``module_src``."""
    with _upstream_modules(), open(path, "rb") as f:
        return pickle.load(f)
