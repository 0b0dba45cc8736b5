"""The CSV manifest (docs/formats.md, "Port manifests (CSV)"): one row per goods item, with its
vessel call, manifest, transport document and container repeated. Rows of one vessel call and
manifest number make one manifest; a file may hold many. Port events have their own CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from traza.core.rejection import Rejection
from traza.core.text import BadText, header_name, overlong_cell
from traza.ports.errors import PortDataRefused, at_line
from traza.ports.model import (
    DIRECTIONS,
    EVENT_TYPES,
    FUNCTIONS,
    SEALING_PARTIES,
    Document,
    Equipment,
    GoodsItem,
    Manifest,
    PortEvent,
    Seal,
    VesselCall,
    container_check,
)
from traza.ports.parse_common import (
    clean_cell,
    day,
    decode_utf8,
    hs6,
    limit,
    locode,
    moment,
    number,
    un_number,
)

COLUMNS = (
    "port", "direction", "vessel_name", "vessel_imo", "voyage", "carrier", "arrival", "departure",
    "manifest_number", "message_function", "transmitted_at", "bl_number", "bl_type", "master_bl",
    "shipper_name", "shipper_id", "consignee_name", "consignee_id", "notify_name", "notify_id",
    "port_original_loading", "port_loading", "port_transshipment", "port_discharge", "port_final_destination",
    "container_no", "size_type", "reefer", "full_empty", "vgm_kg", "tare_kg", "seals",
    "item_no", "packages", "package_type", "gross_kg", "description", "hs_code", "un_number", "imdg_class", "marks",
)
REQUIRED = ("port", "direction", "vessel_name", "voyage", "manifest_number", "bl_number")
EVENT_COLUMNS = ("container_no", "event_type", "occurred_at", "port", "vessel_name", "voyage", "direction",
                 "location", "detail")
_PORT_FIELDS = ("port_original_loading", "port_loading", "port_transshipment", "port_discharge",
                "port_final_destination")


def is_events(header: Iterable[str]) -> bool:
    return {"event_type", "occurred_at"} <= set(header)


def _bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("", "0", "false", "no", "n"):
        return False
    if t in ("1", "true", "yes", "y", "si", "sí", "s"):
        return True
    return None


class _Row:
    """One CSV row being read; problems collect instead of raising. Every cell is read once
    here (``clean_cell``: NFKC, invisible characters removed, controls refused, identifiers
    ASCII only, each field held to its limit); nothing downstream sees the raw text."""

    def __init__(self, file: str, line: int, raw: dict[str | None, str | list[str] | None],
                 problems: list[Rejection]) -> None:
        self.file, self.line, self.problems = file, line, problems
        self.raw: dict[str, str] = {}
        self.refused: set[str] = set()
        for col, value in raw.items():
            if col is None:  # DictReader's restkey: cells beyond the header
                extra = len(value) if isinstance(value, list) else 1
                self.bad(f"(column {len(raw)}, unnamed)",
                         f"{len(raw) - 1 + extra} fields: the header (line 1) has {len(raw) - 1}")
            elif isinstance(value, str):
                try:
                    self.raw[col] = clean_cell(value, col)
                except BadText as exc:
                    self.bad(col, exc.reason)
                    self.refused.add(col)

    def get(self, col: str) -> str:
        return (self.raw.get(col) or "").strip()

    def bad(self, col: str, reason: str) -> None:
        if col in self.refused:
            return  # its text was refused already: "'' is not a date" would only mislead
        self.problems.append(at_line(self.file, self.line, col, reason))

    def num(self, col: str) -> float | None:
        v, err = number(self.get(col), col)
        if err:
            self.bad(col, err)
        return v

    def loc(self, col: str) -> str | None:
        v, err = locode(self.get(col))
        if err:
            self.bad(col, err)
        return v

    def day(self, col: str) -> date | None:
        v, err = day(self.get(col))
        if err:
            self.bad(col, err)
        return v

    def moment(self, col: str) -> datetime | None:
        v, err = moment(self.get(col))
        if err:
            self.bad(col, err)
        return v


_PARTY_FIELDS = ("master_bl", "shipper_name", "shipper_id", "consignee_name", "consignee_id", "notify_name",
                 "notify_id")


def _agree(r: _Row, stated: dict[tuple[tuple[str, ...], str], tuple[object, int]], key: tuple[str, ...], thing: str,
           values: dict[str, tuple[object, str, object]]) -> None:
    """A field of a manifest, a bill of lading or a container repeats on each of its rows: the
    first row that states it (a non-blank cell) gives it, and a later row stating another value
    is refused, so the stored content (and the manifest's identity) cannot depend on row order."""
    for col, (obj, attr, value) in values.items():
        if not r.get(col):
            continue  # a blank cell states nothing
        shown = sorted((s.number, s.party or "") for s in value) if isinstance(value, list) else value
        first = stated.get((key, col))
        if first is None:
            stated[key, col] = (shown, r.line)
            setattr(obj, attr, value)
        elif first[0] != shown:
            r.bad(col, f"{_text(shown)} here, {_text(first[0])} on line {first[1]}: one {thing} has one {col}")


def _text(value: object) -> str:
    if isinstance(value, list):
        return "'" + ";".join(f"{n}:{p}" if p else n for n, p in value) + "'"
    return "'yes'" if value is True else "'no'" if value is False else f"'{value}'"


def _seals(r: _Row) -> list[Seal]:
    out = []
    for part in filter(None, (p.strip() for p in r.get("seals").split(";"))):
        num, _, code = part.partition(":")
        party = code.strip().upper() or None
        if party and party not in SEALING_PARTIES:
            r.bad("seals", f"sealing party {party!r}: expected one of {', '.join(SEALING_PARTIES)}")
        out.append(Seal(num.strip(), party))
    return out


def clean_header(path: Path, raw: Sequence[str]) -> list[str]:
    """The header in its one reading (``core.text.header_name``), shared by the row-by-row
    reader and the set-wise loader, so both see the same columns."""
    names = []
    for i, h in enumerate(raw, start=1):
        try:
            names.append(header_name(h, f"column {i}"))
        except BadText as exc:
            raise PortDataRefused([at_line(path.name, 1, exc.field, exc.reason)]) from exc
    return names


def check_header(path: Path, header: Sequence[str]) -> None:
    """Refuse a manifest CSV whose header lacks a required column, has one we do not know or
    names one twice (the row-by-row reader and the set-wise bulk loader give the same refusal)."""
    def named(columns: Sequence[str]) -> str:
        # an unnamed column is named by its position, so the refusal always says which
        return ",".join(c or f"(column {header.index(c) + 1}, unnamed)" for c in columns)

    if not any(header):
        raise PortDataRefused([at_line(path.name, 1, "header", "the file is empty: expected a header line and a row "
                                                               "per goods item (docs/formats.md)")])
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        raise PortDataRefused([at_line(path.name, 1, named(dup), "named twice in the header")])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise PortDataRefused([at_line(path.name, 1, named(missing), "required columns are missing")])
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise PortDataRefused([at_line(path.name, 1, named(unknown), "unknown columns (see docs/formats.md)")])


def read_manifests(path: Path, text: str | None = None) -> list[Manifest]:
    """Parse a CSV manifest file; refuse it whole (naming line and column) if any row is bad."""
    reader, body = _reader(path, text)
    problems: list[Rejection] = []
    check_header(path, reader.fieldnames or [])
    manifests: dict[tuple[str, str], Manifest] = {}
    docs: dict[tuple[str, str, str], Document] = {}
    equip: dict[tuple[str, str, str], Equipment] = {}
    stated: dict[tuple[tuple[str, ...], str], tuple[object, int]] = {}
    for line, raw in _rows(path, reader, body):
        r = _Row(path.name, line, raw, problems)
        before = len(problems)
        for col in REQUIRED:
            if not r.get(col) and col not in r.refused:
                r.bad(col, "required, empty")
        direction = r.get("direction").lower()
        if direction and direction not in DIRECTIONS:
            r.bad("direction", f"{direction!r}: expected import, export or transit")
        function = r.get("message_function").lower() or "original"
        if function not in FUNCTIONS:
            r.bad("message_function", f"{function!r}: expected original, replacement or change")
        bl_type = r.get("bl_type").lower() or "master"
        if bl_type not in ("master", "house"):
            r.bad("bl_type", f"{bl_type!r}: expected master or house")
        call = VesselCall(r.loc("port") or "", direction, r.get("vessel_name"), r.get("voyage"),
                          r.get("vessel_imo") or None, r.get("carrier") or None, r.day("arrival"), r.day("departure"))
        ports = {f: r.loc(f) for f in _PORT_FIELDS}
        reefer = _bool(r.get("reefer"))
        if reefer is None:
            r.bad("reefer", f"{r.get('reefer')!r}: expected 1/0, true/false or yes/no")
        un, err = un_number(r.get("un_number"))
        if err:
            r.bad("un_number", err)
        hs = r.get("hs_code")
        if hs and not hs6(hs):
            r.bad("hs_code", f"{hs!r}: expected at least six digits of the Harmonized System")
        item_no = r.num("item_no")
        seals = _seals(r)
        packages, gross, vgm, tare = r.num("packages"), r.num("gross_kg"), r.num("vgm_kg"), r.num("tare_kg")
        transmitted = r.moment("transmitted_at")
        if len(problems) > before:
            continue
        mkey = (call.call_id, r.get("manifest_number"))
        man = manifests.get(mkey)
        if man is None:
            man = manifests[mkey] = Manifest(call, r.get("manifest_number"), function, "csv", path.name, transmitted)
        dkey = (*mkey, r.get("bl_number"))
        doc = docs.get(dkey)
        if doc is None:
            doc = docs[dkey] = Document(
                r.get("bl_number"), f"line {line}", bl_type, r.get("master_bl") or None,
                r.get("shipper_name") or None, r.get("shipper_id") or None, r.get("consignee_name") or None,
                r.get("consignee_id") or None, r.get("notify_name") or None, r.get("notify_id") or None,
                ports["port_original_loading"], ports["port_loading"], ports["port_transshipment"],
                ports["port_discharge"], ports["port_final_destination"])
            man.documents.append(doc)
        cont_raw = r.get("container_no")
        cont = None
        if cont_raw:
            cont, ok = container_check(cont_raw)
            ekey = (*mkey, cont)
            if ekey not in equip:
                size = r.get("size_type") or None
                equip[ekey] = Equipment(cont, ok, size, bool(reefer), r.get("full_empty") or None, vgm, tare, seals)
                man.equipment.append(equip[ekey])
            if cont not in doc.containers:
                doc.containers.append(cont)
            _agree(r, stated, ekey, "container", {c: (equip[ekey], c, v) for c, v in (
                ("size_type", r.get("size_type")), ("reefer", bool(reefer)), ("full_empty", r.get("full_empty")),
                ("vgm_kg", vgm), ("tare_kg", tare), ("seals", seals))})
        _agree(r, stated, mkey, "manifest", {
            **{c: (man.call, c, getattr(call, c)) for c in ("vessel_imo", "carrier", "arrival", "departure")},
            "message_function": (man, "message_function", function), "transmitted_at": (man, "transmitted_at", transmitted)})
        _agree(r, stated, dkey, "bill of lading", {
            "bl_type": (doc, "bl_type", bl_type),
            **{c: (doc, c, r.get(c)) for c in _PARTY_FIELDS}, **{c: (doc, c, ports[c]) for c in _PORT_FIELDS}})
        doc.goods.append(GoodsItem(
            int(item_no) if item_no is not None else len(doc.goods) + 1, cont,
            int(packages) if packages is not None else None, r.get("package_type") or None, gross,
            r.get("description") or None, hs6(hs), un, r.get("imdg_class") or None, r.get("marks") or None))
    if problems:
        raise PortDataRefused(problems)
    if not manifests:
        raise PortDataRefused([at_line(path.name, 2, "rows", "the file has no rows: expected a row per goods item after the header")])
    return list(manifests.values())


def read_events(path: Path) -> list[PortEvent]:
    reader, body = _reader(path)
    problems: list[Rejection] = []
    out = []
    for line, raw in _rows(path, reader, body):
        r = _Row(path.name, line, raw, problems)
        before = len(problems)
        kind = r.get("event_type").lower()
        if kind not in EVENT_TYPES:
            r.bad("event_type", f"{kind!r}: expected one of {', '.join(EVENT_TYPES)}")
        cont_raw = r.get("container_no")
        if not cont_raw and "container_no" not in r.refused:
            r.bad("container_no", "required, empty")
        at = r.moment("occurred_at")
        if at is None and not r.get("occurred_at") and "occurred_at" not in r.refused:
            r.bad("occurred_at", "required, empty")
        call_id = None
        if r.get("port"):
            direction = r.get("direction").lower() or "export"
            call_id = VesselCall(r.loc("port") or "", direction, r.get("vessel_name"), r.get("voyage")).call_id
        if len(problems) > before or at is None:
            continue
        cont, _ok = container_check(cont_raw)
        out.append(PortEvent(cont, kind, at, call_id, r.get("location") or None, r.get("detail") or None))
    if problems:
        raise PortDataRefused(problems)
    return out


def _reader(path: Path, text: str | None = None) -> tuple[csv.DictReader[str], str]:
    """A DictReader over the file's UTF-8 text whose field names are the cleaned header."""
    body = text.removeprefix("\ufeff") if text is not None else decode_utf8(path.read_bytes(), path.name)
    reader = csv.DictReader(io.StringIO(body))
    try:
        raw = reader.fieldnames or []
    except csv.Error as exc:
        raise PortDataRefused([_unreadable(path, body, reader, [], exc)]) from exc
    reader.fieldnames = clean_header(path, raw)
    return reader, body


def _rows(path: Path, reader: csv.DictReader[str], body: str) -> Iterator[tuple[int, dict[str | None, Any]]]:
    """(line, row) pairs; a row the csv module cannot read (a cell over its 128 KiB limit, a
    stray quote) refuses the file naming the line, never a traceback."""
    rows = iter(reader)
    end = reader.line_num
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PortDataRefused([_unreadable(path, body, reader, list(reader.fieldnames or []), exc)]) from exc
        # the line the row starts on (a quoted cell may run over several)
        yield end + 1, raw
        end = reader.line_num


def _unreadable(path: Path, body: str, reader: csv.DictReader[str], header: list[str], exc: csv.Error) -> Rejection:
    line = max(reader.line_num, 1)
    if "field larger than field limit" not in str(exc):
        return at_line(path.name, line, "syntax", f"not readable as CSV: {exc}")
    # The csv module stops at its own cell limit before any field check runs: find which cell
    # it was, so the refusal still names the field and its limit.
    col = overlong_cell(body.splitlines()[line - 1] if line <= body.count("\n") + 1 else "")
    name = header[col] if col < len(header) else f"column {col + 1}"
    return at_line(path.name, line, name,
                   f"is over {csv.field_size_limit():,} characters long: expected at most {limit(name):,}")
