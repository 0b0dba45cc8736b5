"""The one shape of a refusal, whatever the file: the file, where in it, the field, the value
and what was expected. Registry files, UBL documents, cargo manifests and field files all
refuse in these words, so the API, the web pages, the CLI and the stored rejections show
them alike.

Where in the file is either a ``line`` of a table (the header is line 1) or, for a file of
documents, the ``message`` (a CUSCAR message reference, a UBL document's name) with
``column`` naming the segment or element inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int | None
    column: str | None  # the field; an XPath or a segment inside a document
    value: str | None   # the refused value as it may be shown (escaped, cut short), if any
    reason: str         # what was wrong and what was expected
    message: str | None = None  # the document inside the file, when there is no line

    @property
    def where(self) -> str:
        """The place in the file, as a sender reads it: ``line 7`` or the document."""
        if self.line is not None:
            return f"line {self.line}"
        return self.message or ""

    def __str__(self) -> str:
        parts = [self.file, self.where, self.column or ""]
        return ": ".join(p for p in parts if p) + f": {self.reason}"


def unnamed(line: int | None, column: str | None, value: str | None, reason: str) -> Rejection:
    """A refusal found by a reader of text that does not know the file's name; the loader
    names it (``named``)."""
    return Rejection("", line, column, value, reason)


def named(rejections: Iterable[Rejection], file: str) -> list[Rejection]:
    return [replace(r, file=file) for r in rejections]
