"""The audit page says whether the audit log's hash chain holds (issue 16, finding 4), and
names the first broken event when an event was edited behind the service's back."""

from __future__ import annotations

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.web.test_pages import login


def _tamper(w: World) -> int:
    """As the owner (the tests' superuser): lift the trigger and edit one event's payload."""
    with w.db() as db, db.transaction():
        eid = int(db.scalar("SELECT min(event_id) FROM events"))
        if db.dialect == "postgres":
            db.execute_native("ALTER TABLE events DISABLE TRIGGER events_append_only")
        db.execute("UPDATE events SET payload = '{\"role\": \"admin\"}' WHERE event_id = ?", (eid,))
        if db.dialect == "postgres":
            db.execute_native("ALTER TABLE events ENABLE TRIGGER events_append_only")
    return eid


def test_audit_page_shows_whether_the_chain_holds(world: World) -> None:  # noqa: F811
    c = world.client
    login(c, "auditor")
    page = c.get("/audit")
    assert page.status_code == 200
    assert 'id="chain"' in page.text and "La cadena de integridad se mantiene" in page.text
    assert 'id="chain"' not in c.get("/audit?page=2").text  # the walk is paid on the first page only
    eid = _tamper(world)
    page = c.get("/audit")
    assert "La cadena de integridad está ROTA" in page.text and f"event {eid}:" in page.text
    assert 'role="alert"' in page.text


def test_event_details_read_as_words_not_python(world: World) -> None:  # noqa: F811
    # An operator's registration records a row (a mapping) and lists: shown as key: value and
    # joined lists, never "{'ruc': ...}" or "['role']".
    c = world.client
    login(c, "auditor")
    page = c.get("/audit").text
    details = page.split('<table id="events">')[1].split("</table>")[0]
    assert '<dl class="payload">' in details and "<dt>changed</dt><dd>role</dd>" in details
    assert "{'" not in details and "['" not in details and "&#39;" not in details
