"""Malformed declarations for exercising ingestion at scale. Each is a copy of a clean row
with one field broken, placed after the block of rows its original belongs to, and listed
in truth with the column a loader should name."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from traza.sim.ledger import Arr

# kind -> (column the loader should reject, replacement values; "{v}" is the clean value)
DEFECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bad_ruc": ("declarant_ruc", ("check_digit",)),
    "short_counterparty_ruc": ("counterparty_ruc", ("truncate",)),
    "unknown_unit": ("unit", ("lb", "bbl", "saco", "cilindro", "botella")),
    "negative_quantity": ("quantity", ("-{v}",)),
    "non_numeric_quantity": ("quantity", ("doce", "1.2.5", "N/A")),
    "broken_date": ("date", ("2024-02-30", "31/12/2024", "2024-13-01", "20240507", "ayer")),
    "future_date": ("date", ("2099-01-15", "2101-06-30")),
    "unknown_chemical": ("chemical", ("sodium_cyanide", "urea", "67-64-2", "acetona pura")),
    "missing_counterparty": ("counterparty_ruc", ("",)),
    "unknown_establishment": ("establishment_code", ("0999", "9876")),
}
KINDS = tuple(DEFECTS)
CHUNK = 65536  # clean rows per block; a block's dirty rows follow it


@dataclass(frozen=True)
class Layout:
    """Where every row lands in movements.csv (0-based position after the header)."""

    clean_pos: Arr
    dirty_base: Arr  # clean row each dirty row copies, ascending
    dirty_kind: Arr  # index into KINDS
    dirty_pos: Arr
    dirty_variant: Arr  # which replacement value

    @property
    def total(self) -> int:
        return len(self.clean_pos) + len(self.dirty_base)


def plan(n_clean: int, rate: float, rng: np.random.Generator, needs_counterparty: Arr) -> Layout:
    """Choose ``rate`` x ``n_clean`` dirty rows; counterparty defects only copy rows that have one."""
    n_dirty = int(round(rate * n_clean)) if n_clean else 0
    base = np.sort(rng.choice(n_clean, size=min(n_dirty, n_clean), replace=False)) if n_dirty else np.empty(
        0, dtype=np.int64)
    kind = np.arange(len(base)) % len(KINDS)
    kind = kind[rng.permutation(len(kind))] if len(kind) else kind
    cp_kinds = [KINDS.index("short_counterparty_ruc"), KINDS.index("missing_counterparty")]
    wrong = np.isin(kind, cp_kinds) & ~needs_counterparty[base]
    kind[wrong] = KINDS.index("negative_quantity")
    variant = rng.integers(0, 1 << 30, len(base))
    chunk_of = base // CHUNK
    n_chunks = (n_clean + CHUNK - 1) // CHUNK
    before = np.searchsorted(chunk_of, np.arange(n_chunks + 1), side="left")
    j = np.arange(n_clean, dtype=np.int64)
    clean_pos = j + before[j // CHUNK]
    # After the clean rows of its block and every dirty row before it.
    dirty_pos = np.minimum((chunk_of + 1) * CHUNK, n_clean) + np.arange(len(base))
    return Layout(clean_pos, base.astype(np.int64), kind.astype(np.int8), dirty_pos.astype(np.int64), variant)


def corrupt(kind: str, variant: int, value: str) -> str:
    """The broken form of ``value`` for a defect ``kind``."""
    _, options = DEFECTS[kind]
    choice = options[variant % len(options)]
    if choice == "check_digit":
        return value[:-1] + str((int(value[-1]) + 1 + variant % 9) % 10) if value else "20000000000"
    if choice == "truncate":
        return value[:-1]
    if choice == "-{v}" and (not value or float(value) == 0.0):
        return "-1"  # "-0" would read as zero, which a stock count may be
    return choice.replace("{v}", value)
