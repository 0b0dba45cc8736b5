"""Operators declare movements: a v1 file (CSV or XLSX) or a JSON batch, validated by the same
code as ``traza load``; and read back each submission's status and rejections."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Query, UploadFile
from pydantic import Field, StringConstraints

from traza.api.deps import Db, Operator
from traza.api.errors import NotFound
from traza.api.routers._common import router, translated
from traza.api.schemas import Limit, Offset, StoredSubmissionOut, Strict, SubmissionOut
from traza.service import declarations

r = router("declarations")
Cell = Annotated[str, StringConstraints(max_length=200)]


class MovementIn(Strict):
    """One v1 movement (docs/formats.md). Values are checked by the loader, which answers with
    the line (2 = the first movement) and the reason of each refusal."""

    declaration_id: Cell | None = None
    declarant_ruc: Cell | None = Field(default=None, description="Defaults to the key's operator")
    establishment_code: Cell
    date: Cell
    type: Cell
    chemical: Cell
    quantity: float | Cell
    unit: Cell
    counterparty_ruc: Cell | None = None
    counterparty_establishment: Cell | None = None
    document_ref: Cell | None = None
    destination_ubigeo: Cell | None = None
    origin_country: Cell | None = None
    destination_country: Cell | None = None
    declared_on: Cell | None = None


class BatchIn(Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,80}$")] | None = Field(
        default=None, description="A name for the submission (kept as its file name)")
    movements: list[MovementIn] = Field(min_length=1, max_length=50_000)


@r.post("/declarations/files", operation_id="submit_declaration_file", response_model=SubmissionOut)
def submit_file(op: Operator, db: Db, file: Annotated[UploadFile, File(
        description="movements CSV or XLSX (v1), or UBL e-documents: an XML invoice or remission guide, or a zip of them")],
) -> SubmissionOut:
    """Upload a v1 movements file, or your own UBL invoices and remission guides (XML or zip).
    A row naming another declarant, or a document another RUC issued, is refused on its own
    (line or XPath, field, value); the rest loads. Resending the same file changes nothing."""
    content = file.file.read()
    with translated("file"):
        result = declarations.submit_file(db, op.ruc, file.filename or "upload.csv", content)
    return SubmissionOut.of(result)


@r.post("/declarations/batch", operation_id="submit_declaration_batch", response_model=SubmissionOut)
def submit_batch(op: Operator, db: Db, body: BatchIn) -> SubmissionOut:
    """Declare movements as JSON. Rows carry the v1 columns (declarant_ruc defaults to yours; a
    row naming another is refused as a row); the same batch sent twice is recognised, and
    each declaration_id is recorded once."""
    rows = [m.model_dump(exclude_none=True) for m in body.movements]
    with translated("batch"):
        result = declarations.submit_batch(db, op.ruc, rows, body.name)
    return SubmissionOut.of(result)


@r.get("/submissions", operation_id="list_submissions", response_model=list[StoredSubmissionOut])
def list_submissions(op: Operator, db: Db, limit: Annotated[Limit, Query()] = 50,
                     offset: Annotated[Offset, Query()] = 0) -> list[StoredSubmissionOut]:
    """Your submissions, newest first."""
    return [StoredSubmissionOut(**s) for s in declarations.submissions(db, op.ruc, limit, offset)]


@r.get("/submissions/{submission_id}", operation_id="get_submission", response_model=StoredSubmissionOut)
def get_submission(op: Operator, db: Db, submission_id: Annotated[int, Field(ge=1, le=2**62)]) -> StoredSubmissionOut:
    """One of your submissions with its refused rows."""
    sub = declarations.submission(db, op.ruc, submission_id)
    if sub is None:
        raise NotFound(f"you have no submission {submission_id}")
    sub.pop("submitted_by", None)
    return StoredSubmissionOut(**sub)
