"""Ingestion: validate operators' files and commit what passes, atomically."""

from traza.ingest.load import FileResult, LoadReport, Rejection, load_paths

__all__ = ["FileResult", "LoadReport", "Rejection", "load_paths"]
