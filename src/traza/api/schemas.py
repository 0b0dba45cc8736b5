"""Request and response bodies shared by several routers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from traza.core.jurisdiction import jurisdiction
from traza.ingest.load import FileResult


def _utc(v: datetime) -> datetime:
    """The database keeps naive UTC; clients get RFC 3339 with the offset."""
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v


Timestamp = Annotated[datetime, AfterValidator(_utc)]
Ruc = Annotated[str, StringConstraints(pattern=jurisdiction().tax_id.pattern)]
Ubigeo = Annotated[str, StringConstraints(pattern=jurisdiction().geography.pattern)]
EstCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Limit = Annotated[int, Field(ge=1, le=1000)]
Offset = Annotated[int, Field(ge=0, le=1_000_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RejectionOut(BaseModel):
    line: int | None
    column: str | None  # for a UBL document, the XPath of the element at fault
    value: str | None
    reason: str
    file: str | None = None  # the document (inside a zip: archive.zip:member.xml), for UBL uploads


class SubmissionOut(BaseModel):
    submission_id: int | None
    file_name: str
    kind: str | None
    status: str
    previous_submission: int | None = None
    rows_total: int
    rows_accepted: int
    rows_duplicate: int
    rows_rejected: int
    rejections: list[RejectionOut]

    @classmethod
    def of(cls, r: FileResult) -> SubmissionOut:
        return cls(submission_id=r.submission_id, file_name=r.path.name, kind=r.kind, status=r.status,
                   previous_submission=r.previous_submission, rows_total=r.rows_total,
                   rows_accepted=r.rows_accepted, rows_duplicate=r.rows_duplicate, rows_rejected=r.rows_rejected,
                   rejections=[RejectionOut(line=x.line, column=x.column, value=x.value, reason=x.reason,
                                            file=x.file if r.kind == "ubl" else None)
                               for x in r.rejections])


class StoredSubmissionOut(BaseModel):
    submission_id: int
    kind: str
    file_name: str
    received_at: Timestamp
    rows_total: int
    rows_accepted: int
    rows_duplicate: int
    rows_rejected: int
    status: str
    rejections: list[RejectionOut] = []


class EventRef(BaseModel):
    event_id: int


class KeyOut(BaseModel):
    key_id: str
    label: str | None
    created_at: Timestamp
    created_by: str
    revoked_at: Timestamp | None
    revoked_by: str | None


class NewKeyOut(BaseModel):
    key_id: str
    ruc: str
    api_key: str = Field(description="Shown once: store it safely. traza keeps only its hash.")


class KeyIn(Strict):
    label: ShortText | None = None


class Page(BaseModel):
    limit: int
    offset: int


def rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return items


__all__ = ["date"]
