"""What the routers share: the /v1 router factory and service errors to API errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from traza.api.errors import ERROR_RESPONSES, Conflict, ErrorDetail, Invalid, NotFound
from traza.cases.alerts import AlertProblem
from traza.cases.cases import CaseProblem
from traza.cases.versions import Stale, stale_details
from traza.cases.workflow import Required
from traza.service.declarations import Unreadable
from traza.service.registry import AlreadyRegistered, RegistryRefused

# Optimistic concurrency (cases/versions.py): every state change of an alert, a case or an
# operator's registry file carries, in its JSON body, the version it was decided on. It is
# required: a client that could leave it out could not be protected from overwriting a
# change it never saw.
Version = Annotated[int, Field(ge=0, le=2**62, description=(
    "The `version` of the alert, case or operator as you read it (GET returns it). Required: if "
    "someone changed it since, nothing is written and the answer is 409 with the current version, "
    "status, who changed it and when."))]


def router(tag: str) -> APIRouter:
    return APIRouter(prefix="/v1", tags=[tag], responses=ERROR_RESPONSES)


@contextmanager
def translated(what: str) -> Iterator[None]:
    """Service exceptions as API errors with a message a person can act on."""
    try:
        yield
    except KeyError as exc:
        raise NotFound(f"no such {what}: {exc.args[0] if exc.args else ''}") from exc
    except Stale as exc:
        raise Conflict(str(exc), details=[ErrorDetail(**d) for d in stale_details(exc)]) from exc
    except Required as exc:  # a value the change needs was not sent: 422 naming the field
        raise Invalid(str(exc), details=[ErrorDetail(field=exc.field, problem=exc.message)]) from exc
    except (AlertProblem, CaseProblem) as exc:
        raise Conflict(str(exc)) from exc
    except AlreadyRegistered as exc:
        raise Conflict(f"{exc.args[0]} is already registered: change its status or authorisations instead") from exc
    except RegistryRefused as exc:
        raise Invalid(str(exc), details=[ErrorDetail(field=r.column, problem=f"{r.reason} (value {r.value!r})")
                                         for r in exc.result.rejections]) from exc
    except Unreadable as exc:
        raise Invalid(str(exc)) from exc
