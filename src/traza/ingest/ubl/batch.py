"""Read a batch of UBL documents (loose XML files, or one zip archive) into columns.

A batch becomes one submission. Each accepted document adds a row to ``docs`` and one row
per line to ``lines``; every line is pre-classified here (CAS, tariff heading, description:
pure, cached), while the operator's product mapping is applied later in SQL, inside the
load's transaction. Paths to elements are kept as references to a few constant strings,
so a hundred thousand documents cost little memory, and are only turned into full XPaths
for the lines that a check refuses.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from traza.core.rejection import Rejection
from traza.ingest.movement_kind import not_yours
from traza.ingest.ubl.classify import Classifier, default_classifier
from traza.ingest.ubl.extract import Document, extract, normalise_number
from traza.ingest.ubl.parse import RawDocument, parse_document, read_file, read_zip, refusal

Progress = Callable[[str, int, int], None]

HEADER = ("issuer", "receiver", "transfer_date", "motive", "origin", "origin_est", "delivery", "delivery_est",
          "carrier", "vehicle")
LINE_COLUMNS = (
    "__line", "__doc", "doc_key", "doc_root", "doc_type", "doc_number", "guide_link", "issuer", "issuer_scheme",
    "receiver", "receiver_scheme", "issue_date", "transfer_date", "motive", "origin", "origin_est", "delivery",
    "delivery_est", "carrier", "vehicle", "file", "line_no", "quantity", "unit", "description", "item_code",
    "unspsc", "tariff", "controlled", "cas", "auto_chemical", "auto_confidence", "auto_method", "auto_band",
    "auto_evidence",
)
DOC_COLUMNS = ("doc_key", "doc_type", "ubl_version", "document_number", "issuer_ruc", "receiver_ruc", "issue_date",
               "transfer_date", "motive", "origin_ubigeo", "delivery_ubigeo", "carrier_ruc", "vehicle",
               "linked_guide", "line_count", "file_name", "file_hash")


class Columns:
    """Columns filled row by row in Python lists and packed into Arrow every ``CHUNK`` rows:
    a hundred thousand documents' text then takes a fraction of the memory of Python strings."""

    CHUNK = 20_000

    def __init__(self, names: tuple[str, ...], types: dict[str, pa.DataType]) -> None:
        self.schema = pa.schema([(c, types.get(c, pa.string())) for c in names])
        self.cur: dict[str, list[Any]] = {c: [] for c in names}
        self.batches: list[pa.RecordBatch] = []
        self.rows = 0

    def added(self, n: int) -> None:
        self.rows += n
        if len(self.cur[self.schema.names[0]]) >= self.CHUNK:
            self._pack()

    def _pack(self) -> None:
        if self.cur[self.schema.names[0]]:
            self.batches.append(pa.record_batch(
                [pa.array(self.cur[f.name], type=f.type) for f in self.schema], schema=self.schema))
            for values in self.cur.values():
                values.clear()

    def table(self) -> pa.Table:
        self._pack()
        return pa.Table.from_batches(self.batches, schema=self.schema)


@dataclass
class UblBatch:
    name: str
    digest: str = ""
    refusals: list[Rejection] = field(default_factory=list)
    lines: Columns = field(default_factory=lambda: Columns(
        LINE_COLUMNS, {"__line": pa.int64(), "__doc": pa.int64(), "auto_confidence": pa.float64()}))
    docs: Columns = field(default_factory=lambda: Columns(DOC_COLUMNS, {"line_count": pa.int64()}))
    counts: Counter[str] = field(default_factory=Counter)
    # Per document: its root, file and where each header field was read; per line: its
    # document and position, and where each of its fields was read (relative paths, shared
    # strings). Enough to name the element behind any refused value.
    doc_root: list[str] = field(default_factory=list)
    doc_file: list[str] = field(default_factory=list)
    doc_paths: list[dict[str, str]] = field(default_factory=list)
    line_doc: list[int] = field(default_factory=list)
    line_has_origin_est: list[bool] = field(default_factory=list)
    line_pos: list[int] = field(default_factory=list)
    line_paths: list[dict[str, str]] = field(default_factory=list)
    line_source: list[str] = field(default_factory=list)  # the field the classification rests on
    # Documents of one layout read their fields from the same places: one dict serves them all.
    shared: dict[tuple[tuple[str, str], ...], dict[str, str]] = field(default_factory=dict)

    def share(self, paths: dict[str, str]) -> dict[str, str]:
        return self.shared.setdefault(tuple(paths.items()), paths)

    @property
    def documents(self) -> int:
        return len(self.doc_root)

    def locate(self, line: int, column: str) -> tuple[str, str]:
        """File and XPath of the element behind ``column`` of staged line ``line`` (1-based)."""
        i = line - 1
        d = self.line_doc[i]
        root, paths, lpaths = self.doc_root[d], self.doc_paths[d], self.line_paths[i]
        file = self.doc_file[d]
        tag = "cac:DespatchLine" if root == "DespatchAdvice" else "cac:InvoiceLine"
        at_line = f"/{root}/{tag}[{self.line_pos[i]}]"
        rel = _COLUMN_FIELD.get(column)
        if column == "chemical":
            source = self.line_source[i]
            return file, f"{at_line}/{lpaths.get(source, lpaths['description'])}"
        if column in ("quantity", "unit"):
            return file, f"{at_line}/{lpaths['quantity']}"
        if column in _LINE_FIELDS:
            return file, f"{at_line}/{lpaths.get(column, lpaths['description'])}"
        if rel is None:
            return file, at_line
        if rel == "origin_est" and not self.line_has_origin_est[i]:
            rel = "issuer"  # no establishment code on the document: the issuer is what is unknown
        return file, f"/{root}/{paths[rel]}"


