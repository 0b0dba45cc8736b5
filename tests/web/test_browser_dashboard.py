"""The dashboard in Chromium: the map draws Peru's districts, the charts draw, and the
language switch changes the page's words and is remembered."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site, login_staff, screenshot, wait_until
from traza.core.geo import default_geography


def test_dashboard_map_and_charts(page: Any, site: Site) -> None:
    login_staff(page, "analyst")
    assert page.url.rstrip("/") == site.url
    districts = page.locator("svg.peru-map path.district").count()
    assert districts > 1800  # every district of Peru with a polygon (1,826 in the shipped file)
    zones = len(default_geography().zone_names())
    assert page.locator("svg.peru-map path.zone").count() == zones  # the special-regime zones, outlined
    # Some zone districts received sales: they are shaded (classes c1..c5), the rest are not.
    shaded = page.locator("svg.peru-map path.district:not(.c0)").count()
    assert 0 < shaded < districts
    wait_until(page, "document.querySelectorAll('canvas[data-drawn]').length >= 2")
    assert page.locator("table.top-risk tbody tr").count() >= 5
    screenshot(page, "dashboard")


def test_language_switch(page: Any, site: Site) -> None:
    login_staff(page, "analyst")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").first.inner_text().startswith("Panel")
    page.click("#lang-en")
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text().startswith("Dashboard")
    # Remembered: the next page, without ?lang, is still in English.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Open alerts by rule and severity" in page.content()
    page.click("#lang-es")
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text().startswith("Panel")


def test_pages_fit_1280_and_a_tablet_without_sideways_scrolling(browser: Any, site: Site) -> None:
    for width, height in ((1280, 900), (820, 1180)):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=site.url, locale="es-PE",
                                      has_touch=width < 1000)
        page = context.new_page()
        try:
            login_staff(page, "analyst")
            for url in ("/", "/alerts", f"/operators/{site.operator_ruc}", "/rules", "/registry"):
                page.goto(url)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (width, url, overflow)
            if width < 1000:
                page.goto("/")
                screenshot(page, "dashboard-tablet")
        finally:
            context.close()
