"""Properties every hostile input must keep, as plain functions: the hypothesis tests
(tests/reliability/test_hostile.py) and the longer fuzz run (benchmarks/fuzz.py) share them.

Each ``check_*`` feeds one input to a real entry point and returns what became of it
("accepted", "refused", ...); an exception escaping, or an outcome without its reason, is a
bug and surfaces as an exception from here."""

from __future__ import annotations

import random
from pathlib import Path

from traza.core.rejection import Rejection
from traza.ingest import load_paths
from traza.ingest.load import STATUSES as FILE_STATUSES
from traza.ingest.ubl.batch import read_batch
from traza.ingest.ubl.extract import extract
from traza.ingest.ubl.parse import RawDocument, parse_document
from traza.store import Database

CORPUS = Path(__file__).resolve().parent / "corpus"
SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "ubl_samples"
STATUSES = set(FILE_STATUSES)


def seeds(kind: str) -> list[bytes]:
    """The committed corpus of ``kind`` (xml or csv), plus the real SUNAT samples for xml."""
    files = sorted((CORPUS / kind).glob("*"))
    if kind == "xml":
        files += sorted(SAMPLES.rglob("*.xml"))
    return [f.read_bytes() for f in files]


def mutate(data: bytes, rng: random.Random, rounds: int = 3) -> bytes:
    """A few random byte edits: flip, insert, delete, duplicate a slice, splice in a token."""
    tokens = [b"<", b">", b"&", b"&amp;", b"<!DOCTYPE x>", b"\x00", b"\xff", b'"', b",", b"\n", b"\r",
              b"]]>", b"<![CDATA[", b"-1", b"1e400", b"NaN", b"\xef\xbb\xbf", b"'", b"=cmd|", b"9" * 40]
    buf = bytearray(data)
    for _ in range(rng.randint(1, rounds)):
        op = rng.randrange(5)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = rng.choice(tokens)
        elif op == 2 and buf:
            del buf[at:at + rng.randint(1, 16)]
        elif op == 3 and buf:
            end = min(len(buf), at + rng.randint(1, 64))
            buf[at:at] = buf[at:end] * rng.randint(1, 4)
        else:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(buf)


def check_xml(data: bytes, name: str = "doc.xml") -> str:
    """parse, then extract: a document or a refusal naming file, XPath and reason."""
    root = parse_document(RawDocument(name, data))
    if isinstance(root, Rejection):
        _refusal_ok(root)
        return "refused"
    doc = extract(root, name)
    if isinstance(doc, Rejection):
        _refusal_ok(doc)
        return "refused"
    return "extracted"


def _refusal_ok(r: Rejection) -> None:
    assert r.file and r.column and r.reason.strip(), f"a refusal without its reason: {r}"
    assert b"root:x:" not in repr(r).encode(), "a refusal quotes /etc/passwd"


def check_xml_batch(folder: Path, data: bytes, name: str = "doc.xml") -> str:
    """The whole UBL reading path of one file, as ``traza load`` runs it."""
    path = folder / name
    path.write_bytes(data)
    batch = read_batch(name, [(path, name)])
    for r in batch.refusals:
        _refusal_ok(r)
    assert batch.documents or batch.refusals, "a file neither read nor refused"
    return "read" if batch.documents else "refused"


def check_table(db: Database, path: Path) -> str:
    """Load one declarations file: accepted, partly or wholly refused with reasons, never an
    exception; the ledger grows by exactly the rows accepted."""
    before = int(db.scalar("SELECT count(*) FROM movements"))
    report = load_paths(db, [path], submitted_by="fuzz")
    after = int(db.scalar("SELECT count(*) FROM movements"))
    assert len(report.files) == 1
    f = report.files[0]
    assert f.status in STATUSES, f.status
    assert after - before == f.rows_accepted, f"{f.rows_accepted} accepted but {after - before} stored"
    if f.status == "rejected":
        assert f.rows_accepted == 0 and f.rows_duplicate == 0, f
    elif f.status != "already_loaded":
        assert f.rows_total == f.rows_accepted + f.rows_duplicate + f.rows_rejected, f
    if f.status == "rejected" or f.rows_rejected:
        assert f.rejections, f"{path.name}: refused without a reason"
    for r in f.rejections:
        assert r.reason.strip() and r.file, r
    return f.status
