"""SUNAT's PLE format 12.1 (inventario permanente en unidades físicas) as a reader of
``traza load``: the TXT a company keeping a permanent inventory already sends SUNAT.

Each line is read here (its fields, SUNAT tables 12 and 6) into a staged row of the
movements format; the item meets the declarant's product mappings in SQL (so mappings sent
in the same call apply), and the rows then go through the movements format's own set-wise
checks, idempotency and transaction, as a CSV row or a UBL line does. A line traza cannot
take is refused naming its line, the PLE field (``campo 14 tipo de operación``), the value
and what was expected. The tables and field names are in ``ple_tables``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traza.core.jurisdiction import jurisdiction
from traza.core.text import BadText, clean_text
from traza.ingest.edge import DECLARATION_ID, shown
from traza.ingest.movement_kind import MOVEMENTS, required_by_type
from traza.ingest.ple_tables import (
    ANY_BOOK,
    FILE_NAME,
    MAX_FIELDS,
    N_FIELDS,
    OPERATIONS,
    OWN_TRANSFERS,
    PERIOD,
    PIECES,
    STATUSES,
    UNITS,
    field,
)
from traza.ingest.readers import Reader, Staged, Step
from traza.ingest.records import Records
from traza.ingest.sources import SourceFile, scan
from traza.ingest.spec import KindSpec, lit
from traza.store.workbench import put_table

if TYPE_CHECKING:
    from traza.ingest.load import FileResult, LoadRun

# The book is the e-document authority's (Peru: SUNAT): its words come from the jurisdiction.
_AUTHORITY = jurisdiction().e_documents.authority
_TAX_ID = jurisdiction().tax_id

# A PLE line names no counterparty, destination or country: what the movements format asks of
# a sale, an import or an export by type cannot be asked of it (the other party is found
# through document_ref where it has declared, see _counterparties).
PLE_MOVEMENTS: KindSpec = replace(MOVEMENTS, checks=tuple(c for c in MOVEMENTS.checks if c not in required_by_type()))

# The staged row's columns (text, as a CSV row's); the ple_* ones are kept in ``extra``.
COLUMNS = ("declaration_id", "declarant_ruc", "establishment_code", "date", "type", "item_code", "quantity",
           "unit", "pieces", "counterparty_ruc", "document_ref", "ple_period", "ple_status", "ple_operation",
           "ple_cuo", "ple_correlative", "ple_establishment", "ple_document_type", "ple_unit", "description")
# Where the movements format's checks name a column, a PLE sender is told the field.
FIELD_OF = {"declaration_id": f"{field(2)} / {field(3)}", "establishment_code": field(4), "date": field(10),
            "type": field(14), "chemical": field(7), "quantity": f"{field(17)} / {field(18)}", "unit": field(16),
            "declarant_ruc": "file name (RUC)", "document_ref": f"{field(12)} / {field(13)}"}
_NUMBER = re.compile(r"-?\d{1,12}(\.\d+)?")
_CORRELATIVE = re.compile(r"[AMC][A-Za-z0-9]{1,9}")
_ESTABLISHMENT = re.compile(r"\d{4,7}")


def ple_name(name: str) -> re.Match[str] | None:
    return FILE_NAME.fullmatch(name)


def looks_like_ple(path: Path) -> bool:
    """A .txt whose name is a PLE 12.1 name, or whose first line has the fields of one
    (19 or more, separated by ``|``, a period AAAAMM00 first)."""
    if path.suffix.lower() != ".txt":
        return False
    if ple_name(path.name):
        return True
    try:
        with path.open("rb") as fh:
            first = fh.readline(4096).decode("latin-1")
    except OSError:
        return False
    parts = first.split("|")
    return len(parts) >= N_FIELDS and PERIOD.fullmatch(parts[0].strip()) is not None


class PleReader(Reader):
    def claims(self, path: Path) -> bool:
        return looks_like_ple(path)

    def stage(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records], step: Step) -> Iterator[Staged]:
        for i, path in enumerate(paths):
            step(f"reading {path.name}", i)
            src = SourceFile(path, *scan(path), kind="ple", columns=list(COLUMNS))
            table = f"stg_ple_{i}"
            rows = read_ple(src, run.max_rows)
            put_table(run.con, table, {"__line": [r[0] for r in rows],
                                       **{c: [r[1][j] for r in rows] for j, c in enumerate(COLUMNS)}},
                      types={"__line": "BIGINT", **dict.fromkeys(COLUMNS, "VARCHAR")})
            yield Staged(src, table, len(rows), self)

    def write(self, run: LoadRun, staged: Staged, sub: int, prev: int | None) -> FileResult:
        src, c = staged.src, run.con
        if src.problems:
            c.executemany("INSERT INTO rej VALUES (?, ?, ?, ?)", [[p.line, p.column, p.value, p.reason] for p in src.problems])
        accepted = duplicate = kept_out = 0
        if not src.fatal:
            kept_out = _decide(run, staged.table)
            mov = SourceFile(src.path, src.digest, kind="movements", columns=_movement_columns(c))
            accepted, duplicate = run.validate_and_write(mov, PLE_MOVEMENTS, "ple_mov", sub)
            for column, name in FIELD_OF.items():
                c.execute("UPDATE rej SET column_name = ? WHERE column_name = ?", [name, column])
        for name in ("ple_dec", "ple_mov", "ple_other"):
            c.execute(f"DROP TABLE IF EXISTS {name}")
        lines = {p.line for p in src.problems if p.line is not None}
        return run.submit(src, "ple", sub, prev, staged.rows + len(lines) - kept_out, accepted, duplicate)


def _text(path: Path) -> str:
    """The file's text: UTF-8 when it is, else Latin-1 (the PLE's usual ANSI export), which
    reads any byte, so that a line is refused for what it says rather than for its bytes."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_ple(src: SourceFile, max_rows: int | None = None) -> list[tuple[int, list[str | None]]]:
    """The lines of ``src`` that read as movements, as (line, values of COLUMNS); every other
    line is refused in ``src.problems``."""
    name = ple_name(src.name)
    other = ANY_BOOK.fullmatch(src.name)
    if name is None and other is not None:
        src.refuse(None, "file name", src.name, f"this is PLE book {other.group(1)}, not 12.1 (120100, the "
                   "inventory in physical units): traza reads only book 12.1")
        src.fatal = True
        return []
    if name is None:
        src.refuse(None, "file name", src.name, f"the declarant's {_TAX_ID.name} comes from the file's name, as {_AUTHORITY}'s PLE "
                   f"names it: LE + {_TAX_ID.name} ({_TAX_ID.digits} digits) + period AAAAMM00 + 120100 + 00 + the indicators OIMG "
                   "(e.g. LE2010006660320240100120100001111.txt)")
        src.fatal = True
        return []
    ruc, period = name.group(1), name.group(2) + name.group(3)
    # Lines end at \n (and \r\n) only: splitlines() would also break a description at U+0085.
    lines = [x.removesuffix("\r") for x in _text(src.path).split("\n")]
    if max_rows is not None and len(lines) > max_rows:
        src.refuse(None, None, None, f"the file has {len(lines):,} lines: at most {max_rows:,} are taken in one upload")
        src.fatal = True
        return []
    out: list[tuple[int, list[str | None]]] = []
    for n, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        row = _line(src, n, text, ruc, period)
        if row is not None:
            out.append((n, row))
    return out


