"""Liveness."""

from __future__ import annotations

from pydantic import BaseModel

from traza import __version__
from traza.api.deps import State
from traza.api.routers._common import router

r = router("meta")


class HealthOut(BaseModel):
    status: str
    version: str
    database: str


@r.get("/health", operation_id="health", response_model=HealthOut)
def health(state: State) -> HealthOut:
    """Whether the service is up, and which kind of database it serves."""
    return HealthOut(status="ok", version=__version__, database=state.pool.root.dialect)
