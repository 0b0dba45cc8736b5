# ruff: noqa: S608 - every statement here is built from this module's own column names
"""The CSV manifest and port events read set-wise on the store's workbench (DuckDB beside
any database): the same checks as ``csv_manifest``, in SQL, for files too large to walk row
by row in Python (a year at Callao is over a million rows). Used above ``BULK_ROWS`` lines.

The manifests are staged as ``store.STAGED`` and written by ``store.write_staged``, the
writer of every manifest reader, so their identity (``store.IDENTITY_SQL``) is the one rule:
the same manifest through either CSV path or as CUSCAR is the same version.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from traza.ports.csv_manifest import (
    COLUMNS,
    EVENT_COLUMNS,
    REQUIRED,
    check_header,
    clean_header,
    read_events,
    read_manifests,
)
from traza.ports.errors import PortDataRefused, at_line, in_message
from traza.ports.model import DIRECTIONS, EVENT_TYPES, FUNCTIONS, SEALING_PARTIES
from traza.ports.parse_common import limit
from traza.ports.store import (
    CALL_COLS,
    LoadResult,
    drop_staged,
    save_events,
    save_manifests,
    write_staged,
)
from traza.store.db import Database
from traza.store.workbench import Workbench, WorkbenchConnection, WorkbenchError, put_table

BULK_ROWS = 50_000
# Bytes this loader reads as they are: printable ASCII and line ends. On such a file the
# cleaning of ``core.text`` changes nothing (NFKC, invisible characters and other scripts
# need a byte over 0x7F; the controls it refuses, but for line ends, lie below 0x20), so
# DuckDB's reading and Python's agree; any other file goes through the row-by-row reader.
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\r\n"
_LOC = ("port", "port_original_loading", "port_loading", "port_transshipment", "port_discharge",
        "port_final_destination")
_NUM = ("vgm_kg", "tare_kg", "item_no", "packages", "gross_kg")
# ISO 6346 letter values are positions in this alphabet (multiples of 11 skipped), as in stdnum.
_ALPHABET = "0123456789A BCDEFGHIJK LMNOPQRSTU VWXYZ"


def _v(col: str) -> str:
    return f"nullif(trim(s.{col}), '')"


# How a call and a container are named, as ``model.VesselCall.call_id`` and ``container_check`` do.
_VESSEL = "upper(trim(regexp_replace(s.vessel_name, '\\s+', ' ', 'g')))"
_VOYAGE = "upper(trim(regexp_replace(s.voyage, '\\s+', ' ', 'g')))"
_CONT = f"upper(regexp_replace({_v('container_no')}, '[\\s-]', '', 'g'))"


# Seals compared as a set: "S2; S1:CA" states what "S1:CA;S2" does.
_SEALS_KEY = (f"array_to_string(list_sort(list_filter(list_transform(str_split({_v('seals')}, ';'), "
              "lambda x: upper(trim(x))), lambda x: x <> '')), ';')")
# What repeats on each row of a manifest, a bill of lading and a container (``csv_manifest._agree``).
_AGREE = (
    ("manifest", ("call_id", "manifest_number"),
     ("vessel_imo", "carrier", "arrival", "departure", "message_function", "transmitted_at")),
    ("bill of lading", ("call_id", "manifest_number", "bl_number"),
     ("bl_type", "master_bl", "shipper_name", "shipper_id", "consignee_name", "consignee_id", "notify_name", "notify_id",
      *_LOC[1:])),
    ("container", ("call_id", "manifest_number", "container_no"),
     ("size_type", "reefer", "full_empty", "vgm_kg", "tare_kg", "seals_key")),
)


def _disagreements(con: WorkbenchConnection, path: Path) -> None:
    """Refuse a row that states another value of a field its manifest, bill of lading or
    container was given on an earlier row (a blank cell states nothing). One aggregate per
    kind of thing gives each field's first stated value and its line; one join per kind finds
    the rows that differ."""
    parts = []
    for i, (thing, key, cols) in enumerate(_AGREE):
        firsts = ", ".join(f"arg_min({c}, line) FILTER (WHERE {c} IS NOT NULL) AS v_{c}, "
                           f"min(line) FILTER (WHERE {c} IS NOT NULL) AS l_{c}" for c in cols)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _pm_first{i} AS SELECT {', '.join(key)}, {firsts} FROM _pm "
                    f"GROUP BY {', '.join(key)}")
        on = " AND ".join(f"f.{k} = p.{k}" for k in key)
        checks = []
        for c in cols:
            name = "seals" if c == "seals_key" else c
            here, there = (f"CASE WHEN {x} THEN 'yes' ELSE 'no' END" if c == "reefer" else f"CAST({x} AS VARCHAR)"
                           for x in (f"p.{c}", f"f.v_{c}"))
            checks.append(f"CASE WHEN p.{c} <> f.v_{c} THEN struct_pack(col := '{name}', reason := chr(39) || {here} "
                          f"|| chr(39) || ' here, ' || chr(39) || {there} || chr(39) || ' on line ' "
                          f"|| CAST(f.l_{c} AS VARCHAR) || ': one {thing} has one {name}') END")
        parts.append(f"SELECT line, x.col, x.reason FROM (SELECT p.line, unnest(list_filter([{', '.join(checks)}], "
                     f"lambda x: x IS NOT NULL)) AS x FROM _pm p JOIN _pm_first{i} f ON {on})")
    try:
        rows = con.execute(f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY line, col LIMIT 200").fetchall()
    finally:
        for i in range(len(_AGREE)):
            con.execute(f"DROP TABLE IF EXISTS _pm_first{i}")
    if rows:
        raise PortDataRefused([at_line(path.name, ln, col, why) for ln, col, why in rows])


def _check_digit_ok(col: str) -> str:
    terms = " + ".join(f"(strpos('{_ALPHABET}', substr({col}, {i + 1}, 1)) - 1) * {2 ** i}" for i in range(10))
    return (f"(regexp_matches({col}, '^[A-Z]{{3}}[UJZ][0-9]{{7}}$') AND "
            f"CAST((({terms}) % 11) % 10 AS VARCHAR) = substr({col}, 11, 1))")


def _hygiene(columns: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """What ``core.text`` refuses in a plain-ASCII file (the only kind read here): a line end
    inside a cell, and a value over its field's limit; reasons as SQL expressions."""
    out = []
    for c in columns:
        out.append((c, f"regexp_matches(s.{c}, '[\r\n]')",
                    "'contains a control character (line end) at position ' || "
                    f"CAST(least(coalesce(nullif(strpos(s.{c}, chr(10)), 0), 1 << 30), "
                    f"coalesce(nullif(strpos(s.{c}, chr(13)), 0), 1 << 30)) AS VARCHAR) || ': expected printable text'"))
        out.append((c, f"length(s.{c}) > {limit(c)}",
                    f"'is ' || format('{{:,}}', length(s.{c})) || ' characters long: expected at most {limit(c):,}'"))
    return out


