"""Staff login."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel, Field

from traza.api.deps import AnyStaff, Db, State
from traza.api.errors import RateLimited, Unauthorized
from traza.api.routers._common import router
from traza.api.schemas import Strict, Timestamp
from traza.api.security import issue_token
from traza.service import accounts, throttle

r = router("auth")


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: Timestamp
    username: str
    role: str


class MeOut(BaseModel):
    username: str
    role: str


@r.post("/auth/login", operation_id="login", response_model=TokenOut)
def login(body: LoginIn, state: State, db: Db, request: Request) -> TokenOut:
    """Exchange a staff member's username and password for a bearer token. Repeated failures
    lock the name (and the client) for a while: 429 with Retry-After."""
    client = request.client.host if request.client else None
    wait = throttle.retry_after(db, body.username, client)
    if wait:
        raise RateLimited(f"too many failed logins: try again in {wait} seconds",
                          headers={"Retry-After": str(wait)})
    user = accounts.get_user(db, body.username)
    ok = state.passwords.verify(user.password_hash if user else None, body.password)
    good = user is not None and ok and user.active
    throttle.note_attempt(db, body.username, client, good)
    if user is None or not good:
        raise Unauthorized("wrong username or password, or the account is deactivated")
    token, expires = issue_token(state.settings.secret_key.get_secret_value(), user.username, user.version,
                                 state.settings.token_minutes)
    return TokenOut(access_token=token, expires_at=expires, username=user.username, role=user.role)


@r.get("/auth/me", operation_id="whoami", response_model=MeOut)
def whoami(staff: AnyStaff) -> MeOut:
    """The staff member behind the token, and their role."""
    return MeOut(username=staff.username, role=staff.role)
