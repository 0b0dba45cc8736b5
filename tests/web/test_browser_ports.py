"""Ports in Chromium: an analyst opens a vessel call, makes its inspection list, opens the top
container, records an inspection with a seizure, and sees the port's hit rate change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ports import scenario
from tests.web.conftest import Site, login_staff, screenshot
from traza.ports.load import load_file


def _hits(page: Any) -> int:
    row = page.locator("#port-stats tr[data-port=PECLL] td.hits")
    return int(row.inner_text()) if row.count() else 0


def test_analyst_records_a_seizure_and_sees_the_hit_rate_change(page: Any, site: Site, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    with site.db() as db:
        for key in ("manifests", "events"):
            load_file(db, paths[key])
    login_staff(page, "analyst")
    page.click("header nav a[href='/ports']")
    page.wait_for_selector("#calls")
    before = _hits(page)
    page.click("#calls a:has-text('MSC SCENARIO E1')")
    page.wait_for_selector("#make-list")
    page.click("#make-list button[type=submit]")
    page.wait_for_selector("#inspection-list tbody tr")
    screenshot(page, "port-inspection-list")
    top = page.locator("#inspection-list tbody tr").first
    container = top.get_attribute("data-container")
    assert container and float(top.locator("td").nth(2).inner_text()) > 0
    top.locator("a").click()
    page.wait_for_selector("#inspect-form")
    assert page.locator("#reasons li").count() >= 1 and page.locator("#documents tbody tr").count() >= 1
    page.check("#inspect-form input[value=k9]")
    page.check("#inspect-form input[value=physical]")
    page.check("#inspect-form input[name=k9_alert]")
    page.select_option("#inspect-form select[name=result]", "seizure")
    page.fill("#inspect-form input[name=substance]", "cocaína")
    page.fill("#inspect-form input[name=packages]", "30")
    page.fill("#inspect-form input[name=net_kg]", "36.5")
    page.fill("#inspect-form input[name=concealment]", "bolsas junto a las puertas")
    page.click("#inspect-form button[type=submit]")
    page.wait_for_url("**/ports")
    page.wait_for_selector("#port-stats tr[data-port=PECLL]")
    assert _hits(page) == before + 1
    assert page.locator("#port-stats tr[data-port=PECLL] td.precision").inner_text() != "—"
    screenshot(page, "port-dashboard")
