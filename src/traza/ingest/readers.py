"""The formats ``traza load`` reads, each a ``Reader``: which files it claims, how it stages
them on the load's workbench, and how a staged file is checked and written inside the load's
one transaction. ``LoadRun`` knows no format: it asks each reader in ``readers()`` order, the
first that claims a file reads it. A new format is a new reader, not an edit of the loader.

Files that traza loads through another command (cargo manifests, port events, field records)
are claimed too, and refused with the command that loads them, rather than as "a file whose
header is no v1 file"."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from traza.core import suffixes
from traza.core.errors import TrazaError
from traza.core.types import v1_kind
from traza.ingest.records import Records
from traza.ingest.sources import SourceFile, scan, stage

if TYPE_CHECKING:
    from traza.ingest.load import FileResult, LoadRun

Step = Callable[[str, int], None]  # (what, reading steps done by this reader)

SUFFIXES = (*suffixes.V1_TABLES, *suffixes.UBL)
# Found in folders too, so that they are refused naming the command that loads them
# (``ElsewhereReader``), not passed over in silence.
OTHER_SUFFIXES = (*suffixes.EDIFACT, *suffixes.GEOJSON)


class NothingToLoad(TrazaError):
    """A folder named for loading holds no file of a format traza reads."""


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the CSV/XLSX/XML/ZIP files inside named folders (sorted),
    with those of other commands' formats (refused naming the command), and the TXT files
    named as SUNAT names a PLE 12.1 book (other TXT files in a folder are no declaration)."""
    from traza.ingest.ple_tables import FILE_NAME

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            # os.walk reads each folder once and stats no file: a folder of 100,000 remission
            # guides is listed in a fraction of a second.
            found = [os.path.join(d, f) for d, _, files in os.walk(p) for f in files
                     if os.path.splitext(f)[1].lower() in SUFFIXES + OTHER_SUFFIXES or FILE_NAME.fullmatch(f)]
            if not found:
                raise NothingToLoad(f"the folder {p} holds no file traza loads (CSV, XLSX, UBL XML or ZIP, PLE 12.1 TXT)")
            out.extend(Path(f) for f in sorted(found))
        else:
            out.append(p)
    return out


@dataclass
class Staged:
    """One file (or batch of documents) read onto the workbench, waiting to be written."""

    src: SourceFile
    table: str
    rows: int
    reader: Reader


class Reader(ABC):
    """One format. An instance serves one load (it may keep what ``cost`` worked out)."""

    @abstractmethod
    def claims(self, path: Path) -> bool:
        """Whether this reader reads ``path`` (asked in ``readers()`` order; the first wins)."""

    def cost(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records]) -> int:
        """Steps of reading, for the progress bar (one per file unless the format knows better)."""
        return len(paths) + len(records)

    @abstractmethod
    def stage(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records], step: Step) -> Iterator[Staged]:
        """Read the claimed files onto ``run``'s workbench, before the transaction."""

    @abstractmethod
    def write(self, run: LoadRun, staged: Staged, sub: int, prev: int | None) -> FileResult:
        """Check and write one staged file as submission ``sub`` (inside the transaction),
        recording its rejections and its submission row."""


class TableReader(Reader):
    """The v1 tables, CSV or XLSX (and tables given in memory): anything no other reader claims."""

    def claims(self, path: Path) -> bool:
        return True

    def stage(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records], step: Step) -> Iterator[Staged]:
        items: list[Path | Records] = [*paths, *records]
        for i, item in enumerate(items):
            step(f"reading {item.name}", i)
            src = item.source() if isinstance(item, Records) else SourceFile(item, *scan(item))
            table = f"stg_{i}"
            yield Staged(src, table, stage(run.con, src, table, run.max_rows), self)

    def write(self, run: LoadRun, staged: Staged, sub: int, prev: int | None) -> FileResult:
        return run.write_table(staged, sub, prev)


class ElsewhereReader(TableReader):
    """Files another command loads: refused whole, naming that command."""

    def __init__(self, what: str, command: str, claims: Callable[[Path], bool]) -> None:
        self.what, self.command, self._claims = what, command, claims

    def claims(self, path: Path) -> bool:
        return self._claims(path)

    def stage(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records], step: Step) -> Iterator[Staged]:
        for i, path in enumerate(paths):
            step(f"reading {path.name}", i)
            src = SourceFile(path, *scan(path), fatal=True)
            how = (f"save the sheet as CSV UTF-8 and load it with `{self.command}`" if path.suffix.lower() == ".xlsx"
                   else f"traza loads it with `{self.command}`")
            src.refuse(None, None, None, f"this file holds {self.what}: {how}, not as a declaration")
            yield Staged(src, f"stg_elsewhere_{i}", 0, self)


def _is_edifact(path: Path) -> bool:
    from traza.ports.load import holds_edifact

    # By content, not name: a .edi file that is not EDIFACT is not told it is a manifest.
    return path.suffix.lower() not in (".xlsx", ".xml", ".zip") and holds_edifact(path)


def _header(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        first = ",".join(_sheet_header(path))
    elif suffix == ".csv":
        with path.open(encoding="utf-8", errors="replace", newline="") as f:
            first = f.readline()
    else:
        return []
    from traza.ports.csv_manifest import clean_header
    from traza.ports.errors import PortDataRefused

    try:
        return clean_header(path, [c.strip() for c in first.lstrip("\ufeff").split(",")])
    except PortDataRefused:  # a header no reader can name is the table reader's to refuse
        return []


def _sheet_header(path: Path) -> list[str]:
    """The first row of a workbook's first sheet ([] for one too big or unreadable: the
    table reader refuses it with its reason)."""
    from openpyxl import load_workbook

    from traza.ingest.sources import MAX_XLSX_BYTES

    if path.stat().st_size > MAX_XLSX_BYTES:
        return []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            row = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - any unreadable workbook is the table reader's to refuse
        return []
    return [str(v) for v in row if v is not None]


def _other_header(path: Path) -> list[str]:
    """The header of a CSV that is no v1 table (a v1 table may carry extra columns of any name)."""
    names = _header(path)
    return [] if v1_kind(names) else names


class _Headers:
    """The header of each file of one load, read once for all the readers that ask."""

    def __init__(self) -> None:
        self.seen: dict[Path, list[str]] = {}

    def of(self, path: Path) -> list[str]:
        if path not in self.seen:
            self.seen[path] = _other_header(path)
        return self.seen[path]


def _is_port_csv(path: Path, headers: _Headers) -> bool:
    from traza.ports.csv_manifest import REQUIRED, is_events

    names = headers.of(path)
    return bool(names) and (is_events(names) or set(REQUIRED) <= set(names))


def _is_field_file(path: Path, headers: _Headers) -> bool:
    from traza.field.model import kind_of

    if path.suffix.lower() in suffixes.GEOJSON:
        return True
    names = headers.of(path)
    return bool(names) and kind_of(names) is not None


def readers() -> list[Reader]:
    """A fresh set of readers for one load, in the order they are asked."""
    from traza.ingest.ple import PleReader
    from traza.ingest.ubl.reader import UblReader

    headers = _Headers()
    return [
        ElsewhereReader("a cargo manifest (UN/EDIFACT CUSCAR)", "traza ports load", _is_edifact),
        ElsewhereReader("cargo manifests or port events (CSV)", "traza ports load", lambda p: _is_port_csv(p, headers)),
        ElsewhereReader("field operations records", "traza field load", lambda p: _is_field_file(p, headers)),
        PleReader(),
        UblReader(),
        TableReader(),
    ]
