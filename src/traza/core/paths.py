"""Where the reference data live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The folder of reference data: ``TRAZA_DATA_DIR`` if set, else the packaged files."""
    override = os.environ.get("TRAZA_DATA_DIR")
    return Path(override) if override else PACKAGE_DATA
