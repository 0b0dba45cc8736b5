"""Logging in and out. Staff: username and password (argon2id, as the API). Operators: their
RUC and one of their API keys, the credential the registry already issues them. Each login
opens a server-side session (traza.service.sessions) that remembers the account's version or
the key's id, so a changed account or a revoked key ends it; logging out ends it (for staff,
every session and token of theirs) even for a copy of the cookie kept from before."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from traza.api.deps import Db, State
from traza.core.text import BadText, clean_identifier, clean_text
from traza.service import accounts, sessions, throttle
from traza.service.checks import InactiveOperator
from traza.web.deps import AnyViewer, WebProblem, check_csrf
from traza.web.render import html, redirect
from traza.web.routes._common import router, safe_next
from traza.web.session import Session, sessions_for

r = router()
Field = Annotated[str, Form(max_length=1000)]

@r.get("/login")
def login_page(request: Request, db: Db, v: AnyViewer, next: str | None = None) -> Response:
    if v.role:
        return redirect(request, v, safe_next(next))
    # A fresh installation has no staff: the page says how the first admin is made.
    return html(request, v, "login.html", next=safe_next(next), no_staff=not accounts.any_user(db))

def _read(value: str, field: str, identifier: bool = False) -> str:
    """A login field in its one reading; a control character (NUL...) is a 400 naming the field."""
    try:
        return clean_identifier(value, field, max_length=1000) if identifier else clean_text(value, field)
    except BadText as exc:
        raise WebProblem(str(exc)) from exc

def _locked(request: Request, v: AnyViewer, db: Db, name: str, next: str) -> Response | None:
    """The API's throttle (shared by every worker and by the API's login): the attempt is
    counted before the credential is checked, and a locked name or client gets 429 without
    its credential being checked at all."""
    wait = throttle.admit(db, name, request.client.host if request.client else None)
    if not wait:
        return None
    response = html(request, v, "login.html", code=429, next=next, error_key="auth.locked")
    response.headers["Retry-After"] = str(wait)
    return response

def _note(request: Request, db: Db, name: str, ok: bool) -> None:
    throttle.settle(db, name, request.client.host if request.client else None, ok)

def _start(request: Request, state: State, v: AnyViewer, sid: str, to: str) -> Response:
    response = redirect(request, v, to)
    sessions_for(state.settings).write(response, v.session.logged_in(sid))
    return response

@r.post("/login")
async def login(request: Request, state: State, db: Db, v: AnyViewer, username: Field, password: Field,
                next: Annotated[str, Form(max_length=1000)] = "/") -> Response:
    await check_csrf(request, v)
    name = _read(username, "username").strip()
    if (locked := _locked(request, v, db, name, safe_next(next))) is not None:
        return locked
    user = accounts.get_user(db, name)
    # argon2 takes a good fraction of a second on purpose: off the event loop, or every login
    # attempt (wrong ones included) would stall every other request of this worker meanwhile.
    ok = await run_in_threadpool(state.passwords.verify, user.password_hash if user else None, password)
    _note(request, db, name, user is not None and ok and user.active)
    if user is None or not ok or not user.active:
        return html(request, v, "login.html", code=401, next=safe_next(next), error_key="auth.failed")
    sid = accounts.open_staff_session(db, user, "web", state.settings.token_minutes)
    return _start(request, state, v, sid, safe_next(next))

@r.post("/login/operator")
async def login_operator(request: Request, state: State, db: Db, v: AnyViewer, ruc: Field,
                         api_key: Field) -> Response:
    await check_csrf(request, v)
    ruc, api_key = _read(ruc, "ruc", identifier=True), _read(api_key, "api_key", identifier=True)
    # Operators are throttled under their RUC, apart from staff names.
    name = f"operator:{ruc.strip()}"
    if (locked := _locked(request, v, db, name, "/")) is not None:
        return locked
    try:
        principal = state.facts.verify_key(api_key.strip())
    except InactiveOperator:  # a real key of a suspended or revoked operator: let it in nowhere
        _note(request, db, name, False)
        return html(request, v, "login.html", code=403, next="/", error_key="auth.operator_inactive")
    _note(request, db, name, principal is not None and principal.ruc == ruc.strip())
    if principal is None or principal.ruc != ruc.strip():
        return html(request, v, "login.html", code=401, next="/", error_key="auth.key_failed")
    sid = sessions.start(db, sessions.OPERATOR, principal.ruc, principal.key_id, "web", state.settings.token_minutes)
    return _start(request, state, v, sid, "/portal")

@r.post("/logout")
async def logout(request: Request, state: State, db: Db, v: AnyViewer) -> Response:
    await check_csrf(request, v)
    # Ended on the server, not only forgotten by this browser: a saved copy of the cookie (and,
    # for staff, every other session and token of theirs) opens nothing afterwards.
    if v.role == "operator" and v.session.who and v.session.version:
        sessions.end_operator_sessions(db, v.session.who, v.session.version)
    elif v.role and v.session.who:
        accounts.end_staff_sessions(db, v.actor, v.session.who)
    response = redirect(request, v, "/login")
    sessions_for(state.settings).write(response, Session.anonymous())
    return response
