"""Where the reference data live."""

from __future__ import annotations

from pathlib import Path

from traza.core.settings import Environment, env

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir(settings: Environment | None = None) -> Path:
    """The folder of reference data: ``TRAZA_DATA_DIR`` if set, else the packaged files
    (``settings`` when the caller has read them already: reading costs a walk of the environment)."""
    override = (settings or env()).data_dir
    return Path(override) if override else PACKAGE_DATA