def _line(src: SourceFile, n: int, text: str, ruc: str, period: str) -> list[str | None] | None:
    def no(k: int | None, value: str | None, reason: str) -> None:
        src.refuse(n, field(k) if k else None, shown(value), reason)

    parts = text.split("|")
    if parts and parts[-1].strip() == "":
        parts = parts[:-1]  # each line ends with |
    if not N_FIELDS <= len(parts) <= MAX_FIELDS:
        no(None, shown(text, 120), f"the line has {len(parts)} fields: a PLE 12.1 line has {N_FIELDS} "
           f"(and up to {MAX_FIELDS} with the free-use fields), each followed by |")
        return None
    try:
        f = [clean_text(p, field(i), max_length=200).strip() for i, p in enumerate(parts[:N_FIELDS], start=1)]
    except BadText as exc:
        src.refuse(n, exc.field, None, exc.reason)
        return None
    ok = True

    def bad(k: int, reason: str) -> None:
        nonlocal ok
        ok = False
        no(k, f[k - 1], reason)

    line_period, status = f[0], f[18]
    if status not in STATUSES:
        bad(19, "expected 1 (an operation of the period), 8 (of an earlier period, not entered then) "
                "or 9 (of an earlier period, correcting what was entered then)")
    if not PERIOD.fullmatch(line_period):
        bad(1, "expected the period as AAAAMM00 (e.g. 20240100)")
    elif line_period[:6] > period:
        bad(1, f"the line's period is after the file's ({period}00, from its name)")
    elif status == "1" and line_period[:6] != period:
        bad(1, f"the line's period is not the file's ({period}00, from its name): a line of an earlier "
               "period carries estado 8 or 9 (campo 19)")
    elif status in ("8", "9") and line_period[:6] == period:
        bad(19, f"estado {status} is for a line of an earlier period, and this line's period is the file's")
    if not f[1]:
        bad(2, "the CUO (the accounting entry's unique code) is required")
    if not _CORRELATIVE.fullmatch(f[2]):
        bad(3, "expected A (opening), M (month) or C (closing) and up to 9 letters or digits (e.g. M0001)")
    if not _ESTABLISHMENT.fullmatch(f[3]):
        bad(4, "expected the establishment's 4-digit code in the RUC (and up to 3 digits of a warehouse), e.g. 0000")
    if not f[6]:
        bad(7, "the item's own code is required: it is what the product mapping names")
    day = _date(f[9])
    if day is None:
        bad(10, "expected a date DD/MM/AAAA (e.g. 31/01/2024)")
    elif PERIOD.fullmatch(line_period) and day.strftime("%Y%m") > line_period[:6]:
        bad(10, f"the document's date is after the line's period ({line_period})")
    op = OPERATIONS.get(f[13])
    if op is None:
        bad(14, f"unknown operation type: expected a code of {_AUTHORITY} table 12 (01 venta nacional, 02 compra nacional...)")
    unit = f[15].upper()
    if unit not in UNITS and unit not in PIECES:
        why = (" (a code of the first table 6: the PLE now uses the UN/ECE codes)" if unit.isdigit() else "")
        bad(16, f"unknown unit{why}: expected a UN/ECE code of {_AUTHORITY} table 6: KGM, GRM, LBR, TNE, LTR, MLT, GLL, "
                "MTQ, BLL, or a count (NIU, C62, BG, BX...) with kg_per_unit in the item's product mapping")
    if op is not None and op.carried:
        # The book's balance brought forward: traza keeps the book from the movements themselves.
        return None
    qty_in, qty_out = _number(f[16]), _number(f[17])
    for k, q in ((17, qty_in), (18, qty_out)):
        if q is None:
            bad(k, "not a number: expected digits with a dot as decimal separator, without thousands separators (e.g. 1250.50)")
    if qty_in is None or qty_out is None:
        return None
    # Entries are positive in campo 17 and exits negative in campo 18 (Anexo 2), each excluding
    # the other; many programs write exits positive: both read as the exit. A negative entry
    # reverses an earlier one.
    entry, exit_ = qty_in, abs(qty_out)
    if qty_in < 0:
        bad(17, "a negative entry reverses an earlier line: traza never edits a declaration, "
                "declare the correction in movements.csv")
    elif entry == 0 and exit_ == 0:
        bad(17, f"both quantities are zero ({field(17)} {f[16]}, {field(18)} {f[17]}): one must be greater than zero")
    elif entry != 0 and exit_ != 0:
        bad(17, f"the line records both an entry ({f[16]}) and an exit ({f[17]}): {field(17)} and {field(18)} exclude each other")
    if not ok or op is None:
        return None
    kind = op.entry if entry else op.exit
    if kind is None:
        other = op.exit if entry else op.entry
        if other is None:
            bad(14, f"operation type {f[13]} ({op.name}) is not a movement traza records: {op.why}")
        else:
            given, taken = (field(17), "an exit") if entry else (field(18), "an entry")
            bad(14, f"operation type {f[13]} ({op.name}) is {taken} in traza ({other}), and this line records it "
                    f"in {given}" + (f": {op.why}" if op.why else ""))
        return None
    target, factor = UNITS.get(unit, ("", 1.0))
    qty = (entry or exit_) * factor
    # serie-número as written; "0" is the PLE's "there is none"
    number = f[12] if f[12] not in ("", "0") else None
    document = "-".join(x for x in (f[11], number) if x and x != "0") if number else None
    return [_declaration_id(f[1], f[2], f[6]), ruc, f[3][:4], day.isoformat() if day else None, kind, f[6],
            repr(qty), target or None, "1" if unit in PIECES else None, ruc if f[13] in OWN_TRANSFERS else None,
            document, line_period, status, f[13], f[1], f[2], f[3], f[10], unit, f[14] or None]


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _declaration_id(cuo: str, correlative: str, item: str) -> str:
    """CUO, correlative and item: the entry's line in the declarant's books, the same when the
    file is sent again (or a later period's line corrects it, estado 9). Hashed when it would not
    be a declaration_id (too long, or characters outside its rule): the parts stay in ``extra``."""
    plain = f"{cuo}-{correlative}-{item}"
    if re.fullmatch(DECLARATION_ID, plain):
        return plain
    return "PLE-" + hashlib.sha256(plain.encode()).hexdigest()[:32]


