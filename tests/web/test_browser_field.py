"""The field pages in Chromium: the operations map draws every plot of April 2005 over its
districts, and an analyst runs the certificate checks from the page."""

from __future__ import annotations

from typing import Any

from tests.field import april2005
from tests.field.cases import TODAY
from tests.web.conftest import Site, login_staff, screenshot
from traza.field.load import default_context, load_field


def test_operations_map_and_certificate_checks(page: Any, site: Site, tmp_path: Any) -> None:
    fw = april2005.build(tmp_path)
    fw.certificate("ENACO-1978-00001", 1, holder_deceased="true")
    fw.plot("P05-CERT", "2005-04-20", 1.0, certificate_id="ENACO-1978-00001", east_m=3000)
    with site.db() as db:
        assert load_field(db, fw.write(), ctx=default_context(TODAY)).rows_rejected == 0
    login_staff(page, "analyst")
    page.goto("/field?month=2005-04")
    page.wait_for_selector("#field-map g.plot")
    assert page.locator("#field-map g.plot").count() == 109
    assert page.locator("#field-map path.district").count() >= 1
    box = page.locator("#field-map").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100  # drawn, not collapsed
    assert page.locator("#incidents tbody tr").count() == 3
    screenshot(page, "field")
    page.click("a[href='/field/checks']")
    page.fill("#run-form input[name=as_of]", "2005-12-31")
    page.click("#run-form button[type=submit]")
    page.wait_for_selector("#findings tr[data-check='certificate_holder_unverified']")
    assert "ENACO-1978-00001" in page.locator("#findings").inner_text()
    screenshot(page, "field-checks")