def _problems(con: WorkbenchConnection, path: Path, table: str, checks: list[tuple[str, str, str]]) -> None:
    """Refuse the file naming line, column and reason of every bad cell (the first 200)."""
    bad = " UNION ALL ".join(f"SELECT line, '{c}' AS col, {reason} AS reason FROM {table} s WHERE {cond}"
                             for c, cond, reason in checks)
    problems = con.execute(f"SELECT * FROM ({bad}) ORDER BY line, col LIMIT 200").fetchall()
    if problems:
        raise PortDataRefused([at_line(path.name, ln, col, why) for ln, col, why in problems])


def _read_raw(con: WorkbenchConnection, path: Path, table: str, columns: tuple[str, ...],
              check: bool = False) -> None:
    """The file as a table of its cells, columns named by the one reading of its header
    (``csv_manifest.clean_header``), not by DuckDB's own."""
    with path.open(encoding="utf-8", newline="") as f:
        names = clean_header(path, next(csv.reader(f), []))
    if check:
        check_header(path, names)
    cols = ", ".join(c if c in names else f"CAST(NULL AS VARCHAR) AS {c}" for c in columns)
    given = "[" + ", ".join("'" + n.replace("'", "''") + "'" for n in names) + "]"
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {cols}, row_number() OVER () + 1 AS line "
                    f"FROM read_csv(?, header = true, all_varchar = true, names = {given})", [str(path)])
    except WorkbenchError as exc:
        raise PortDataRefused([in_message(path.name, None, "syntax", f"not readable as CSV: {str(exc).splitlines()[0]}")]) from exc