def _decide(run: LoadRun, table: str) -> int:
    """Give each staged line its chemical (the declarant's product mapping of the item) and
    its other party; stage the movements as ``ple_mov`` and refuse the lines that cannot be.
    Returns how many lines are of items mapped to ``none`` (not controlled: no movement)."""
    c = run.con
    _counterparties(run, table)
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ple_dec AS
        SELECT s.*, pm.k IS NOT NULL AS m_found, pm.chemical AS m_chemical,
               try_cast(pm.kg_per_unit AS DOUBLE) AS m_kg_per_unit, o.ruc AS other_ruc
        FROM {table} s
        LEFT JOIN known_product_mappings pm ON pm.ruc = s.declarant_ruc AND pm.item_code = upper(trim(s.item_code))
        LEFT JOIN ple_other o ON o.__line = s.__line
    """)
    c.execute(f"""
        INSERT INTO rej SELECT __line, {lit(field(7))}, item_code, 'item ' || item_code || ' (' ||
            coalesce(description, 'no description') || ') of ' || declarant_ruc || ' has no product mapping: '
            || 'send it in product_mappings.csv (ruc, item_code, chemical; chemical none for an item that is '
            || 'not a controlled chemical), before this file or in the same load'
        FROM ple_dec WHERE NOT m_found
    """)
    c.execute(f"""
        INSERT INTO rej SELECT __line, {lit(field(16))}, ple_unit, 'the item ' || item_code || ' is counted in '
            || ple_unit || ': give its kg_per_unit in its product mapping (product_mappings.csv)'
        FROM ple_dec WHERE m_found AND m_chemical <> 'none' AND pieces IS NOT NULL AND m_kg_per_unit IS NULL
    """)
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ple_mov AS
        SELECT __line, declaration_id, declarant_ruc, establishment_code, date, type, m_chemical AS chemical,
            CASE WHEN pieces IS NOT NULL THEN CAST(CAST(quantity AS DOUBLE) * m_kg_per_unit AS VARCHAR) ELSE quantity END AS quantity,
            CASE WHEN pieces IS NOT NULL THEN 'kg' ELSE unit END AS unit,
            coalesce(counterparty_ruc, other_ruc) AS counterparty_ruc, document_ref,
            'ple' AS source, {', '.join(x for x in COLUMNS if x.startswith('ple_'))}, item_code, description
        FROM ple_dec
        WHERE m_found AND m_chemical <> 'none' AND (pieces IS NULL OR m_kg_per_unit IS NOT NULL)
    """)
    return int(c.execute("SELECT count(*) FROM ple_dec WHERE m_chemical = 'none'").fetchall()[0][0])


