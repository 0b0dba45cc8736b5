"""What the drivers raise, named once: only the store knows DuckDB's and psycopg's exceptions."""

from __future__ import annotations

import duckdb
import psycopg

# What a driver raises for a value it or the database cannot hold: a NUL (PostgreSQL), a number
# out of range, a string that is not a date, a lone surrogate no UTF-8 encoder can write.
DATA_ERRORS: tuple[type[Exception], ...] = (psycopg.DataError, duckdb.DataError, UnicodeEncodeError)


def lost_race(exc: BaseException) -> bool:
    """The database refused a second change_heads row for one version (the other request won)."""
    if isinstance(exc, (duckdb.ConstraintException, duckdb.TransactionException)):
        # At the insert (the other change committed first) or at commit (both were open); the
        # commit-time message names only the key's values, not the table. Every other key a
        # guarded change writes comes from a sequence, so a duplicate here is change_heads'.
        return "duplicate key" in str(exc).lower()
    if isinstance(exc, psycopg.errors.UniqueViolation):
        return exc.diag.constraint_name == "change_heads_pkey"
    return isinstance(exc, psycopg.errors.SerializationFailure)
