"""traza: national registry of controlled precursor chemicals and detection of their diversion."""

__version__ = "0.1.0"