def _checks() -> list[tuple[str, str, str]]:
    """(column, SQL condition that is true on a bad row, reason)."""
    out = [(c, f"{_v(c)} IS NULL", "required, empty") for c in REQUIRED]
    dirs = ", ".join(f"'{d}'" for d in DIRECTIONS)
    funcs = ", ".join(f"'{f}'" for f in FUNCTIONS)
    out += [
        ("direction", f"{_v('direction')} IS NOT NULL AND lower({_v('direction')}) NOT IN ({dirs})",
         "expected import, export or transit"),
        ("message_function", f"{_v('message_function')} IS NOT NULL AND lower({_v('message_function')}) NOT IN ({funcs})",
         "expected original, replacement or change"),
        ("bl_type", f"{_v('bl_type')} IS NOT NULL AND lower({_v('bl_type')}) NOT IN ('master', 'house')",
         "expected master or house"),
        ("reefer", f"{_v('reefer')} IS NOT NULL AND lower({_v('reefer')}) NOT IN "
         "('0', '1', 'true', 'false', 'yes', 'no', 'y', 'n', 'si', 'sí', 's')", "expected 1/0, true/false or yes/no"),
        ("un_number", f"{_v('un_number')} IS NOT NULL AND NOT regexp_matches(upper({_v('un_number')}), '^(UN)?\\s?[0-9]{{4}}$')",
         "not a UN number (four digits, e.g. 1090)"),
        ("hs_code", f"{_v('hs_code')} IS NOT NULL AND length(regexp_replace({_v('hs_code')}, '[^0-9]', '', 'g')) < 6",
         "expected at least six digits of the Harmonized System"),
        ("seals", f"{_v('seals')} IS NOT NULL AND NOT regexp_matches(upper({_v('seals')}), "
         f"'^[^:;]+(:({'|'.join(SEALING_PARTIES)}))?( *; *[^:;]+(:({'|'.join(SEALING_PARTIES)}))?)* *;? *$')",
         f"expected number:party;... with party one of {', '.join(SEALING_PARTIES)}"),
        ("transmitted_at", f"{_v('transmitted_at')} IS NOT NULL AND TRY_CAST(replace({_v('transmitted_at')}, 'T', ' ') AS TIMESTAMP) IS NULL",
         "expected YYYY-MM-DDTHH:MM[:SS]"),
    ]
    out += [(c, f"{_v(c)} IS NOT NULL AND NOT regexp_matches(upper(replace({_v(c)}, ' ', '')), '^[A-Z]{{2}}[A-Z2-9]{{3}}$')",
             "not a UN/LOCODE (two letters of country, three of place, e.g. PECLL)") for c in _LOC]
    out += [(c, f"{_v(c)} IS NOT NULL AND coalesce(TRY_CAST({_v(c)} AS DOUBLE) < 0, true)", "expected a number, zero or more")
            for c in _NUM]
    out += [(c, f"{_v(c)} IS NOT NULL AND TRY_CAST({_v(c)} AS DATE) IS NULL", "expected YYYY-MM-DD")
            for c in ("arrival", "departure")]
    return out


def load_csv_bulk(db: Database, path: Path, user: str | None = None) -> LoadResult:
    if not plain(path):  # only a plain-ASCII file reads the same here as in Python
        return save_manifests(db, read_manifests(path), path.name, user)
    bench = db.workbench()
    try:
        con = bench.con
        _read_raw(con, path, "_pm_raw", COLUMNS, check=True)
        _problems(con, path, "_pm_raw", _hygiene(COLUMNS) + [(c, cond, f"'{why}'") for c, cond, why in _checks()])
        if not _one(con, "SELECT count(*) FROM _pm_raw"):
            raise PortDataRefused([at_line(path.name, 2, "rows", "the file has no rows: expected a row per goods item after the header")])
        for sql in _typed_sql():
            con.execute(sql)
        _disagreements(con, path)
        _stage(con)
        with db.transaction():
            return write_staged(bench, path.name, user)
    finally:
        drop_staged(bench)
        bench.drop("_pm_raw", "_pm", "_pm_rows", "_pm_eq")
        bench.close()


