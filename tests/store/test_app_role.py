"""PostgreSQL with two roles (issue 16, finding 4): the owner migrates (`traza init` with
TRAZA_MIGRATE_URL and TRAZA_APP_ROLE); the service's app role cannot rewrite the audit log:
no ALTER, DROP, CREATE, UPDATE, DELETE or TRUNCATE, and what it forges is found by `traza
audit verify`. Test roles are made as the superuser, named uniquely and dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import psycopg
import pytest
from typer.testing import CliRunner

from tests.conftest import _PG_SKIP, PG_BASE, skip_or_fail
from traza.cases.audit import record
from traza.cli import app
from traza.store import open_database
from traza.store.chain import verify
from traza.store.migrate import SchemaOutdated, upgrade
from traza.store.roles import RoleError, grant_app_role

pytestmark = pytest.mark.postgres
runner = CliRunner()


@dataclass
class Roles:
    schema: str
    owner: str
    app: str

    def url(self, role: str) -> str:
        parts = urlsplit(PG_BASE)
        host = parts.hostname or "127.0.0.1"
        return f"postgresql://{role}@{host}:{parts.port or 5432}{parts.path}?options=-csearch_path%3D{self.schema}"

    @property
    def owner_url(self) -> str:
        return self.url(self.owner)

    @property
    def app_url(self) -> str:
        return self.url(self.app)


@pytest.fixture
def roles() -> Iterator[Roles]:
    if _PG_SKIP:
        skip_or_fail(_PG_SKIP)
    tag = uuid.uuid4().hex[:10]
    r = Roles(f"traza_t_roles_{tag}", f"traza_t_own_{tag}", f"traza_t_app_{tag}")
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {r.owner} LOGIN")
        conn.execute(f"CREATE ROLE {r.app} LOGIN")
        conn.execute(f"CREATE SCHEMA {r.schema} AUTHORIZATION {r.owner}")
    try:
        yield r
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            # The schema first: dropping it with the owner's default privileges in one
            # DROP OWNED trips over them ("could not find tuple for default ACL").
            conn.execute(f"DROP SCHEMA IF EXISTS {r.schema} CASCADE")
            conn.execute(f"DROP OWNED BY {r.owner}, {r.app} CASCADE")
            conn.execute(f"DROP ROLE {r.app}")
            conn.execute(f"DROP ROLE {r.owner}")


@pytest.fixture
def migrated(roles: Roles) -> Roles:
    """`traza init` as the owner, granting the app role."""
    result = runner.invoke(app, ["init"], env={"TRAZA_MIGRATE_URL": roles.owner_url, "TRAZA_APP_ROLE": roles.app,
                                               "TRAZA_DATABASE_URL": roles.app_url})
    assert result.exit_code == 0, result.output
    assert f"app role {roles.app}" in result.output and "events" in result.output
    return roles


# What the outside attacker did as the app's role, and the rest of the family.
REFUSED = {
    "disable_trigger": "ALTER TABLE events DISABLE TRIGGER events_append_only",
    "disable_all_triggers": "ALTER TABLE events DISABLE TRIGGER ALL",
    "drop_trigger": "DROP TRIGGER events_append_only ON events",
    "replace_function": ("CREATE OR REPLACE FUNCTION traza_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN RETURN NULL; END $$"),
    "new_trigger": ("CREATE TRIGGER events_quiet BEFORE INSERT ON events FOR EACH ROW "
                    "EXECUTE FUNCTION traza_append_only()"),
    "update": "UPDATE events SET payload = '{}'",
    "delete": "DELETE FROM events",
    "truncate": "TRUNCATE events",
    "add_column": "ALTER TABLE events ADD COLUMN note VARCHAR",
    "drop_table": "DROP TABLE events",
    "rename_table": "ALTER TABLE events RENAME TO events_old",
    "create_table": "CREATE TABLE events_shadow (event_id BIGINT)",
    "create_function": "CREATE FUNCTION traza_x() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
    "update_other_append_only": "UPDATE alert_log SET value = 'false_positive'",
    "drop_migrations": "DELETE FROM schema_migrations",
    # The registry, the ledger and their submissions are facts too: appended, never changed
    # (an outside probe deleted a firm's registration and zeroed a movement as the app role).
    "delete_registration": "DELETE FROM operator_versions",
    "delete_authorisations": "DELETE FROM authorisation_versions",
    "zero_a_movement": "UPDATE movements SET quantity_kg = 0",
    "delete_movements": "DELETE FROM movements",
    "delete_submissions": "DELETE FROM submissions",
    "delete_rejections": "DELETE FROM rejections",
    "delete_sale_checks": "DELETE FROM sale_checks",
}


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_app_role_cannot_rewrite_the_audit_log(migrated: Roles, what: str) -> None:
    with open_database(migrated.owner_url) as db:
        record(db, "staff:analyst", "alert.close", "alert", "A1", {"value": "confirmed"})
    with psycopg.connect(migrated.app_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(REFUSED[what].encode())
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (1,)
    with open_database(migrated.owner_url) as db:
        assert verify(db).ok


def test_app_role_appends_and_a_forged_insert_is_named(migrated: Roles) -> None:
    with open_database(migrated.app_url) as db:  # no migration attempted: the schema is current
        assert db.scalar("SELECT current_user") == migrated.app
        eid = record(db, "staff:analyst", "alert.close", "alert", "A1", {"value": "confirmed"})
        assert verify(db).ok
        # What the app role may do is INSERT: a row written by hand, with a made-up hash.
        db.execute("INSERT INTO events VALUES (nextval('event_id_seq'), ?, 'staff:supervisor', 'alert.close', "
                   "'alert', 'A1', '{\"value\": \"false_positive\"}', ?, ?)", (datetime.now(), "0" * 64, "a" * 64))
        forged = eid + 1
    result = runner.invoke(app, ["audit", "verify", "-d", migrated.app_url])
    assert result.exit_code == 1, result.output
    assert f"BROKEN at event {forged}" in result.output


def test_payload_edited_by_the_owner_is_named(migrated: Roles) -> None:
    with open_database(migrated.app_url) as db:
        ids = [record(db, "staff:analyst", "alert.close", "alert", f"A{i}", {"value": "confirmed"}) for i in range(3)]
    with psycopg.connect(migrated.owner_url, autocommit=True) as conn, conn.transaction():
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")
        conn.execute("UPDATE events SET payload = '{\"value\": \"false_positive\"}' WHERE event_id = %s", (ids[1],))
        conn.execute("ALTER TABLE events ENABLE TRIGGER events_append_only")
    result = runner.invoke(app, ["audit", "verify", "-d", migrated.app_url])
    assert result.exit_code == 1 and f"BROKEN at event {ids[1]}" in result.output


def test_app_role_on_an_outdated_schema_says_what_to_run(roles: Roles) -> None:
    with open_database(roles.owner_url, migrate=False) as db:
        upgrade(db, target=6)
        grant_app_role(db, roles.app)
    with pytest.raises(SchemaOutdated, match=r"version 6, this traza needs \d+.*traza init.*TRAZA_MIGRATE_URL"):
        open_database(roles.app_url)
    result = runner.invoke(app, ["status", "-d", roles.app_url])
    assert result.exit_code == 2 and "traza init" in result.output


def test_grant_refuses_a_role_that_could_rewrite(roles: Roles) -> None:
    with open_database(roles.owner_url) as db, pytest.raises(RoleError, match="no PostgreSQL role"):
        grant_app_role(db, roles.app + "_missing")
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f"GRANT {roles.owner} TO {roles.app}")
    with open_database(roles.owner_url) as db, pytest.raises(RoleError, match="member of the owner role"):
        grant_app_role(db, roles.app)
