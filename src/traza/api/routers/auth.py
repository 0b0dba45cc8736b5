"""Staff login and logout."""

from __future__ import annotations

from fastapi import Request, Response
from pydantic import BaseModel, Field, field_validator

from traza.api.deps import AnyStaff, Db, State
from traza.api.errors import RateLimited, Unauthorized
from traza.api.routers._common import router
from traza.api.schemas import Strict, Timestamp
from traza.api.security import issue_token
from traza.core.text import clean_text
from traza.service import accounts, throttle

r = router("auth")


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)

    @field_validator("username")
    @classmethod
    def _one_reading(cls, value: str) -> str:
        # The name is counted by the throttle and stored in the audit log: its one reading
        # (NFKC, no invisible characters), and a NUL or control character is a 422 naming
        # the field, not a 500 from the database.
        return clean_text(value, "username")


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
    # Counted before the password is verified, in the statement that decides (traza.service.throttle):
    # parallel attempts cannot all slip past a count none of them has added to yet.
    wait = throttle.admit(db, body.username, client)
    if wait:
        raise RateLimited(f"too many failed logins: try again in {wait} seconds",
                          headers={"Retry-After": str(wait)})
    user = accounts.get_user(db, body.username)
    ok = state.passwords.verify(user.password_hash if user else None, body.password)
    good = user is not None and ok and user.active
    throttle.settle(db, body.username, client, good)
    if user is None or not good:
        raise Unauthorized("wrong username or password, or the account is deactivated")
    session_id = accounts.open_staff_session(db, user, "api", state.settings.token_minutes)
    token, expires = issue_token(state.settings.secret_key.get_secret_value(), user.username, session_id,
                                 state.settings.token_minutes)
    return TokenOut(access_token=token, expires_at=expires, username=user.username, role=user.role)


@r.post("/auth/logout", operation_id="logout", status_code=204, response_class=Response)
def logout(staff: AnyStaff, db: Db) -> Response:
    """End every session of the staff member behind the token: this token, every other token
    and every web session of theirs stop working at once."""
    accounts.end_staff_sessions(db, staff.actor, staff.username)
    return Response(status_code=204)


@r.get("/auth/me", operation_id="whoami", response_model=MeOut)
def whoami(staff: AnyStaff) -> MeOut:
    """The staff member behind the token, and their role."""
    return MeOut(username=staff.username, role=staff.role)