# Columns of a staged movement (and the UBL checks) -> the header field they come from.
_COLUMN_FIELD = {
    "declarant_ruc": "issuer", "counterparty_ruc": "receiver", "establishment_code": "origin_est",
    "counterparty_establishment": "delivery_est", "destination_ubigeo": "delivery", "date": "transfer_date",
    "declared_on": "issue_date", "type": "motive", "document_ref": "number", "declaration_id": "number",
    "origin_ubigeo": "origin", "motive": "motive",
}
_LINE_FIELDS = ("item_code", "controlled", "tariff", "cas", "description")


def read_batch(name: str, sources: Iterable[tuple[Path, str]], *, progress: Progress | None = None,
               total: int = 0, classifier: Classifier | None = None, issuer: str | None = None) -> UblBatch:
    """Read ``sources`` (path, display name; ``.zip`` archives are opened) into one batch;
    with ``issuer``, documents another RUC issued are refused."""
    batch = UblBatch(name)
    classify = (classifier or default_classifier()).classify
    seen: set[str] = set()
    digests: list[str] = []
    done = 0
    for raw in _raw_documents(sources):
        done += 1
        if progress and done % 500 == 0:
            progress(f"reading {name}: {done:,} of {max(total, done):,}", done, max(total, done))
        if isinstance(raw, Rejection):
            batch.refusals.append(raw)
            continue
        digest = hashlib.sha256(raw.data).hexdigest()
        digests.append(f"{raw.file}\t{digest}")
        if digest in seen:
            batch.counts["documents_repeated"] += 1  # the same bytes twice in one batch
            continue
        seen.add(digest)
        root = parse_document(raw)
        doc = root if isinstance(root, Rejection) else extract(root, raw.file)
        if isinstance(doc, Rejection):
            batch.refusals.append(doc)
            continue
        if issuer is not None and doc.values.get("issuer") != issuer:
            # The movements' ownership rule (movement_kind.OWNER_CHECK), applied to the whole
            # document: its lines would be refused one by one, its header stored.
            batch.refusals.append(refusal(doc.file, doc.xpath(doc.paths["issuer"]), doc.values.get("issuer"),
                                          not_yours("issuer", doc.values.get("issuer"), issuer)))
            continue
        _add(batch, doc, digest, classify)
    batch.digest = hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()
    batch.counts["documents_refused"] = len({r.file for r in batch.refusals})
    if progress:
        progress(f"read {name}", done, max(total, done))
    return batch


def count_documents(sources: Iterable[tuple[Path, str]]) -> int:
    """How many documents the sources hold (a zip's central directory says it cheaply), for
    a progress bar; an unreadable zip counts as one."""
    n = 0
    for path, _ in sources:
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as z:
                    n += max(1, sum(1 for i in z.infolist() if not i.is_dir()))
            except (zipfile.BadZipFile, OSError):
                n += 1
        else:
            n += 1
    return n


def _raw_documents(sources: Iterable[tuple[Path, str]]) -> Iterator[RawDocument | Rejection]:
    for path, shown in sources:
        if path.suffix.lower() == ".zip":
            yield from read_zip(path, shown)
        else:
            yield read_file(path, shown)


def _add(batch: UblBatch, doc: Document, digest: str, classify: Callable[..., Any]) -> None:
    d = len(batch.doc_root)
    v, kind = doc.values, "guide" if doc.is_guide else "invoice"
    batch.counts[f"{kind}s"] += 1
    issuer = v.get("issuer") or "?"
    link = ";".join(f"{issuer}-09-{normalise_number(r)}" for r in doc.guide_refs) or None
    if link:
        batch.counts["invoices_linked"] += 1
    batch.doc_root.append(doc.root)
    batch.doc_file.append(doc.file)
    batch.doc_paths.append(batch.share(doc.paths))
    for col, value in zip(DOC_COLUMNS, (
        doc.key, doc.type_code, doc.version, doc.number, v.get("issuer"), v.get("receiver"), doc.issue_date,
        v.get("transfer_date"), v.get("motive"), v.get("origin"), v.get("delivery"), v.get("carrier"),
        v.get("vehicle"), link, len(doc.lines), doc.file, digest,
    ), strict=True):
        batch.docs.cur[col].append(value)
    batch.docs.added(1)
    lines = batch.lines.cur
    for line in doc.lines:
        verdict = classify(line.description, line.tariff, line.cas, line.controlled)
        lines["__line"].append(len(batch.line_doc) + 1)
        lines["__doc"].append(d)
        batch.line_doc.append(d)
        batch.line_has_origin_est.append(v.get("origin_est") is not None)
        for col, value in (
            ("doc_key", doc.key), ("doc_root", kind), ("doc_type", doc.type_code), ("doc_number", doc.number),
            ("guide_link", link), ("issuer_scheme", doc.schemes.get("issuer")),
            ("receiver_scheme", doc.schemes.get("receiver")), ("issue_date", doc.issue_date), ("file", doc.file),
            ("line_no", line.number), ("quantity", line.quantity), ("unit", line.unit),
            ("description", line.description), ("item_code", line.item_code), ("unspsc", line.unspsc),
            ("tariff", line.tariff), ("controlled", line.controlled), ("cas", line.cas),
            ("auto_chemical", verdict.chemical), ("auto_confidence", verdict.confidence),
            ("auto_method", verdict.method), ("auto_band", verdict.band), ("auto_evidence", verdict.evidence),
        ):
            lines[col].append(value)
        for col in HEADER:
            lines[col].append(v.get(col))
        batch.line_pos.append(line.position)
        batch.line_paths.append(batch.share(line.paths))
        batch.line_source.append(verdict.source)
    batch.counts["lines"] += len(doc.lines)
    batch.lines.added(len(doc.lines))
