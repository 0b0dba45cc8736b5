"""Ingestion: validate operators' files and commit what passes, atomically."""

from traza.core.rejection import Rejection
from traza.ingest.load import FileResult, LoadReport, load_paths

__all__ = ["FileResult", "LoadReport", "Rejection", "load_paths"]
