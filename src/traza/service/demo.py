"""Accounts for a demo database: one staff login per role and one operator's API key, so
that a newcomer who ran ``make demo`` can open every page. Passwords are random, made anew
each time and shown once (never a well-known password, even on a demo)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from traza.core.vocab import ROLES
from traza.service import accounts
from traza.store.db import Database


class NotADemo(Exception):
    """Demo accounts are refused outside a development environment or where staff exist."""


@dataclass(frozen=True)
class Login:
    role: str  # a staff role, or "operator"
    username: str  # the RUC for an operator
    secret: str  # password, or API key


def demo_operator(db: Database) -> str | None:
    """The active registered operator with the most declared movements (its portal has the most to show)."""
    row = db.query("SELECT o.ruc FROM operators o LEFT JOIN movements m ON m.declarant_ruc = o.ruc "
                   "WHERE o.status = 'active' GROUP BY o.ruc ORDER BY count(m.declarant_ruc) DESC, o.ruc LIMIT 1")
    return str(row[0][0]) if row else None


def create_demo_logins(db: Database, hash_password: Callable[[str], str], *, development: bool) -> list[Login]:
    """One ``demo-<role>`` account per staff role and an API key for :func:`demo_operator`."""
    if not development:
        raise NotADemo("demo accounts are made only where TRAZA_ENV=development; a live registry's "
                       "accounts are made one by one with `traza staff-add`")
    if accounts.any_user(db):
        raise NotADemo("this database already has staff accounts: demo accounts go only on a fresh demo database")
    out = []
    for role in ROLES:
        username, password = f"demo-{role}", secrets.token_urlsafe(12)
        accounts.save_user(db, "demo", username, f"Demo {role}", role, hash_password(password), True,
                           "user.create", ["role", "password"])
        out.append(Login(role, username, password))
    ruc = demo_operator(db)
    if ruc is not None:
        out.append(Login("operator", ruc, accounts.issue_key(db, "demo", ruc, "demo").token))
    return out
