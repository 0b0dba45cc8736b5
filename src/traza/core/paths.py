"""Where the reference data live."""

from __future__ import annotations

from pathlib import Path

from traza.core.settings import env

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The folder of reference data: ``TRAZA_DATA_DIR`` if set, else the packaged files."""
    override = env().data_dir
    return Path(override) if override else PACKAGE_DATA