def plain(path: Path) -> bool:
    with path.open("rb") as f:
        # deleting the plain bytes leaves the others: a few times faster than a regex (0.07 s for 100 MB, cached, here)
        return not any(chunk.translate(None, _PLAIN_BYTES) for chunk in iter(lambda: f.read(1 << 22), b""))


def _one(con: WorkbenchConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _typed_sql() -> list[str]:
    loc = {c: f"upper(replace({_v(c)}, ' ', ''))" for c in _LOC}
    return [f"""
        CREATE OR REPLACE TEMP TABLE _pm AS
        WITH calls AS (
            SELECT DISTINCT s.port AS r_port, s.vessel_name AS r_vessel, s.voyage AS r_voyage, s.direction AS r_dir,
                   {loc['port']} || '|' || {_VESSEL} || '|' || {_VOYAGE} || '|' || lower(trim(s.direction)) AS call_id
            FROM _pm_raw s)
        SELECT s.line, c.call_id,
               {loc['port']} AS port, lower(trim(s.direction)) AS direction, trim(s.vessel_name) AS vessel_name,
               trim(s.voyage) AS voyage, {_v('vessel_imo')} AS vessel_imo, {_v('carrier')} AS carrier,
               TRY_CAST({_v('arrival')} AS DATE) AS arrival, TRY_CAST({_v('departure')} AS DATE) AS departure,
               trim(s.manifest_number) AS manifest_number,
               lower({_v('message_function')}) AS message_function,
               TRY_CAST(replace({_v('transmitted_at')}, 'T', ' ') AS TIMESTAMP) AS transmitted_at,
               trim(s.bl_number) AS bl_number, lower({_v('bl_type')}) AS bl_type,
               {_v('master_bl')} AS master_bl, {_v('shipper_name')} AS shipper_name, {_v('shipper_id')} AS shipper_id,
               {_v('consignee_name')} AS consignee_name, {_v('consignee_id')} AS consignee_id,
               {_v('notify_name')} AS notify_name, {_v('notify_id')} AS notify_id,
               {loc['port_original_loading']} AS port_original_loading, {loc['port_loading']} AS port_loading,
               {loc['port_transshipment']} AS port_transshipment, {loc['port_discharge']} AS port_discharge,
               {loc['port_final_destination']} AS port_final_destination,
               {_CONT} AS container_no, {_v('size_type')} AS size_type,
               lower({_v('reefer')}) IN ('1', 'true', 'yes', 'y', 'si', 'sí', 's') AS reefer,
               {_v('full_empty')} AS full_empty, TRY_CAST({_v('vgm_kg')} AS DOUBLE) AS vgm_kg,
               TRY_CAST({_v('tare_kg')} AS DOUBLE) AS tare_kg, {_v('seals')} AS seals, {_SEALS_KEY} AS seals_key,
               TRY_CAST(TRY_CAST({_v('item_no')} AS DOUBLE) AS INTEGER) AS item_no,
               TRY_CAST(TRY_CAST({_v('packages')} AS DOUBLE) AS BIGINT) AS packages,
               {_v('package_type')} AS package_type, TRY_CAST({_v('gross_kg')} AS DOUBLE) AS gross_kg,
               {_v('description')} AS description,
               CASE WHEN {_v('hs_code')} IS NULL THEN NULL
                    ELSE substr(regexp_replace({_v('hs_code')}, '[^0-9]', '', 'g'), 1, 6) END AS hs_code,
               CASE WHEN {_v('un_number')} IS NULL THEN NULL ELSE right({_v('un_number')}, 4) END AS un_number,
               {_v('imdg_class')} AS imdg_class, {_v('marks')} AS marks
        -- plain equality (a hash join): the four are required, so never null once checked
        FROM _pm_raw s JOIN calls c ON c.r_port = s.port AND c.r_vessel = s.vessel_name
         AND c.r_voyage = s.voyage AND c.r_dir = s.direction"""]


def _first(col: str) -> str:
    # the value the rows state (once ``_disagreements`` passed, every stated one is the same)
    return f"arg_min({col}, line) FILTER (WHERE {col} IS NOT NULL)"


def _stage(c: WorkbenchConnection) -> None:
    """The typed rows as ``store.STAGED``: a manifest is the rows of one call and manifest
    number, ``ord`` its first line, and each call's, document's and container's fields come
    from its first row (``arg_min_null`` by line: one hash aggregate, no sort of every row,
    and, unlike ``arg_min``, it keeps that row's NULLs as the row-by-row reader does)."""
    call_cols = CALL_COLS[1:]
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ps_manifests AS
        SELECT min(line) AS ord, call_id, {', '.join(f'{_first(col)} AS {col}' for col in call_cols)},
               manifest_number, coalesce(max(message_function), 'original') AS message_function,
               'csv' AS source_format, max(transmitted_at) AS transmitted_at
        FROM _pm GROUP BY call_id, manifest_number""")
    # An item with no number takes its place in its document; numbering needs a sort of every row
    # by document and line, paid only when some item lacks a number.
    numbered = _one(c, "SELECT count(*) FROM _pm WHERE item_no IS NULL") == 0
    k_doc = ("CAST(NULL AS BIGINT)" if numbered else
             "row_number() OVER (PARTITION BY m.ord, p.bl_number ORDER BY p.line)")
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pm_rows AS
        SELECT p.*, m.ord, {k_doc} AS k_doc
        FROM _pm p JOIN _ps_manifests m ON m.call_id = p.call_id AND m.manifest_number = p.manifest_number""")
    doc_cols = ("bl_type", "master_bl", "shipper_name", "shipper_id", "consignee_name", "consignee_id", "notify_name",
                "notify_id", "port_original_loading", "port_loading", "port_transshipment", "port_discharge",
                "port_final_destination")
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ps_port_documents AS
        SELECT ord, bl_number, coalesce(bl_type, 'master') AS bl_type, {', '.join(doc_cols[1:])}, packages, gross_kg, description, hs_codes, un_numbers,
               'line ' || CAST(line AS VARCHAR) AS source_ref
        FROM (SELECT ord, bl_number, {', '.join(f'{_first(col)} AS {col}' for col in doc_cols)},
                     min(line) AS line, sum(packages) AS packages, sum(gross_kg) AS gross_kg,
                     string_agg(DISTINCT description, ' | ' ORDER BY description) AS description,
                     string_agg(DISTINCT hs_code, ',' ORDER BY hs_code) AS hs_codes,
                     string_agg(DISTINCT un_number, ',' ORDER BY un_number) AS un_numbers
              FROM _pm_rows GROUP BY ord, bl_number)""")
    c.execute("""
        CREATE OR REPLACE TEMP TABLE _ps_port_goods_items AS
        SELECT ord, bl_number, coalesce(item_no, CAST(k_doc AS INTEGER)) AS item_no, container_no, packages,
               package_type, gross_kg, description, hs_code, un_number, imdg_class, marks FROM _pm_rows""")
    first = ", ".join(f"{_first(col)} AS {col}" for col in ("size_type", "full_empty", "vgm_kg", "tare_kg", "seals"))
    c.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pm_eq AS
        SELECT ord, container_no, {_check_digit_ok('container_no')} AS check_digit_ok, size_type, reefer,
               full_empty, vgm_kg, tare_kg, seals
        FROM (SELECT ord, container_no, {first}, coalesce(bool_or(reefer), false) AS reefer FROM _pm_rows
              WHERE container_no IS NOT NULL
              GROUP BY ord, container_no)""")
    c.execute("CREATE OR REPLACE TEMP TABLE _ps_port_equipment AS SELECT ord, container_no, check_digit_ok, "
              "size_type, reefer, full_empty, vgm_kg, tare_kg FROM _pm_eq")
    c.execute("""
        CREATE OR REPLACE TEMP TABLE _ps_port_seals AS
        SELECT ord, container_no, trim(split_part(part, ':', 1)) AS seal_number,
               nullif(upper(trim(split_part(part, ':', 2))), '') AS sealing_party
        FROM (SELECT ord, container_no, unnest(str_split(seals, ';')) AS part FROM _pm_eq WHERE seals IS NOT NULL)
        WHERE trim(part) <> ''""")
    c.execute("""
        CREATE OR REPLACE TEMP TABLE _ps_port_document_containers AS
        SELECT DISTINCT ord, bl_number, container_no FROM _pm_rows WHERE container_no IS NOT NULL""")


