"""Who is looking at a page: the session cookie checked against the database, and the roles
each page admits. Every dependency that admits a principal carries ``traza_roles`` (the roles
it admits: staff roles as in :mod:`traza.api.deps`, ``operator`` for an operator), which the
access-matrix test reads. Forms and HTMX requests that change something also carry the
session's CSRF token, checked here."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from traza.api.deps import Db, State
from traza.core import vocab
from traza.service import accounts
from traza.service import sessions as server_sessions
from traza.web.i18n import LANGS, pick_lang
from traza.web.session import COOKIE, LANG_COOKIE, Session, sessions_for

# An operator is not a staff role: only pages (and the API's key dependency) admit one.
OPERATOR = ("operator",)
EVERYONE = (*vocab.ROLES, *OPERATOR)


class LoginNeeded(Exception):
    """No valid session: the page sends the browser to /login."""


class WebForbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WebProblem(Exception):
    """A request the page cannot honour (bad form value, unknown id): shown to the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Viewer:
    session: Session
    fresh: bool  # the session was made for this request: the response sets its cookie
    lang: str
    lang_changed: bool  # ?lang= asked for a language: the response remembers it
    role: str | None = None  # a staff role, 'operator', or None before logging in
    full_name: str | None = None

    @property
    def name(self) -> str | None:
        return self.session.who if self.role else None

    @property
    def actor(self) -> str:
        """As the API writes it in the audit log."""
        if self.role == "operator":
            return f"operator:{self.session.who}"
        return f"staff:{self.session.who}"

    @property
    def csrf(self) -> str:
        return self.session.csrf


def _lang(request: Request) -> tuple[str, bool]:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return str(asked), True
    return pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")), False


def viewer(request: Request, state: State, db: Db) -> Viewer:
    """The session (an anonymous one when there is none), with its principal read from the
    server-side session: an ended session, a changed or deactivated account or a revoked key
    is nobody."""
    sessions = sessions_for(state.settings)
    lang, changed = _lang(request)
    read = sessions.read(request.cookies.get(COOKIE))
    session, fresh = (read, False) if read is not None else (Session.anonymous(), True)
    role, full_name = None, None
    found = accounts.session_of(db, session.sid) if session.sid else None
    if found is None or found[0].channel != "web":
        pass
    elif found[0].kind == server_sessions.STAFF:
        user = found[1]
        if user is not None:
            session = session.as_("staff", user.username, str(user.version))
            role, full_name = user.role, user.full_name
    elif found[0].kind == server_sessions.OPERATOR:
        key = accounts.find_key(db, found[0].credential)
        operator = (db.query("SELECT name, status FROM operators WHERE ruc = ?", (key.ruc,))
                    if key is not None and not key.revoked and key.ruc == found[0].principal else [])
        # Only an active operator's session opens the portal: a suspension or revocation ends
        # it at the next request, as it stops the operator's keys in the API.
        if key is not None and operator and operator[0][1] == "active":
            session = session.as_("operator", key.ruc, key.key_id)
            role = "operator"
            full_name = operator[0][0]
    return Viewer(session, fresh, lang, changed, role, full_name)


AnyViewer = Annotated[Viewer, Depends(viewer)]


def require(*roles: str) -> Callable[..., Viewer]:
    """A dependency admitting a logged-in principal with one of ``roles``."""

    def dependency(v: AnyViewer) -> Viewer:
        if v.role is None:
            raise LoginNeeded()
        if v.role not in roles:
            raise WebForbidden(" / ".join(roles))
        return v

    dependency.__name__ = f"web_{'_'.join(roles)}"
    dependency.traza_roles = roles  # type: ignore[attr-defined]
    return dependency


async def _sent_token(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette keeps it: the route reads the same form
        value = form.get("csrf")
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, v: Viewer) -> None:
    sent = await _sent_token(request)
    if v.fresh or not sent or not hmac.compare_digest(sent, v.csrf):
        raise WebProblem("csrf", status=403)


def write(*roles: str) -> Callable[..., Awaitable[Viewer]]:
    """Like :func:`require`, for requests that change something: the CSRF token must match."""
    inner = require(*roles)

    # Depends as a default, not in the annotation: annotations are strings here, and ``inner``
    # is not a name FastAPI could resolve from the module.
    async def dependency(request: Request, v: Viewer = Depends(inner)) -> Viewer:  # noqa: B008
        await check_csrf(request, v)
        return v

    dependency.__name__ = f"web_write_{'_'.join(roles)}"
    dependency.traza_roles = roles  # type: ignore[attr-defined]
    return dependency


Anyone = Annotated[Viewer, Depends(require(*EVERYONE))]
AnyStaff = Annotated[Viewer, Depends(require(*vocab.ROLES))]
AlertReader = Annotated[Viewer, Depends(require(*vocab.ALERT_READERS))]
AlertWorker = Annotated[Viewer, Depends(write(*vocab.WORKER_ROLES))]
SupervisorW = Annotated[Viewer, Depends(write(*vocab.SUPERVISORS))]
RegistryReader = Annotated[Viewer, Depends(require(*vocab.REGISTRY_READERS))]
RegistrarW = Annotated[Viewer, Depends(write(*vocab.REGISTRARS))]
Auditor = Annotated[Viewer, Depends(require(*vocab.AUDITORS))]
OperatorR = Annotated[Viewer, Depends(require(*OPERATOR))]
OperatorW = Annotated[Viewer, Depends(write(*OPERATOR))]
