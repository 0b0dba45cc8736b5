"""Tables handed to the loader in memory rather than as files (an API request's rows)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from traza.ingest.sources import SourceFile


@dataclass(frozen=True)
class Records:
    """Rows handed to the loader in memory (an API request's), under the name a file of them
    would have: they are read exactly as that CSV file would be, and hashed as its bytes."""

    name: str
    header: list[str]
    rows: list[list[str]]

    def source(self) -> SourceFile:
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows([self.header, *self.rows])
        digest = hashlib.sha256(text.getvalue().encode("utf-8")).hexdigest()
        return SourceFile(Path(self.name), digest, lines=1 + len(self.rows),
                          records=[list(self.header), *map(list, self.rows)])
