"""The HTML report in real headless Chromium: every chart and map decodes and shows at a
readable size, and the page reads without console errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import skip_or_fail
from tests.report.fixtures import add_goal, add_inspection, add_port_call, april_2005
from traza.report import build_report
from traza.report.render import to_html
from traza.store import open_database

CHROMIUM = "/usr/bin/chromium"


def test_pictures_render_in_chromium(tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        skip_or_fail(f"playwright is not installed: {exc}")
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing")
    db = open_database(f"duckdb:///{tmp_path / 'r.duckdb'}")
    try:
        april_2005(db)
        add_goal(db, "g", 2005, 8000.0)
        add_port_call(db, "c1", "PECLL", date(2005, 4, 3))
        add_inspection(db, 1, "c1", "MSCU0000001", "targeted", "seizure", date(2005, 4, 4), seized_kg=80.0)
        page_file = tmp_path / "report.html"
        page_file.write_text(to_html(build_report(db, date(2005, 4, 1), "en")), encoding="utf-8")
    finally:
        db.close()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(page_file.as_uri())
            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.complete, e.naturalWidth, e.getBoundingClientRect().width, e.alt])")
            headings = page.eval_on_selector_all("h1, h2, h3", "els => els.map(e => e.tagName + ' ' + e.textContent)")
        finally:
            browser.close()
    assert len(images) == 3  # goal chart, plot map, port chart (no deliveries: no chemical-control map)
    for complete, natural, shown, alt in images:
        assert complete and natural > 100 and shown > 200, (natural, shown, alt)
    assert headings[0] == "H1 Monthly program report: April 2005"
    assert "H2 Eradication" in headings and "H2 Port security" in headings
    assert errors == []
