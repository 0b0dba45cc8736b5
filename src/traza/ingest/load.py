"""``traza load``: validate declaration files and commit what passes, atomically.

A call loads any mix of the v1 files (CSV or XLSX), product mappings and UBL documents
(XML, loose or zipped), in any order: registry files are applied before the ledger, so
movements may name establishments that arrive in the same call. Each file becomes one
submission; the loose XML documents of a call form one submission, and so does each zip. All accepted rows of the call are committed in one
transaction: a crash midway leaves nothing. Re-sending a file adds nothing: a file already
accepted whole is recognised by its hash, and every ledger row carries an idempotency key
(declarant + declaration_id, else file hash + line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.identifiers import country_codes
from traza.core.jurisdiction import jurisdiction
from traza.core.rejection import Rejection
from traza.core.types import KINDS, LOAD_ORDER
from traza.ingest.mapping_kind import PRODUCT_MAPPINGS
from traza.ingest.movement_kind import MOVEMENTS
from traza.ingest.readers import Staged, discover, readers
from traza.ingest.records import Records
from traza.ingest.registry_kinds import AUTHORISATIONS, ESTABLISHMENTS, OPERATORS
from traza.ingest.sources import SourceFile, quote_ident
from traza.ingest.spec import KindSpec, fill, lit
from traza.ingest.targets import KNOWN_OF_KIND, Target, put_table
from traza.store.db import Database

SPECS: dict[str, KindSpec] = {s.kind: s for s in (OPERATORS, ESTABLISHMENTS, AUTHORISATIONS, PRODUCT_MAPPINGS, MOVEMENTS)}
RUC_COLUMNS = {"operators": ("ruc",), "establishments": ("ruc",), "authorisations": ("ruc",),
               "product_mappings": ("ruc",), "movements": ("declarant_ruc", "counterparty_ruc")}


@dataclass
class FileResult:
    path: Path
    kind: str | None
    status: str  # one of STATUSES
    submission_id: int | None = None
    previous_submission: int | None = None
    rows_total: int = 0
    rows_accepted: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    ubl: dict[str, int] | None = None  # for a batch of UBL documents: what it held and became


# A file that records nothing (a header alone: "no operations this period") is kept as a
# submission of its own status, so that a sender whose export lost its rows is not told
# "accepted"; sent again (next month's "nothing"), it is another such submission.
DONE = ("accepted", "empty")
STATUSES = (*DONE, "partial", "rejected", "already_loaded")  # of a FileResult


def file_status(total: int, kept: int, rejected: int) -> str:
    """The status of a file of ``total`` records: ``kept`` written or already held, ``rejected`` refused."""
    if rejected == 0:
        return "accepted" if total > 0 else "empty"
    return "partial" if kept > 0 else "rejected"


@dataclass
class LoadReport:
    files: list[FileResult]

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def rows_duplicate(self) -> int:
        return sum(f.rows_duplicate for f in self.files)

    @property
    def rejections(self) -> list[Rejection]:
        return [r for f in self.files for r in f.rejections]

    def top_reasons(self, n: int = 5) -> list[tuple[str, int]]:
        return Counter(r.reason for r in self.rejections).most_common(n)


Progress = Callable[[str, int, int], None]  # (what, step, steps)
LOAD_LOCK = 0x7472617A61  # "traza": the PostgreSQL advisory lock that serialises loads


def load_paths(
    db: Database,
    paths: Iterable[Path | str],
    *,
    submitted_by: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    owner: str | None = None,
    max_rows: int | None = None,
    name: str | None = None,
    inside: Callable[[LoadReport], None] | None = None,
    records: Sequence[Records] = (),
) -> LoadReport:
    """Validate and load files (or folders of them) into ``db`` in one transaction.

    ``owner``: an operator's upload. Every declarant_ruc must be this RUC (a row of another is
    refused, naming its line), every UBL document issued by it (another is refused, naming
    its issuer's XPath), and the files must be movements or UBL documents.
    ``max_rows``: refuse a file of more rows before reading it (``edge.MAX_UPLOAD_ROWS``).
    ``name``: the name recorded for the loose XML documents of the call (an upload's own
    name; else the folder they share). ``inside``: called with the report before the load
    commits, to write what must commit with it (a registry change's audit event and version
    check, service/registry.py); what it raises rolls the load back. ``records``: tables given
    in memory (an API request's rows), loaded as the CSV files they name would be."""
    named = [Path(p) for p in paths]
    missing = [str(p) for p in named if not p.exists()]
    files = discover(named)
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    run = LoadRun(db, today or date.today(), submitted_by, progress)
    run.owner, run.max_rows, run.name = owner, max_rows, name
    try:
        # Reading happens before the transaction: a file DuckDB's fast reader cannot parse is
        # read again by the careful one, and a failed statement would abort a transaction.
        sources = run.stage_all(files, records)
        with db.transaction():
            # One load at a time, so each sees what the one before it committed: two loads
            # of overlapping files at once otherwise both insert the rows they share and
            # the second fails on the unique idempotency key (found by
            # tests/reliability/test_concurrency.py). Released at commit or rollback.
            db.advisory_lock(LOAD_LOCK)
            report = run.load(sources)
            if inside is not None:
                inside(report)
            return report
    finally:
        run.target.close()


class LoadRun:
    """One load in progress: its workbench (``con``), where accepted rows go (``target``) and
    the submission's clock. A format's stager (as ``ingest.ubl.stage``) receives it to check
    and write its own rows inside the load's one transaction."""

    def __init__(self, db: Database, today: date, by: str | None, progress: Progress | None) -> None:
        self.db, self.today, self.by = db, today, by
        self.progress = progress or (lambda what, step, steps: None)
        self.now = datetime.now(UTC).replace(tzinfo=None)
        self.now_sql = f"TIMESTAMP '{self.now.isoformat(sep=' ')}'"
        self.target = Target(db)
        self.con = self.target.con
        self.rucs_seen: dict[str, str | None] = {}
        self.owner: str | None = None
        self.max_rows: int | None = None
        self.name: str | None = None
        self.readers = readers()

    def stage_all(self, paths: list[Path], records: Sequence[Records] = ()) -> list[Staged]:
        """Read every file with the first reader that claims it (``ingest.readers``)."""
        claimed: dict[int, list[Path]] = {}
        for path in paths:
            i = next(i for i, r in enumerate(self.readers) if r.claims(path))
            claimed.setdefault(i, []).append(path)
        table_reader = len(self.readers) - 1  # the last claims everything, and takes in-memory tables
        work = [(r, claimed.get(i, []), list(records) if i == table_reader else [])
                for i, r in enumerate(self.readers)]
        work = [(r, p, rec) for r, p, rec in work if p or rec]
        costs = [r.cost(self, p, rec) for r, p, rec in work]
        self.steps = sum(costs)
        staged: list[Staged] = []
        done = 0
        for (reader, mine, rec), cost in zip(work, costs, strict=True):
            def step(what: str, k: int, base: int = done) -> None:
                self.progress(what, base + k, self.steps)
            staged += reader.stage(self, mine, rec, step)
            done += cost
        self.steps += len(staged)  # and one step of validating each
        return staged

    def load(self, sources: list[Staged]) -> LoadReport:
        self._references()
        self.target.prepare()
        steps = self.steps
        order = {k: i for i, k in enumerate(LOAD_ORDER)}
        sources.sort(key=lambda s: (s.src.fatal, order.get(s.src.kind or "", 99)))
        results: list[FileResult] = []
        digests: set[str] = set()
        first = steps - len(sources)
        for j, staged in enumerate(sources):
            self.progress(f"validating {staged.src.name}", first + j, steps)
            results.append(self._one(staged, digests))
            if results[-1].status == "accepted":  # a copy of a refused file is refused again, with its reasons
                digests.add(staged.src.digest)
            self.con.execute(f"DROP TABLE IF EXISTS {staged.table}")
        self.progress("committed", steps, steps)
        return LoadReport(results)

    def _references(self) -> None:
        cat, geo = default_catalogue(), default_geography()
        chems = cat.chemical_aliases()
        units = cat.unit_aliases()
        put_table(self.con, "ref_chemicals", {
            "alias": list(chems), "code": [c.code for c in chems.values()],
            "density": [c.density_kg_l for c in chems.values()], "state": [c.state for c in chems.values()]})
        put_table(self.con, "ref_units", {
            "alias": list(units), "code": [u.code for u in units.values()],
            "kind": [u.kind for u in units.values()], "factor": [u.factor for u in units.values()]})
        put_table(self.con, "ref_ubigeo", {"ubigeo": list(geo.districts)})
        put_table(self.con, "ref_countries", {"code": sorted(country_codes())})
        put_table(self.con, "ruc_check", {"ruc": [], "problem": []}, types={"ruc": "VARCHAR", "problem": "VARCHAR"})

    def _check_rucs(self, table: str, kind: str, columns: list[str]) -> None:
        parts = [f"SELECT DISTINCT {c} AS r FROM {table}" for c in RUC_COLUMNS[kind] if c in columns]
        values = [r[0] for r in self.con.execute(" UNION ".join(parts)).fetchall() if r[0] is not None]
        new = [x for x in values if x not in self.rucs_seen]
        tax_id = jurisdiction().tax_id  # once, not per value (it reads the environment)
        for x in new:
            self.rucs_seen[x] = tax_id.problem(x)
        if new:
            put_table(self.con, "ruc_new", {"ruc": new, "problem": [self.rucs_seen[x] for x in new]},
                      types={"ruc": "VARCHAR", "problem": "VARCHAR"})
            self.con.execute("INSERT INTO ruc_check SELECT * FROM ruc_new")

    def _previous(self, digest: str) -> tuple[int, str] | None:
        # An operator's upload is compared with its own submissions only: another's file sent
        # again must meet the ownership rule (not "already loaded", naming another's submission),
        # and two operators' identical files (a header alone) are two declarations.
        mine = "" if self.owner is None else " AND submitted_by = ?"
        row = self.db.query(
            f"SELECT submission_id, status FROM submissions WHERE file_hash = ?{mine} ORDER BY submission_id DESC LIMIT 1",  # noqa: S608
            (digest,) if self.owner is None else (digest, self.by),
        )
        return (int(row[0][0]), str(row[0][1])) if row else None

    def _one(self, staged: Staged, digests: set[str]) -> FileResult:
        src = staged.src
        prev = self._previous(src.digest)
        # Only a file accepted with rows is skipped when sent again: an empty one ("nothing this
        # period") is a new declaration each time it is sent.
        if src.digest in digests or (prev and prev[1] == "accepted"):
            return FileResult(src.path, src.kind, "already_loaded", previous_submission=prev[0] if prev else None)
        sub = int(self.db.scalar("SELECT nextval('submission_id_seq')"))
        self.con.execute("CREATE OR REPLACE TEMP TABLE rej (__line BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)")
        return staged.reader.write(self, staged, sub, prev[0] if prev else None)

    def write_table(self, staged: Staged, sub: int, prev: int | None) -> FileResult:
        """Check and write a staged v1 table (``readers.TableReader``) as submission ``sub``."""
        src, table, n, c = staged.src, staged.table, staged.rows, self.con
        if self.owner is not None and not src.fatal and src.kind != "movements":
            src.refuse(None, None, src.kind, f"this file holds {src.kind}: an operator uploads "
                                             "only its movements (or its UBL documents)")
            src.fatal = True
        if src.problems:
            c.executemany("INSERT INTO rej VALUES (?, ?, ?, ?)", [[p.line, p.column, p.value, p.reason] for p in src.problems])
        accepted = duplicate = 0
        if not src.fatal and src.kind is not None:
            accepted, duplicate = self.validate_and_write(src, SPECS[src.kind], table, sub)
        structural = sum(1 for p in src.problems if p.line is not None and p.line > 1)
        return self.submit(src, src.kind, sub, prev, n + structural, accepted, duplicate)

    def submit(self, src: SourceFile, kind: str | None, sub: int, prev: int | None, total: int, accepted: int,
               duplicate: int) -> FileResult:
        """Record submission ``sub`` of a file with the refusals gathered in ``rej`` (a line is
        refused once however many of its fields were), and its result."""
        c = self.con
        rejected = int(c.execute("SELECT count(DISTINCT coalesce(__line, -1)) FROM rej").fetchall()[0][0])
        status = file_status(total, accepted + duplicate, rejected)
        self.target.write(
            "rejections", ("submission_id", "file_name", "line", "column_name", "value", "reason"),
            f"SELECT {sub}, {lit(src.name)}, __line, column_name, value, reason FROM rej ORDER BY __line NULLS FIRST, column_name",  # noqa: S608
            None, None,
        )
        self.db.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sub, kind or "unknown", src.name, src.digest, self.now, self.by, total, accepted, duplicate, rejected, status),
        )
        rejections = [Rejection(src.name, r[0], r[1], r[2], r[3]) for r in c.execute(
            "SELECT __line, column_name, value, reason FROM rej ORDER BY __line NULLS FIRST, column_name").fetchall()]
        return FileResult(src.path, kind, status, sub, prev, total, accepted, duplicate, rejected, rejections)

    def validate_and_write(self, src: SourceFile, spec: KindSpec, table: str, sub: int) -> tuple[int, int]:
        """Check the rows staged in ``table`` against ``spec`` and write those that pass;
        return (accepted, already held)."""
        c = self.con
        required, optional = KINDS[spec.kind]
        for col in optional:
            if col not in src.columns:
                c.execute(f"ALTER TABLE {table} ADD COLUMN {col} VARCHAR")
        # Columns named __* are the loader's own (a UBL line's file, say), never the sender's.
        extras = [x for x in src.columns if x not in required and x not in optional and not x.startswith("__")]
        extra = ("to_json(struct_pack(" + ", ".join(f"{quote_ident(x)} := {quote_ident(x)}" for x in extras) + "))::VARCHAR") if extras else "NULL::VARCHAR"
        self._check_rucs(table, spec.kind, src.columns)
        fmt = {"stage": table, "file_hash": lit(src.digest), "extra": extra}
        now = f"TIMESTAMP '{self.now.isoformat(sep=' ')}'"
        by = lit(self.by) if self.by else "NULL::VARCHAR"
        # A UBL batch names each row's own document; a file names itself.
        file = "__file" if "__file" in src.columns else lit(src.name)
        parts = {**fmt, "sub": str(sub), "file": file, "now": now, "by": by}
        outputs = ", ".join(f"{fill(expr, **parts)} AS {col}" for expr, col in zip(spec.output, spec.columns, strict=True))
        # One pass: the columns to write, and every check a row fails as an entry of n_errs.
        c.execute(
            f"CREATE OR REPLACE TEMP TABLE enr AS SELECT __line, n_errs, n_errs IS NULL AS n_ok, * EXCLUDE (__line, n_errs) "
            f"FROM (SELECT __line, {_errors(spec, self.today, self.owner)} AS n_errs, {spec.key} AS n_k, {outputs} FROM ({fill(spec.enrich, **fmt)}) e)"
        )
        c.execute(
            "INSERT INTO rej SELECT __line, x.c, x.v, x.r FROM "
            "(SELECT __line, unnest(n_errs) AS x FROM enr WHERE NOT n_ok)"
        )
        known = KNOWN_OF_KIND[spec.kind]
        if spec.kind == "movements":
            self.target.known_movements("(SELECT n_k AS k FROM enr WHERE n_ok)")
        # Rows whose key the database already holds: the same content is a duplicate (skipped);
        # other content is a new version of a registry record, or a refused ledger row.
        mine = "row_hash" if spec.versioned else spec.row_hash
        decl = "declaration_id" if spec.kind == "movements" else "NULL"
        c.execute(
            f"CREATE OR REPLACE TEMP TABLE cls AS SELECT e.__line, e.d AS declaration_id, kn.row_hash = e.h AS same "
            f"FROM (SELECT __line, n_k, {mine} AS h, {decl} AS d FROM enr WHERE n_ok "
            f"AND n_k IN (SELECT k FROM {known})) e JOIN {known} kn ON kn.k = e.n_k"
        )
        duplicate = int(c.execute("SELECT count(*) FROM cls WHERE same").fetchall()[0][0])
        if not spec.versioned:
            c.execute(
                "INSERT INTO rej SELECT __line, 'declaration_id', declaration_id, "
                "'declaration_id ' || declaration_id || ' was already recorded with different content; "
                "declarations are never edited: send a correction under a new declaration_id' "
                "FROM cls WHERE NOT same"
            )
        skip = "SELECT __line FROM cls" + ("" if not spec.versioned else " WHERE same")
        c.execute(f"CREATE OR REPLACE TEMP VIEW ok AS SELECT * FROM enr WHERE n_ok AND __line NOT IN ({skip})")
        accepted = int(c.execute("SELECT count(*) FROM ok").fetchall()[0][0])
        if accepted:
            self.target.write(spec.table, spec.columns, f"SELECT {', '.join(spec.columns)} FROM ok", spec.id_column, spec.id_sequence)
            if spec.versioned:
                self.target.registry_written(spec.kind)
        return accepted, duplicate


def _errors(spec: KindSpec, today: date, owner: str | None = None) -> str:
    """SQL list of {c: column, v: value, r: reason} for every check the row fails
    (``$owner`` in a check is the uploading operator's RUC, NULL for ``traza load``)."""
    items = ", ".join(
        f"CASE WHEN {ch.bad} THEN {{'c': {lit(ch.column)}, 'v': CAST({quote_ident(ch.column)} AS VARCHAR), 'r': {ch.reason}}} END"
        for ch in spec.checks
    ).replace("$today", f"DATE '{today.isoformat()}'").replace("$owner", lit(owner) if owner else "NULL::VARCHAR")
    # NULL, not an empty list, for a clean row: the common case then costs one validity bit.
    return f"nullif(list_filter([{items}], lambda x: x IS NOT NULL), [])"
