"""The service's settings: they live in traza.core.settings, which every package may import."""

from traza.core.settings import DEV_SECRET, Settings

__all__ = ["DEV_SECRET", "Settings"]
