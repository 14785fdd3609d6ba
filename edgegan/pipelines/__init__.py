"""Several steps in one: quantize-then-export (deploy), the demo, StyleGAN2 generation and pseudo-pairs."""
