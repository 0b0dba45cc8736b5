"""Exceptions of the core."""

from __future__ import annotations


class TrazaError(Exception):
    """Base of traza's own errors: the message is meant for a person."""


class CatalogueError(TrazaError):
    """A reference-data file is broken. The message names file, entry and field."""

    def __init__(self, file: str, entry: str, field: str, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        super().__init__(f"{file}: entry {entry}: field {field!r}: {problem}")
