"""Refusals of port data, in the one shape of every refusal (``core.rejection.Rejection``):
the file, the line of a CSV or the CUSCAR message, the field or segment, and the reason, so the
sender can fix exactly that."""

from __future__ import annotations

from traza.core.errors import TrazaError
from traza.core.rejection import Rejection


def at_line(file: str, line: int, column: str | None, reason: str) -> Rejection:
    """A refusal at a line of a CSV (the header is line 1), or of an EDIFACT file's text."""
    return Rejection(file, line, column, None, reason)


def in_message(file: str, message: str | None, segment: str | None, reason: str) -> Rejection:
    """A refusal inside a CUSCAR message (``message 3``) or its ``interchange`` envelope;
    ``segment`` names the segment and element ("CNI #3 (segment 17)")."""
    return Rejection(file, None, segment, None, reason, message=message)


class PortDataRefused(TrazaError):
    """A file was refused whole (nothing of it was loaded)."""

    def __init__(self, problems: list[Rejection]) -> None:
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"refused: {head}{more}")
