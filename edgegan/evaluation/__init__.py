"""Measuring models: latency (bench), quality and stability (eval), what exists (catalog)."""
