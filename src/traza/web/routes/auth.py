"""Logging in and out. Staff: username and password (argon2id, as the API). Operators: their
RUC and one of their API keys, the credential the registry already issues them; the session
remembers the key's id, so revoking the key ends the session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from traza.api.deps import Db, State
from traza.service import accounts, throttle
from traza.web.deps import AnyViewer, check_csrf
from traza.web.render import html, redirect
from traza.web.routes._common import router, safe_next
from traza.web.session import Session, sessions_for

r = router()
Field = Annotated[str, Form(max_length=1000)]

@r.get("/login")
def login_page(request: Request, v: AnyViewer, next: str | None = None) -> Response:
    if v.role:
        return redirect(request, v, safe_next(next))
    return html(request, v, "login.html", next=safe_next(next))

def _locked(request: Request, v: AnyViewer, db: Db, name: str, next: str) -> Response | None:
    """The API's throttle (failures counted in the audit log, shared by every worker and by
    the API's login): a locked name or client gets 429 before its credential is even checked."""
    wait = throttle.retry_after(db, name, request.client.host if request.client else None)
    if not wait:
        return None
    response = html(request, v, "login.html", code=429, next=next, error_key="auth.locked")
    response.headers["Retry-After"] = str(wait)
    return response

def _note(request: Request, db: Db, name: str, ok: bool) -> None:
    throttle.note_attempt(db, name, request.client.host if request.client else None, ok)

def _start(request: Request, state: State, v: AnyViewer, session: Session, to: str) -> Response:
    response = redirect(request, v, to)
    sessions_for(state.settings).write(response, session)
    return response

@r.post("/login")
async def login(request: Request, state: State, db: Db, v: AnyViewer, username: Field, password: Field,
                next: Annotated[str, Form(max_length=1000)] = "/") -> Response:
    await check_csrf(request, v)
    name = username.strip()
    if (locked := _locked(request, v, db, name, safe_next(next))) is not None:
        return locked
    user = accounts.get_user(db, name)
    ok = state.passwords.verify(user.password_hash if user else None, password)
    _note(request, db, name, user is not None and ok and user.active)
    if user is None or not ok or not user.active:
        return html(request, v, "login.html", code=401, next=safe_next(next), error_key="auth.failed")
    return _start(request, state, v, v.session.logged_in("staff", user.username, str(user.version)), safe_next(next))

@r.post("/login/operator")
async def login_operator(request: Request, state: State, db: Db, v: AnyViewer, ruc: Field,
                         api_key: Field) -> Response:
    await check_csrf(request, v)
    # Operators are throttled under their RUC, apart from staff names.
    name = f"operator:{ruc.strip()}"
    if (locked := _locked(request, v, db, name, "/")) is not None:
        return locked
    principal = state.facts.verify_key(api_key.strip())
    _note(request, db, name, principal is not None and principal.ruc == ruc.strip())
    if principal is None or principal.ruc != ruc.strip():
        return html(request, v, "login.html", code=401, next="/", error_key="auth.key_failed")
    return _start(request, state, v, v.session.logged_in("operator", principal.ruc, principal.key_id), "/portal")

@r.post("/logout")
async def logout(request: Request, state: State, v: AnyViewer) -> Response:
    await check_csrf(request, v)
    response = redirect(request, v, "/login")
    sessions_for(state.settings).write(response, Session.anonymous())
    return response

