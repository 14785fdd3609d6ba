"""Test-only stand-in for znxlwm/UGATIT-pytorch's networks (``networks.py``), written from reading that
source: the same module tree and state-dict key names (``DownBlock``, ``gap_fc``/``gmp_fc``, ``conv1x1``,
``FC``, ``gamma``/``beta``, ``UpBlock1_<i>``, ``UpBlock2``), the same arithmetic (``torch.var``'s default,
unbiased, in adaILN and ILN; eps 1e-5; reflection padding; nearest up-sampling; no clipping of rho in the
forward pass), and :func:`training_checkpoint` for the container ``UGATIT.save`` writes: one dict holding the
state dicts of ``genA2B``, ``genB2A``, ``disGA``, ``disGB``, ``disLA`` and ``disLB``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def _lin_norm(x: torch.Tensor, rho: torch.Tensor, eps: float) -> torch.Tensor:
    """rho * instance-normalised x + (1 - rho) * layer-normalised x, with unbiased variances."""
    inst = (x - x.mean(dim=[2, 3], keepdim=True)) / torch.sqrt(x.var(dim=[2, 3], keepdim=True) + eps)
    layer = (x - x.mean(dim=[1, 2, 3], keepdim=True)) / torch.sqrt(x.var(dim=[1, 2, 3], keepdim=True) + eps)
    r = rho.expand(x.shape[0], -1, -1, -1)
    return r * inst + (1 - r) * layer


class adaILN(nn.Module):  # noqa: N801 - the reference's class name
    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.rho = nn.Parameter(torch.full((1, num_features, 1, 1), 0.9))

    def forward(self, x, gamma, beta):
        return _lin_norm(x, self.rho, self.eps) * gamma[:, :, None, None] + beta[:, :, None, None]


class ILN(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.rho = nn.Parameter(torch.zeros(1, num_features, 1, 1))
        self.gamma = nn.Parameter(torch.ones(1, num_features, 1, 1))
        self.beta = nn.Parameter(torch.zeros(1, num_features, 1, 1))

    def forward(self, x):
        n = x.shape[0]
        return _lin_norm(x, self.rho, self.eps) * self.gamma.expand(n, -1, -1, -1) + self.beta.expand(n, -1, -1, -1)


def _pad_conv(cin: int, cout: int, k: int, stride: int = 1) -> list[nn.Module]:
    return [nn.ReflectionPad2d(k // 2), nn.Conv2d(cin, cout, k, stride=stride, padding=0, bias=False)]


class ResnetBlock(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.conv_block = nn.Sequential(
            *_pad_conv(dim, dim, 3),
            nn.InstanceNorm2d(dim),
            nn.ReLU(True),
            *_pad_conv(dim, dim, 3),
            nn.InstanceNorm2d(dim),
        )

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetAdaILNBlock(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.pad1, self.conv1 = _pad_conv(dim, dim, 3)
        self.norm1 = adaILN(dim)
        self.relu1 = nn.ReLU(True)
        self.pad2, self.conv2 = _pad_conv(dim, dim, 3)
        self.norm2 = adaILN(dim)

    def forward(self, x, gamma, beta):
        h = self.relu1(self.norm1(self.conv1(self.pad1(x)), gamma, beta))
        return self.norm2(self.conv2(self.pad2(h)), gamma, beta) + x


class ResnetGenerator(nn.Module):
    """(N, input_nc, H, W) in [-1, 1] -> (image, cam_logit (N, 2), heatmap (N, 1, H/4, W/4))."""

    def __init__(self, input_nc=3, output_nc=3, ngf=64, n_blocks=6, img_size=256, light=False):
        super().__init__()
        self.n_blocks, self.light = n_blocks, light
        d = ngf * 4
        down = [*_pad_conv(input_nc, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
        for c in (ngf, ngf * 2):
            down += [*_pad_conv(c, c * 2, 3, stride=2), nn.InstanceNorm2d(c * 2), nn.ReLU(True)]
        down += [ResnetBlock(d) for _ in range(n_blocks)]
        self.gap_fc = nn.Linear(d, 1, bias=False)
        self.gmp_fc = nn.Linear(d, 1, bias=False)
        self.conv1x1 = nn.Conv2d(2 * d, d, kernel_size=1, stride=1, bias=True)
        self.relu = nn.ReLU(True)
        fc_in = d if light else img_size // 4 * img_size // 4 * d  # the reference's operator order
        fc = [nn.Linear(fc_in, d, bias=False), nn.ReLU(True), nn.Linear(d, d, bias=False), nn.ReLU(True)]
        self.gamma = nn.Linear(d, d, bias=False)
        self.beta = nn.Linear(d, d, bias=False)
        for i in range(n_blocks):
            setattr(self, f"UpBlock1_{i + 1}", ResnetAdaILNBlock(d))
        up: list[nn.Module] = []
        for c in (d, d // 2):
            up += [nn.Upsample(scale_factor=2, mode="nearest"), *_pad_conv(c, c // 2, 3), ILN(c // 2), nn.ReLU(True)]
        up += [*_pad_conv(ngf, output_nc, 7), nn.Tanh()]
        self.DownBlock = nn.Sequential(*down)
        self.FC = nn.Sequential(*fc)
        self.UpBlock2 = nn.Sequential(*up)

    def forward(self, x):
        x = self.DownBlock(x)
        n = x.shape[0]
        w_avg, w_max = self.gap_fc.weight, self.gmp_fc.weight
        avg_logit = self.gap_fc(F.adaptive_avg_pool2d(x, 1).view(n, -1))
        max_logit = self.gmp_fc(F.adaptive_max_pool2d(x, 1).view(n, -1))
        cam_logit = torch.cat([avg_logit, max_logit], 1)
        x = torch.cat([x * w_avg[:, :, None, None], x * w_max[:, :, None, None]], 1)
        x = self.relu(self.conv1x1(x))
        heatmap = torch.sum(x, dim=1, keepdim=True)
        style = F.adaptive_avg_pool2d(x, 1).view(n, -1) if self.light else x.view(n, -1)
        style = self.FC(style)
        gamma, beta = self.gamma(style), self.beta(style)
        for i in range(self.n_blocks):
            x = getattr(self, f"UpBlock1_{i + 1}")(x, gamma, beta)
        return self.UpBlock2(x), cam_logit, heatmap


class Discriminator(nn.Module):
    """Only its state-dict layout matters here (old-style ``spectral_norm``: weight_orig, weight_u, weight_v)."""

    def __init__(self, input_nc=3, ndf=64, n_layers=5):
        super().__init__()
        sn = nn.utils.spectral_norm
        layers, cin, cout = [], input_nc, ndf
        for i in range(n_layers - 1):
            stride = 2 if i < n_layers - 2 else 1
            layers += [
                nn.ReflectionPad2d(1),
                sn(nn.Conv2d(cin, cout, 4, stride, 0, bias=True)),
                nn.LeakyReLU(0.2, True),
            ]
            cin, cout = cout, cout * 2
        self.gap_fc = sn(nn.Linear(cin, 1, bias=False))
        self.gmp_fc = sn(nn.Linear(cin, 1, bias=False))
        self.conv1x1 = nn.Conv2d(2 * cin, cin, kernel_size=1, stride=1, bias=True)
        self.leaky_relu = nn.LeakyReLU(0.2, True)
        self.pad = nn.ReflectionPad2d(1)
        self.conv = sn(nn.Conv2d(cin, 1, 4, 1, 0, bias=False))
        self.model = nn.Sequential(*layers)


@torch.no_grad()
def randomize(net: nn.Module, seed: int) -> nn.Module:
    """Every parameter drawn at random, rho included (in [0, 1], where the reference's RhoClipper keeps it),
    with scales that keep the activations and the tanh output in a range where differences show."""
    g = torch.Generator().manual_seed(seed)
    for name, p in net.named_parameters():
        if name.endswith("rho"):
            p.copy_(torch.rand(p.shape, generator=g))
        elif name.endswith("gamma") and p.dim() == 4:  # ILN's affine scale
            p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))
        elif p.dim() == 1 or name.endswith("beta") and p.dim() == 4:
            p.copy_(0.1 * torch.randn(p.shape, generator=g))
        else:  # He-like scale over the fan-in
            p.copy_(torch.randn(p.shape, generator=g) * (1.0 / p[0].numel()) ** 0.5)
    return net.eval()


def training_checkpoint(gen_a2b: ResnetGenerator, gen_b2a: ResnetGenerator, ndf: int = 8) -> dict:
    """The dict ``UGATIT.save`` passes to ``torch.save`` (small random discriminators: only their keys matter)."""
    torch.manual_seed(0)
    params = {"genA2B": gen_a2b.state_dict(), "genB2A": gen_b2a.state_dict()}
    for name, layers in (("disGA", 7), ("disGB", 7), ("disLA", 5), ("disLB", 5)):
        params[name] = Discriminator(3, ndf, layers).state_dict()
    return params
