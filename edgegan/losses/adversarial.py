"""Adversarial losses on raw discriminator logits.

- ``vanilla``: the original GAN's cross-entropy (sigmoid applied here, stable form).
- ``lsgan``: least squares (Mao et al. 2017), CycleGAN's choice: (D(x) - 1)^2 for real, D(x)^2 for fake.
- ``wgangp``: Wasserstein critic (-mean for real, +mean for fake), with :func:`gradient_penalty`.
- ``hinge``: relu(1 - D) for real, relu(1 + D) for fake on the critic; -mean D for the generator.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from edgegan.errors import EdgeganError

GAN_MODES = ("vanilla", "lsgan", "wgangp", "hinge")


class GANLoss(nn.Module):
    def __init__(self, mode: str = "lsgan"):
        super().__init__()
        if mode not in GAN_MODES:
            raise EdgeganError(f"unknown gan_mode {mode!r}; choose one of: {', '.join(GAN_MODES)}")
        self.mode = mode

    def forward(self, logits: Tensor, target_is_real: bool, for_discriminator: bool = True) -> Tensor:
        """Loss of ``logits`` (any shape, e.g. PatchGAN's N x 1 x h x w) against real/fake."""
        logits = logits.float()  # losses in fp32 even under AMP
        if self.mode == "vanilla":
            target = torch.ones_like(logits) if target_is_real else torch.zeros_like(logits)
            return F.binary_cross_entropy_with_logits(logits, target)
        if self.mode == "lsgan":
            return F.mse_loss(logits, torch.full_like(logits, 1.0 if target_is_real else 0.0))
        if self.mode == "wgangp":
            return -logits.mean() if target_is_real else logits.mean()
        # hinge
        if not for_discriminator:
            return -logits.mean()
        return F.relu(1.0 - logits).mean() if target_is_real else F.relu(1.0 + logits).mean()


def gradient_penalty(critic: nn.Module, real: Tensor, fake: Tensor, target_norm: float = 1.0) -> Tensor:
    """WGAN-GP (Gulrajani et al. 2017): (||grad critic(x_hat)|| - 1)^2 on random interpolates x_hat."""
    alpha = torch.rand(real.shape[0], 1, 1, 1, device=real.device, dtype=real.dtype)
    x_hat = (alpha * real.detach() + (1 - alpha) * fake.detach()).requires_grad_(True)
    out = critic(x_hat)
    (grad,) = torch.autograd.grad(out.float().sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - target_norm) ** 2).mean()
