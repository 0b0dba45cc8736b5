"""The monthly report in Chromium: an analyst opens Reports, asks for a month in English, reads
the report (its own style sheet admitted by the page's policy), follows a figure to the records
behind it, and downloads the PDF."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site, login_staff, screenshot


def test_analyst_makes_the_report_and_follows_a_figure(page: Any, site: Site) -> None:
    with site.db() as db:
        last = db.scalar("SELECT max(date) FROM movements")
    month = f"{last:%Y-%m}"
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login_staff(page, "analyst")
    page.click("header nav a[href='/reports']")
    page.wait_for_selector("#report-form")
    page.fill("#report-form input[name=month]", month)
    page.select_option("#report-form select[name=language]", "en")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Monthly program report')")
    # The report's inline style sheet applies (admitted by its hash): headings in its blue.
    assert page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(18, 59, 92)"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    screenshot(page, "report-web")
    row = page.locator("#chemicals table tbody tr", has_text="Movements declared")
    figure = row.locator("td a").first
    stated = int(figure.inner_text().replace(",", ""))
    assert stated > 0
    figure.click()
    page.wait_for_selector("#record-count")
    assert int(page.get_attribute("#record-count [data-count]", "data-count") or -1) == stated
    assert page.locator("#records tbody tr").count() == min(stated, 100)
    page.goto("/reports")
    page.fill("#report-form input[name=month]", month)
    page.select_option("#report-form select[name=format]", "pdf")
    with page.expect_download() as info:
        page.click("#report-form button[type=submit]")
    download = info.value
    assert download.suggested_filename == f"report-{month}-es.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
