"""Test-only re-implementation of the generators of junyanz/pytorch-CycleGAN-and-pix2pix (``models/networks.py``),
written from reading that source: the same module nesting and attribute names, so ``state_dict()`` has the
reference's exact key names and shapes (what its ``save_networks`` writes to ``latest_net_G.pth``).

U-Net: ``UnetGenerator.model`` is the outermost ``UnetSkipConnectionBlock``; every block keeps its layers in a
Sequential called ``model``, with the next-inner block inside it, so the keys nest as
``model.model.1.model.3.model.3...``. Per block the Sequential holds

    outermost   [down conv, inner block, ReLU, up conv (with bias), Tanh]
    middle      [LeakyReLU, down conv, norm, inner block, ReLU, up conv, norm] (+ Dropout(0.5) on the
                8C levels that the reference adds with use_dropout)
    innermost   [LeakyReLU, down conv, ReLU, up conv, norm]

and every block but the outermost returns its input concatenated with its output. Convolutions followed by a
norm have a bias only with instance norm (the reference's ``use_bias``).

ResNet: one Sequential ``model`` (reflection pad, 7x7 conv, norm, ReLU, two stride-2 convs, residual blocks
whose layers sit in ``conv_block``, two transposed convs, reflection pad, 7x7 conv, Tanh).
"""

from __future__ import annotations

import functools

import torch
from torch import nn


def norm_layer_for(kind: str):
    """The reference's norm choices: affine BatchNorm with running statistics, or InstanceNorm without
    affine parameters or statistics."""
    if kind == "batch":
        return functools.partial(nn.BatchNorm2d, affine=True, track_running_stats=True)
    if kind == "instance":
        return functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)
    raise ValueError(kind)


def _has_bias(norm_layer) -> bool:
    return getattr(norm_layer, "func", norm_layer) is nn.InstanceNorm2d


class UnetSkipConnectionBlock(nn.Module):
    def __init__(
        self,
        outer_nc,
        inner_nc,
        input_nc=None,
        submodule=None,
        outermost=False,
        innermost=False,
        norm_layer=nn.BatchNorm2d,
        use_dropout=False,
    ):
        super().__init__()
        self.outermost = outermost
        bias = _has_bias(norm_layer)
        in_nc = outer_nc if input_nc is None else input_nc
        down_conv = nn.Conv2d(in_nc, inner_nc, kernel_size=4, stride=2, padding=1, bias=bias)
        if outermost:
            up_conv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1)
            layers = [down_conv, submodule, nn.ReLU(True), up_conv, nn.Tanh()]
        elif innermost:
            up_conv = nn.ConvTranspose2d(inner_nc, outer_nc, kernel_size=4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down_conv, nn.ReLU(True), up_conv, norm_layer(outer_nc)]
        else:
            up_conv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1, bias=bias)
            layers = [nn.LeakyReLU(0.2, True), down_conv, norm_layer(inner_nc), submodule]
            layers += [nn.ReLU(True), up_conv, norm_layer(outer_nc)]
            if use_dropout:
                layers.append(nn.Dropout(0.5))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        y = self.model(x)
        return y if self.outermost else torch.cat([x, y], 1)


class UnetGenerator(nn.Module):
    """``num_downs`` levels: 7 is the reference's unet_128, 8 its unet_256."""

    def __init__(self, input_nc, output_nc, num_downs, ngf=64, norm_layer=nn.BatchNorm2d, use_dropout=False):
        super().__init__()
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, norm_layer=norm_layer, innermost=True)
        for _ in range(num_downs - 5):
            block = UnetSkipConnectionBlock(
                ngf * 8, ngf * 8, submodule=block, norm_layer=norm_layer, use_dropout=use_dropout
            )
        for outer, inner in ((ngf * 4, ngf * 8), (ngf * 2, ngf * 4), (ngf, ngf * 2)):
            block = UnetSkipConnectionBlock(outer, inner, submodule=block, norm_layer=norm_layer)
        self.model = UnetSkipConnectionBlock(
            output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True, norm_layer=norm_layer
        )

    def forward(self, x):
        return self.model(x)


class ResnetBlock(nn.Module):
    def __init__(self, dim, norm_layer, use_dropout, use_bias):
        super().__init__()
        layers = [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=use_bias), norm_layer(dim), nn.ReLU(True)]
        if use_dropout:
            layers.append(nn.Dropout(0.5))
        layers += [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, bias=use_bias), norm_layer(dim)]
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, norm_layer=nn.BatchNorm2d, use_dropout=False, n_blocks=6):
        super().__init__()
        bias = _has_bias(norm_layer)
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, 7, bias=bias), norm_layer(ngf), nn.ReLU(True)]
        for mult in (1, 2):
            c = ngf * mult
            layers += [nn.Conv2d(c, c * 2, 3, stride=2, padding=1, bias=bias), norm_layer(c * 2), nn.ReLU(True)]
        layers += [ResnetBlock(ngf * 4, norm_layer, use_dropout, bias) for _ in range(n_blocks)]
        for mult in (4, 2):
            c = ngf * mult
            up = nn.ConvTranspose2d(c, c // 2, 3, stride=2, padding=1, output_padding=1, bias=bias)
            layers += [up, norm_layer(c // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


def define_G(input_nc, output_nc, ngf, netG, norm="batch", use_dropout=False):
    """The reference's generator names (``--netG``), without its weight initialisation or GPU wrapping."""
    norm_layer = norm_layer_for(norm)
    if netG in ("resnet_9blocks", "resnet_6blocks"):
        n = 9 if netG == "resnet_9blocks" else 6
        return ResnetGenerator(input_nc, output_nc, ngf, norm_layer=norm_layer, use_dropout=use_dropout, n_blocks=n)
    if netG in ("unet_128", "unet_256"):
        depth = 7 if netG == "unet_128" else 8
        return UnetGenerator(input_nc, output_nc, depth, ngf, norm_layer=norm_layer, use_dropout=use_dropout)
    raise ValueError(netG)
