# ruff: noqa: S608 - every statement here is built from this module's own table and column names
"""Writing manifests and port events: one transaction per file, versions never overwritten.

Every manifest reader (CUSCAR, the CSV row by row, the CSV set-wise in ``csv_bulk``) stages
what it read as the same workbench tables (``STAGED``: one row per manifest, document, goods
item, container, seal and document-container link, keyed by the manifest's place ``ord`` in
its file); ``write_staged`` is the one writer. A manifest's identity is ``IDENTITY_SQL``, a
digest of its staged rows, so the same manifest sent as CSV (either path) or as CUSCAR is the
same version, and re-sending a file changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from traza.core.rejection import Rejection
from traza.ports.model import Manifest, PortEvent
from traza.store.db import Database
from traza.store.workbench import Workbench, WorkbenchConnection, put_table, scratch


@dataclass
class LoadResult:
    file: str
    manifests_new: int = 0
    manifests_unchanged: int = 0
    amendments: int = 0
    documents: int = 0
    containers: int = 0
    events_new: int = 0
    bad_check_digits: list[str] = field(default_factory=list)
    # kept, but the operator should know (a missing UNZ, a UNT count that does not match...)
    warnings: list[Rejection] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


CALL_COLS = ("call_id", "port", "direction", "vessel_name", "vessel_imo", "voyage", "carrier", "arrival", "departure")
CHILD_COLS: dict[str, tuple[str, ...]] = {
    "port_documents": ("bl_number", "bl_type", "master_bl", "shipper_name", "shipper_id", "consignee_name",
                       "consignee_id", "notify_name", "notify_id", "port_original_loading", "port_loading",
                       "port_transshipment", "port_discharge", "port_final_destination", "packages", "gross_kg",
                       "description", "hs_codes", "un_numbers", "source_ref"),
    "port_goods_items": ("bl_number", "item_no", "container_no", "packages", "package_type", "gross_kg",
                         "description", "hs_code", "un_number", "imdg_class", "marks"),
    "port_equipment": ("container_no", "check_digit_ok", "size_type", "reefer", "full_empty", "vgm_kg", "tare_kg"),
    "port_seals": ("container_no", "seal_number", "sealing_party"),
    "port_document_containers": ("bl_number", "container_no"),
}
# The staged tables (``_ps_<name>``) and their columns; ``ord`` is the manifest's place in its file.
STAGED: dict[str, tuple[str, ...]] = {
    "manifests": ("ord", *CALL_COLS, "manifest_number", "message_function", "source_format", "transmitted_at"),
    **{t: ("ord", *cols) for t, cols in CHILD_COLS.items()},
}
_TYPES = {"ord": "BIGINT", "packages": "BIGINT", "item_no": "INTEGER", "gross_kg": "DOUBLE", "vgm_kg": "DOUBLE",
          "tare_kg": "DOUBLE", "check_digit_ok": "BOOLEAN", "reefer": "BOOLEAN", "arrival": "DATE",
          "departure": "DATE", "transmitted_at": "TIMESTAMP"}
# What a manifest's identity leaves out: the format it came in, where a document sat in its
# file, and what is worked out from the rest (a document's totals, a check digit's verdict).
_NOT_CONTENT = {"ord", "source_format", "source_ref", "packages", "gross_kg", "description", "hs_codes",
                "un_numbers", "check_digit_ok"}
_NOT_CONTENT_OF = {"port_goods_items": {"ord"}}  # an item's own packages, weight and text are content


def _types_of(name: str) -> dict[str, str]:
    """The workbench types of a staged table's columns (text unless said otherwise)."""
    return {c: _TYPES.get(c, "VARCHAR") for c in STAGED[name]}


def _content(name: str) -> str:
    skip = _NOT_CONTENT_OF.get(name, _NOT_CONTENT)
    return ", ".join(f"{c} := {c}" for c in STAGED[name] if c not in skip)


# One digest per staged manifest: of the sorted digests of its rows (so the order of lines
# or segments is not content), each the JSON of the row's content columns as typed here.
IDENTITY_SQL = "SELECT ord, sha256(string_agg(h, ',' ORDER BY h)) AS content_hash FROM (" + " UNION ALL ".join(
    f"SELECT ord, '{name}:' || md5(CAST(to_json(struct_pack({_content(name)})) AS VARCHAR)) AS h FROM _ps_{name}"
    for name in STAGED) + ") GROUP BY ord"


