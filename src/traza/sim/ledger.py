"""Columnar tables the generators pass around: orders (one transfer of goods, from which both
parties' declarations derive) and rows (declarations, one per movement).

Everything is an integer index (establishment, operator, chemical, district, country) until
the writer turns indices into text, so tens of millions of rows stay cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from traza.core.types import MOVEMENT_TYPES

Arr = npt.NDArray[Any]
T: dict[str, int] = {name: i for i, name in enumerate(MOVEMENT_TYPES)}

# Document kinds: a reference the seller issues (remission guide, shared by both sides), the
# buyer's own purchase-order number (no match on the seller's side), a customs declaration.
DOC_NONE, DOC_GUIDE, DOC_OWN, DOC_CUSTOMS = 0, 1, 2, 3


class Table:
    """Named numpy columns of equal length, with a fixed schema per subclass."""

    SCHEMA: ClassVar[dict[str, npt.DTypeLike]] = {}
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init__(self, cols: Mapping[str, Arr]) -> None:
        n = len(next(iter(cols.values()))) if cols else 0
        self.cols: dict[str, Arr] = {}
        for name, dtype in self.SCHEMA.items():
            if name in cols:
                a = np.asarray(cols[name], dtype=dtype)
                if a.shape == ():
                    a = np.full(n, a, dtype=dtype)
            else:
                a = np.full(n, self.DEFAULTS.get(name, -1), dtype=dtype)
            if len(a) != n:
                raise ValueError(f"{type(self).__name__}.{name}: {len(a)} values, expected {n}")
            self.cols[name] = a
        unknown = set(cols) - set(self.SCHEMA)
        if unknown:
            raise ValueError(f"{type(self).__name__}: unknown columns {sorted(unknown)}")

    @classmethod
    def make(cls, **cols: Any) -> Self:
        """A table from keyword columns; scalars broadcast to the length of the array columns."""
        lengths = {len(v) for v in cols.values() if np.ndim(v) == 1}
        if len(lengths) > 1:
            raise ValueError(f"{cls.__name__}: columns of different lengths {sorted(lengths)}")
        n = lengths.pop() if lengths else 0
        return cls({k: (np.full(n, v) if np.ndim(v) == 0 else np.asarray(v)) for k, v in cols.items()})

    @classmethod
    def empty(cls) -> Self:
        return cls({name: np.empty(0, dtype=dtype) for name, dtype in cls.SCHEMA.items()})

    @classmethod
    def concat(cls, parts: Sequence[Table]) -> Self:
        if not parts:
            return cls.empty()
        return cls({name: np.concatenate([p.cols[name] for p in parts]) for name in cls.SCHEMA})

    def take(self, idx: Arr) -> Self:
        return type(self)({k: v[idx] for k, v in self.cols.items()})

    def __getitem__(self, name: str) -> Arr:
        return self.cols[name]

    def __setitem__(self, name: str, values: Arr) -> None:
        self.cols[name][:] = values

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0


class Orders(Table):
    """Transfers of goods between two parties. ``buyer_est`` is -1 for a party without an
    establishment (an unregistered buyer); ``internal`` marks a transfer between two
    establishments of one operator (transfer_out / transfer_in instead of sale / purchase)."""

    SCHEMA: ClassVar[dict[str, npt.DTypeLike]] = {
        "seller": np.int32, "buyer": np.int32, "buyer_est": np.int32, "chem": np.int16,
        "day": np.int32, "lag": np.int32, "kg": np.float64, "buyer_factor": np.float64,
        "seller_declares": np.bool_, "buyer_declares": np.bool_, "use": np.bool_,
        "dest": np.int32, "doc_shared": np.bool_, "internal": np.bool_, "scheme": np.int32,
    }
    DEFAULTS: ClassVar[dict[str, Any]] = {
        "lag": 0, "buyer_factor": 1.0, "seller_declares": True, "buyer_declares": True, "use": True,
        "doc_shared": True, "internal": False,
    }


class Rows(Table):
    """Declarations: one movement each, declared by establishment ``est``."""

    SCHEMA: ClassVar[dict[str, npt.DTypeLike]] = {
        "est": np.int32, "day": np.int32, "type": np.int8, "chem": np.int16, "kg": np.float64,
        "cp": np.int32, "cp_est": np.int32, "dest": np.int32, "country": np.int16,
        "doc_kind": np.int8, "doc_est": np.int32, "doc_num": np.int64, "scheme": np.int32,
    }
    DEFAULTS: ClassVar[dict[str, Any]] = {"doc_kind": DOC_NONE}
