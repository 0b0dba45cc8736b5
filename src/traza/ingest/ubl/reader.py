"""UBL documents (XML, loose or zipped) as a reader of ``traza load``: the loose XML files of
a call form one batch (one submission), and so does each zip."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from traza.ingest.readers import Reader, Staged, Step
from traza.ingest.records import Records
from traza.ingest.sources import UBL_SUFFIXES, SourceFile
from traza.ingest.ubl import stage as ubl_stage
from traza.ingest.ubl.batch import count_documents, read_batch
from traza.store.workbench import put_table

if TYPE_CHECKING:
    from traza.ingest.load import FileResult, LoadRun


class UblReader(Reader):
    def __init__(self) -> None:
        self.batches: list[tuple[str, list[tuple[Path, str]]]] = []
        self.sizes: list[int] = []

    def claims(self, path: Path) -> bool:
        return path.suffix.lower() in UBL_SUFFIXES

    def cost(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records]) -> int:
        self.batches = batches(list(paths), run.name)
        self.sizes = [count_documents(members) for _, members in self.batches]
        return sum(self.sizes)

    def stage(self, run: LoadRun, paths: Sequence[Path], records: Sequence[Records], step: Step) -> Iterator[Staged]:
        done = 0
        for j, ((name, members), size) in enumerate(zip(self.batches, self.sizes, strict=True)):
            def progress(what: str, k: int, total: int, base: int = done) -> None:
                step(what, base + k)
            batch = read_batch(name, members, progress=progress, total=size, issuer=run.owner)
            done += size
            src = SourceFile(Path(name), batch.digest, kind="ubl", ubl=batch)
            table = f"stg_ubl_{j}"
            yield Staged(src, table, ubl_stage.stage_lines(run.con, batch, table), self)

    def write(self, run: LoadRun, staged: Staged, sub: int, prev: int | None) -> FileResult:
        from traza.ingest.load import FileResult

        src = staged.src
        out = ubl_stage.load_batch(run, src, staged.table, sub)
        if out.rejections:
            r = out.rejections
            put_table(run.con, "rej_ubl", {"file_name": [x.file for x in r], "line": [x.line for x in r],
                                           "column_name": [x.column for x in r], "value": [x.value for x in r],
                                           "reason": [x.reason for x in r]},
                      types={"file_name": "VARCHAR", "line": "BIGINT", "column_name": "VARCHAR", "value": "VARCHAR",
                             "reason": "VARCHAR"})
            run.target.write("rejections", ("submission_id", "file_name", "line", "column_name", "value", "reason"),
                             f"SELECT {sub}, * FROM rej_ubl", None, None)
        refused_docs = out.summary["documents_refused"]
        total = out.summary["chemical_lines"] + out.summary["flagged"] + refused_docs
        rejected = out.refused_lines + refused_docs
        done = out.accepted + out.duplicate
        read = out.summary["documents"] - refused_docs  # commercial documents parsed
        status = "accepted" if rejected == 0 else ("partial" if done > 0 or read > 0 else "rejected")
        run.db.execute(
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sub, "ubl", src.name, src.digest, run.now, run.by, total, out.accepted, out.duplicate, rejected, status),
        )
        return FileResult(src.path, "ubl", status, sub, prev, total, out.accepted, out.duplicate, rejected,
                          out.rejections, out.summary)


def batches(paths: list[Path], name: str | None = None) -> list[tuple[str, list[tuple[Path, str]]]]:
    """The UBL batches of a call: all loose XML files together, and each zip on its own;
    each document named relative to the folder the files share."""
    xml = [p for p in paths if p.suffix.lower() == ".xml"]
    out: list[tuple[str, list[tuple[Path, str]]]] = []
    if xml:
        absolute = [os.path.abspath(p) for p in xml]  # no resolve(): a syscall per file is too slow
        parents = {os.path.dirname(a) for a in absolute}
        common = Path(os.path.commonpath(list(parents)))
        base = str(common.parent if len(parents) > 1 or len(xml) > 1 else common)
        named = [(p, os.path.relpath(a, base)) for p, a in zip(xml, absolute, strict=True)]
        # An upload is named after the client's file, never the server's temporary folder.
        label = name or f"{common.name or common} ({len(xml)} UBL documents)"
        out.append((label, named))
    out += [(p.name, [(p, p.name)]) for p in paths if p.suffix.lower() == ".zip"]
    return out
