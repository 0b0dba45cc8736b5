"""Dependencies of the routes, as ``Annotated`` aliases: the database, the operator behind an
API key, and the staff member behind a token with one of the roles a route allows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from traza.api.errors import Forbidden, Unauthorized
from traza.api.security import read_token
from traza.api.state import AppState
from traza.core import vocab
from traza.service import accounts
from traza.service.checks import InactiveOperator, Principal
from traza.store import Database

api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="OperatorKey",
                              description="An operator's API key (trz_...)")
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="StaffToken",
                           description="A staff token from POST /v1/auth/login")


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.traza
    return state


State = Annotated[AppState, Depends(get_state)]


def get_db(state: State) -> Iterator[Database]:
    with state.pool.connection() as db:
        yield db


Db = Annotated[Database, Depends(get_db)]


async def current_operator(
    request: Request, state: State, key: Annotated[str | None, Security(api_key_scheme)],
) -> Principal:
    # async: the key is checked against the in-memory facts, so the sale check stays on the
    # event loop without a hop to the thread pool.
    if not key:
        if request.headers.get("authorization"):
            raise Unauthorized("this endpoint is for operators: send an API key in X-API-Key (a staff token cannot use it)")
        raise Unauthorized("send your API key in the X-API-Key header")
    try:
        principal = state.facts.verify_key(key)
    except InactiveOperator as exc:  # a valid key of a suspended or revoked operator
        raise Forbidden(str(exc)) from exc
    if principal is None:
        raise Unauthorized("the API key is not valid or was revoked: ask the registry for a new one")
    return principal


# Every dependency that admits a principal names the roles it admits (``traza_roles``), so the
# access tests derive each route's rule from its dependencies: a route without one, and not
# listed in PUBLIC_PATHS, fails them.
current_operator.traza_roles = ("operator",)  # type: ignore[attr-defined]
Operator = Annotated[Principal, Depends(current_operator)]

# Routes anyone may call (the web UI keeps its own PUBLIC_PATHS in traza.web).
PUBLIC_PATHS = ("/v1/health", "/v1/auth/login", "/v1/openapi.json", "/v1/docs", "/v1/docs/oauth2-redirect")


@dataclass(frozen=True)
class Staff:
    username: str
    role: str
    session_id: str  # the server-side session of the token (traza.service.sessions)

    @property
    def actor(self) -> str:
        return f"staff:{self.username}"


def _staff(state: AppState, db: Database, token: HTTPAuthorizationCredentials | None, request: Request) -> Staff:
    if token is None:
        if request.headers.get("x-api-key"):
            raise Unauthorized("this endpoint is for staff: log in (POST /v1/auth/login) and send the token as "
                               "'Authorization: Bearer ...' (an operator's API key cannot use it)")
        raise Unauthorized("log in (POST /v1/auth/login) and send the token as 'Authorization: Bearer ...'")
    claims = read_token(state.settings.secret_key.get_secret_value(), token.credentials)
    if claims is None:
        raise Unauthorized("the token is not valid or has expired: log in again")
    user = accounts.staff_session(db, claims[1], "api", claims[0])
    if user is None:
        raise Unauthorized("the token's session has ended (logged out, or the account changed or was deactivated "
                           "since it was issued): log in again")
    return Staff(user.username, user.role, claims[1])


def require(*roles: str) -> Callable[..., Staff]:
    """A dependency admitting staff with one of ``roles`` (403 for the others)."""

    def dependency(
        request: Request, state: State, db: Db,
        token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    ) -> Staff:
        staff = _staff(state, db, token, request)
        if staff.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}; your role is {staff.role}")
        return staff

    dependency.__name__ = f"require_{'_'.join(roles)}"
    dependency.traza_roles = tuple(roles)  # type: ignore[attr-defined]
    return dependency


AnyStaff = Annotated[Staff, Depends(require(*vocab.ROLES))]
Registrar = Annotated[Staff, Depends(require(*vocab.REGISTRARS))]
RegistryReader = Annotated[Staff, Depends(require(*vocab.REGISTRY_READERS))]
AlertWorker = Annotated[Staff, Depends(require(*vocab.WORKER_ROLES))]
AlertReader = Annotated[Staff, Depends(require(*vocab.ALERT_READERS))]
Supervisor = Annotated[Staff, Depends(require(*vocab.SUPERVISORS))]
Auditor = Annotated[Staff, Depends(require(*vocab.AUDITORS))]
Admin = Annotated[Staff, Depends(require(*vocab.ADMINS))]
