"""Detection engines behind one small interface: create a table from a query, run a query.

SQL arrives in DuckDB's dialect; each engine transpiles it (sqlglot) to its own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

Row = tuple[Any, ...]


class Engine(ABC):
    name: str

    @abstractmethod
    def load_table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
        """Create table ``name`` from Python columns (reference data)."""

    @abstractmethod
    def create(self, name: str, sql: str) -> None:
        """Materialise the result of ``sql`` as the table ``name`` for this run."""

    @abstractmethod
    def query(self, sql: str) -> tuple[list[str], list[Row]]: ...

    def close(self) -> None:  # noqa: B027 - most engines hold nothing of their own
        """Release what the engine opened (not the database)."""
