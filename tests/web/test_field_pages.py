"""Field pages on both backends: the operations map draws the month's plots over their
districts, tallies against goals and the incident log; the certificate check page runs the
checks for analysts and shows their findings; an auditor may read but not run."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.field import april2005
from tests.field.cases import TODAY, FieldWorld
from tests.web.test_pages import login
from traza.field.load import default_context, load_field


def _load(w: World, fw: FieldWorld) -> None:
    with w.db() as db:
        assert load_field(db, fw.write(), ctx=default_context(TODAY)).rows_rejected == 0


def test_operations_page(world: World, tmp_path: Path) -> None:  # noqa: F811
    _load(world, april2005.build(tmp_path))
    c = world.client
    login(c, "analyst")
    page = c.get("/field?month=2005-04")
    assert page.status_code == 200, page.text
    body = page.text
    assert 'id="field-map"' in body and body.count('class="plot"') == 108  # 107 plots and the one of the 29th
    assert 'data-ubigeo="100601"' in body and "Rupa-Rupa" in body
    assert "217,00" in body  # the month to the 30th, in hectares, written as Spanish writes it
    assert "Three UH-1s hit 52 times" in body and body.count("<tr><td>2005-04-") == 3
    assert c.get("/field").status_code == 200  # defaults to the latest month with plots
    assert c.get("/field?month=2005-13").status_code == 400


def test_checks_page(world: World, tmp_path: Path) -> None:  # noqa: F811
    fw = FieldWorld(tmp_path)
    fw.certificate("C1", 5, holder_deceased="true")
    fw.plot("P1", "2026-03-01", 1.0, certificate_id="C1")
    _load(world, fw)
    c = world.client
    csrf = login(c, "auditor")
    assert 'id="no-run"' in c.get("/field/checks").text
    assert c.post("/field/checks/run", data={"csrf": csrf}, follow_redirects=False).status_code == 403
    c.cookies.clear()
    csrf = login(c, "analyst")
    resp = c.post("/field/checks/run", data={"csrf": csrf, "as_of": "2026-10-31"}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    page = c.get("/field/checks").text
    assert 'data-check="certificate_holder_unverified"' in page and "plot:P1" in page
    assert c.post("/field/checks/run", data={"csrf": "forged"}).status_code in (400, 403)