def stage_manifests(con: WorkbenchConnection, manifests: Sequence[Manifest]) -> None:
    """The parsed manifests as the staged tables."""
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in STAGED}
    for ord_, m in enumerate(manifests, 1):
        c = m.call
        rows["manifests"].append((ord_, c.call_id, c.port, c.direction, c.vessel_name, c.vessel_imo, c.voyage,
                                  c.carrier, c.arrival, c.departure, m.manifest_number, m.message_function,
                                  m.source_format, m.transmitted_at))
        for d in m.documents:
            rows["port_documents"].append((
                ord_, d.bl_number, d.bl_type, d.master_bl, d.shipper_name, d.shipper_id, d.consignee_name,
                d.consignee_id, d.notify_name, d.notify_id, d.port_original_loading, d.port_loading,
                d.port_transshipment, d.port_discharge, d.port_final_destination, d.packages, d.gross_kg,
                d.joined("description", " | "), d.joined("hs_code"), d.joined("un_number"), d.source_ref))
            rows["port_goods_items"] += [(ord_, d.bl_number, g.item_no, g.container_no, g.packages, g.package_type,
                                          g.gross_kg, g.description, g.hs_code, g.un_number, g.imdg_class, g.marks)
                                         for g in d.goods]
            rows["port_document_containers"] += [(ord_, d.bl_number, cont) for cont in d.containers]
        for e in m.equipment:
            rows["port_equipment"].append((ord_, e.container_no, e.check_digit_ok, e.size_type, e.reefer,
                                           e.full_empty, e.vgm_kg, e.tare_kg))
            rows["port_seals"] += [(ord_, e.container_no, s.number, s.party) for s in e.seals]
    for name, cols in STAGED.items():
        put_table(con, f"_ps_{name}", {c: [r[i] for r in rows[name]] for i, c in enumerate(cols)},
                  types=_types_of(name))


def content_hashes(manifests: Sequence[Manifest]) -> list[str]:
    """The identity of each manifest, as ``write_staged`` computes it (for a parser's tests
    and tools: a DuckDB of its own)."""
    with scratch() as con:
        stage_manifests(con, manifests)
        return [r[0] for r in con.execute(f"SELECT content_hash FROM ({IDENTITY_SQL}) ORDER BY ord").fetchall()]


def save_manifests(db: Database, manifests: Sequence[Manifest], file_name: str, user: str | None = None) -> LoadResult:
    """Store the manifests of one file atomically (see ``write_staged``)."""
    bench = db.workbench()
    try:
        stage_manifests(bench.con, manifests)
        with db.transaction():
            return write_staged(bench, file_name, user)
    finally:
        drop_staged(bench)
        bench.close()


def drop_staged(bench: Workbench) -> None:
    bench.drop(*(f"_ps_{name}" for name in (*STAGED, "hash", "known", "new", "versions", "ids", "ver", "calls",
                                            "load")))


def write_staged(bench: Workbench, file_name: str, user: str | None) -> LoadResult:
    """Write the staged manifests, inside the caller's transaction. A manifest whose content is
    already stored (or earlier in the file) is skipped; new content for a known manifest is
    its next version."""
    con, res = bench.con, LoadResult(file_name)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ps_hash AS {IDENTITY_SQL}")
    bench.fetch_for_keys("_ps_known", "SELECT content_hash AS k FROM port_manifests", "k",
                         "SELECT content_hash AS k FROM _ps_hash")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _ps_new AS
        SELECT m.*, h.content_hash
        FROM _ps_manifests m JOIN _ps_hash h ON h.ord = m.ord
        WHERE h.content_hash NOT IN (SELECT k FROM _ps_known)
        QUALIFY row_number() OVER (PARTITION BY h.content_hash ORDER BY m.ord) = 1""")
    new = _one(con, "SELECT count(*) FROM _ps_new")
    res.manifests_new, res.manifests_unchanged = new, _one(con, "SELECT count(*) FROM _ps_manifests") - new
    if not new:
        return res
    bench.fetch_for_keys("_ps_versions", "SELECT call_id AS k, manifest_number, version FROM port_manifests", "k",
                         "SELECT call_id AS k FROM _ps_new",
                         types={"k": "VARCHAR", "manifest_number": "VARCHAR", "version": "BIGINT"})
    put_table(con, "_ps_ids", {"rn": list(range(1, new + 1)), "manifest_id": bench.next_ids("port_id_seq", new)},
              types={"rn": "BIGINT", "manifest_id": "BIGINT"})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _ps_ver AS
        SELECT n.*, i.manifest_id, coalesce(v.version, 0)
               + row_number() OVER (PARTITION BY n.call_id, n.manifest_number ORDER BY n.ord) AS version
        FROM (SELECT *, row_number() OVER (ORDER BY ord) AS rn FROM _ps_new) n JOIN _ps_ids i ON i.rn = n.rn
        LEFT JOIN (SELECT k, manifest_number, max(version) AS version FROM _ps_versions GROUP BY k, manifest_number) v
          ON v.k = n.call_id AND v.manifest_number = n.manifest_number""")
    bench.fetch_for_keys("_ps_calls", "SELECT call_id AS k FROM port_vessel_calls", "k", "SELECT call_id AS k FROM _ps_ver")
    put_table(con, "_ps_load", {"file_name": [file_name], "recorded_at": [_now()], "recorded_by": [user]},
              types={"file_name": "VARCHAR", "recorded_at": "TIMESTAMP", "recorded_by": "VARCHAR"})
    # a new call's fields are those of its first new manifest
    firsts = ", ".join(f"arg_min_null({c}, ord)" for c in CALL_COLS[1:])
    bench.write("port_vessel_calls", (*CALL_COLS, "recorded_at"),
                f"SELECT call_id, {firsts}, any_value(l.recorded_at) FROM _ps_ver, _ps_load l "
                "WHERE call_id NOT IN (SELECT k FROM _ps_calls) GROUP BY call_id")
    bench.write("port_manifests", ("manifest_id", "call_id", "manifest_number", "version", "message_function",
                                   "source_format", "transmitted_at", "file_name", "content_hash", "recorded_at",
                                   "recorded_by"),
                "SELECT manifest_id, call_id, manifest_number, version, message_function, source_format, transmitted_at, "
                "l.file_name, content_hash, l.recorded_at, l.recorded_by FROM _ps_ver, _ps_load l")
    for table, cols in CHILD_COLS.items():
        bench.write(table, ("manifest_id", *cols),
                    f"SELECT v.manifest_id, {', '.join(f's.{c}' for c in cols)} FROM _ps_{table} s "
                    "JOIN _ps_ver v ON v.ord = s.ord")
    res.amendments = _one(con, "SELECT count(*) FROM _ps_ver WHERE version > 1")
    res.documents = _one(con, "SELECT count(*) FROM _ps_port_documents SEMI JOIN _ps_ver v ON v.ord = _ps_port_documents.ord")
    res.containers = _one(con, "SELECT count(*) FROM _ps_port_equipment SEMI JOIN _ps_ver v ON v.ord = _ps_port_equipment.ord")
    res.bad_check_digits = [r[0] for r in con.execute(
        "SELECT e.container_no FROM _ps_port_equipment e SEMI JOIN _ps_ver v ON v.ord = e.ord "
        "WHERE NOT e.check_digit_ok ORDER BY e.ord, e.container_no").fetchall()]
    return res


