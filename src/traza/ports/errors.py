"""Refusals of port data: each names the file, the message (or line), the segment (or field)
and the reason, so the sender can fix exactly that."""

from __future__ import annotations

from dataclasses import dataclass

from traza.core.errors import TrazaError


@dataclass(frozen=True)
class Problem:
    file: str
    message: str   # CUSCAR message reference (UNH) or "line N" of a CSV
    segment: str   # "CNI #3 (segment 17)" or a CSV column
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}: {self.segment}: {self.reason}"


class PortDataRefused(TrazaError):
    """A file was refused whole (nothing of it was loaded)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"refused: {head}{more}")
