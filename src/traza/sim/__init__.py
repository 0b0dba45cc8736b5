"""Synthetic national chemical economy with planted diversion schemes."""
