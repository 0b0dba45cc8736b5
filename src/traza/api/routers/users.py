"""Staff accounts, for admins. An account is never edited: each change is a new version."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from traza.api.deps import Admin, Db, State
from traza.api.errors import Conflict, Invalid, NotFound
from traza.api.routers._common import router
from traza.api.schemas import Strict, Timestamp
from traza.core.vocab import Role
from traza.service import accounts

r = router("users")
Username = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9._-]{1,39}$")]
Password = Annotated[str, Field(min_length=12, max_length=200, description="At least 12 characters")]


class UserOut(BaseModel):
    username: str
    full_name: str | None
    role: str
    active: bool
    updated_at: Timestamp


class UserIn(Strict):
    username: Username
    full_name: Annotated[str, Field(max_length=200)] | None = None
    role: Role
    password: Password


class UserUpdateIn(Strict):
    full_name: Annotated[str, Field(max_length=200)] | None = None
    role: Role | None = None
    active: bool | None = None
    password: Password | None = None


def _out(db: Db, username: str) -> UserOut:
    return next(UserOut(**u) for u in accounts.list_users(db) if u["username"] == username)


@r.get("/users", operation_id="list_users", response_model=list[UserOut])
def list_users(staff: Admin, db: Db) -> list[UserOut]:
    """Staff accounts and their roles."""
    return [UserOut(**u) for u in accounts.list_users(db)]


@r.post("/users", operation_id="create_user", response_model=UserOut, status_code=201)
def create_user(staff: Admin, db: Db, state: State, body: UserIn) -> UserOut:
    """Create a staff account."""
    if accounts.get_user(db, body.username) is not None:
        raise Conflict(f"{body.username} already exists: change it with POST /v1/users/{body.username}")
    accounts.save_user(db, staff.actor, body.username, body.full_name, body.role,
                       state.passwords.hash(body.password), True, "user.create", ["role", "password"])
    return _out(db, body.username)


@r.post("/users/{username}", operation_id="update_user", response_model=UserOut)
def update_user(staff: Admin, db: Db, state: State, username: Username, body: UserUpdateIn) -> UserOut:
    """Change a role, a name or a password, or (de)activate an account. Every session of the
    account (its tokens and web sessions) ends with the change: its holder logs in again."""
    user = accounts.get_user(db, username)
    if user is None:
        raise NotFound(f"no user {username}")
    changed = [k for k, v in body.model_dump().items() if v is not None]
    if not changed:
        raise Invalid("nothing to change: give full_name, role, active or password")
    if username == staff.username and (body.active is False or (body.role and body.role != "admin")):
        raise Conflict("an admin cannot deactivate or demote their own account")
    accounts.save_user(
        db, staff.actor, username, body.full_name if body.full_name is not None else user.full_name,
        body.role or user.role, state.passwords.hash(body.password) if body.password else user.password_hash,
        user.active if body.active is None else body.active, "user.update", changed)
    return _out(db, username)