def load_events_bulk(db: Database, path: Path) -> LoadResult:
    """Port events set-wise: the checks of ``csv_manifest.read_events`` in SQL."""
    if not plain(path):  # only a plain-ASCII file reads the same here as in Python
        return save_events(db, read_events(path), path.name)
    bench = db.workbench()
    try:
        return _load_events(db, bench, path)
    finally:
        bench.drop("_pe_raw", "_pe", "_pe_known", "_pe_load")
        bench.close()


def _load_events(db: Database, bench: Workbench, path: Path) -> LoadResult:
    con, res = bench.con, LoadResult(path.name)
    _read_raw(con, path, "_pe_raw", EVENT_COLUMNS)
    _problems(con, path, "_pe_raw", _hygiene(EVENT_COLUMNS))
    kinds = ", ".join(f"'{k}'" for k in EVENT_TYPES)
    at = f"TRY_CAST(replace({_v('occurred_at')}, 'T', ' ') AS TIMESTAMP)"
    _problems(con, path, "_pe_raw", [
        ("event_type", f"coalesce(lower({_v('event_type')}), '') NOT IN ({kinds})", f"'expected one of {kinds.replace(chr(39), '')}'"),
        ("container_no", f"{_v('container_no')} IS NULL", "'required, empty'"),
        ("occurred_at", f"{at} IS NULL", "'expected YYYY-MM-DDTHH:MM[:SS]'")])
    call = (f"CASE WHEN {_v('port')} IS NULL THEN NULL ELSE upper(replace(s.port, ' ', '')) || '|' || {_VESSEL} || '|' "
            f"|| {_VOYAGE} || '|' || coalesce(lower({_v('direction')}), 'export') END")
    # the key is ``PortEvent.key``'s text and digest, so both paths agree on identity
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pe AS
        SELECT DISTINCT md5(concat_ws('|', c, k, CAST(t AS VARCHAR), coalesce(call_id, ''), coalesce(loc, ''),
                                      coalesce(detail, ''))) AS event_key, call_id, c, k, t, loc, detail
        FROM (SELECT DISTINCT v.call_id, {_CONT} AS c, lower(trim(s.event_type)) AS k, {at} AS t,
                     {_v('location')} AS loc, {_v('detail')} AS detail
              FROM _pe_raw s
              -- a call's identity is worked out once per distinct call, not once per event
              JOIN (SELECT DISTINCT port, vessel_name, voyage, direction, {call} AS call_id FROM _pe_raw s) v
                ON v.port IS NOT DISTINCT FROM s.port AND v.vessel_name IS NOT DISTINCT FROM s.vessel_name
               AND v.voyage IS NOT DISTINCT FROM s.voyage AND v.direction IS NOT DISTINCT FROM s.direction)""")
    put_table(con, "_pe_load", {"file_name": [path.name], "recorded_at": [datetime.now(UTC).replace(tzinfo=None)]},
              types={"file_name": "VARCHAR", "recorded_at": "TIMESTAMP"})
    with db.transaction():
        bench.fetch_for_keys("_pe_known", "SELECT event_key AS k FROM port_events", "k", "SELECT event_key AS k FROM _pe")
        new = "FROM _pe e, _pe_load l WHERE e.event_key NOT IN (SELECT k FROM _pe_known)"
        res.events_new = _one(con, f"SELECT count(*) {new}")
        bench.write("port_events", ("event_key", "call_id", "container_no", "event_type", "occurred_at", "location",
                                    "detail", "file_name", "recorded_at"),
                    f"SELECT e.event_key, e.call_id, e.c, e.k, e.t, e.loc, e.detail, l.file_name, l.recorded_at {new}")
    return res