def _one(con: WorkbenchConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
def save_events(db: Database, events: Sequence[PortEvent], file_name: str) -> LoadResult:
    res = LoadResult(file_name)
    now = _now()
    keyed = {e.key(): e for e in events}
    with db.transaction():
        known = set()
        keys = list(keyed)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ", ".join("?" for _ in chunk)
            known |= {r[0] for r in db.query(f"SELECT event_key FROM port_events WHERE event_key IN ({marks})", chunk)}  # noqa: S608 - placeholders only
        rows = [(k, e.call_id, e.container_no, e.event_type, e.occurred_at, e.location, e.detail, file_name, now)
                for k, e in keyed.items() if k not in known]
        db.append("port_events", ("event_key", "call_id", "container_no", "event_type", "occurred_at", "location",
                                   "detail", "file_name", "recorded_at"), rows)
        res.events_new = len(rows)
    return res


def rekey_stored(db: Database) -> None:
    """Migration 0010: give the stored manifests the identity of ``IDENTITY_SQL`` (earlier
    versions of traza keyed them by a digest of the parsed value, the set-wise path by one of
    its rows), computed from their stored rows, so a file sent before the upgrade is still
    recognised. Two stored versions that the rule now finds equal (they differed only in the
    order of their lines) keep the first one's key; the later one's is marked with its id."""
    if not db.scalar("SELECT count(*) FROM port_manifests"):
        return
    bench = db.workbench()
    try:
        calls = ", ".join(f"c.{c}" for c in CALL_COLS)
        bench.mirror("_ps_manifests", f"SELECT m.manifest_id AS ord, {calls}, m.manifest_number, m.message_function, "
                     "m.source_format, m.transmitted_at FROM port_manifests m JOIN port_vessel_calls c "
                     "ON c.call_id = m.call_id", types=_types_of("manifests"))
        for table, cols in CHILD_COLS.items():
            bench.mirror(f"_ps_{table}", f"SELECT manifest_id AS ord, {', '.join(cols)} FROM {table}",
                         types=_types_of(table))
        rows = bench.con.execute(f"""
            SELECT CASE WHEN row_number() OVER (PARTITION BY content_hash ORDER BY ord) = 1 THEN content_hash
                        ELSE content_hash || ':' || CAST(ord AS VARCHAR) END, ord
            FROM ({IDENTITY_SQL})""").fetchall()
        db.executemany("UPDATE port_manifests SET content_hash = ? WHERE manifest_id = ?", rows)
    finally:
        drop_staged(bench)
        bench.close()
