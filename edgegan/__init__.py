"""edgegan: GAN style transfer from the literature to real-time on small devices."""

__version__ = "0.1.0"