def _movement_columns(c: Any) -> list[str]:
    return [r[0] for r in c.execute("DESCRIBE ple_mov").fetchall() if r[0] != "__line"]


# The other side of an exchange, as the other party declared it: its outgoing movement for an
# incoming one of ours, and the reverse, naming us and the same document.
_OTHER_SIDE = {"purchase": ("sale", "transfer_out"), "transfer_in": ("sale", "transfer_out"),
               "import": (), "sale": ("purchase", "transfer_in"), "transfer_out": ("purchase", "transfer_in")}


def _counterparties(run: LoadRun, table: str) -> None:
    """``ple_other(__line, ruc)``: for each line naming a document, the one other party whose
    movement of that document names the declarant (the seller's guide for our purchase).
    Documents are compared with the number's leading zeros dropped (T001-00123 is T001-123),
    the two ways either side may have written it."""
    c = run.con
    norm = "upper(regexp_replace({}, '-0+([0-9])', '-\\1'))"  # the same SQL on DuckDB and PostgreSQL
    run.target.bench.fetch_for_keys(
        "ple_known", f"SELECT {norm.format('document_ref')} AS r, declarant_ruc, counterparty_ruc, type FROM movements "
        "WHERE document_ref IS NOT NULL", "r",
        f"SELECT DISTINCT {norm.format('document_ref')} AS k FROM {table} WHERE document_ref IS NOT NULL")
    pairs = " OR ".join(f"(s.type = {lit(mine)} AND k.type IN ({', '.join(lit(t) for t in theirs)}))"
                        for mine, theirs in _OTHER_SIDE.items() if theirs)
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE ple_other AS
        SELECT s.__line, min(k.declarant_ruc) AS ruc FROM {table} s
        JOIN ple_known k ON k.r = {norm.format('s.document_ref')} AND k.counterparty_ruc = s.declarant_ruc
             AND k.declarant_ruc <> s.declarant_ruc AND ({pairs})
        GROUP BY s.__line HAVING count(DISTINCT k.declarant_ruc) = 1
    """)
    c.execute("DROP TABLE IF EXISTS ple_known")
