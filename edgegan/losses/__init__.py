"""Criteria only: what a loss computes, not when it is applied (that is the objective's job)."""

from edgegan.losses.adversarial import GAN_MODES, GANLoss, gradient_penalty

__all__ = ["GAN_MODES", "GANLoss", "gradient_penalty"]
