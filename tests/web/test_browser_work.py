"""The acceptance path in Chromium: an analyst opens an alert from the queue and closes it
with an outcome, and an auditor finds that closure in the audit log; an operator uploads a
file with errors and reads the reason of each refused row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.web.conftest import Site, login_operator, login_staff, screenshot


def test_analyst_closes_an_alert_and_the_auditor_sees_it(page: Any, browser: Any, site: Site) -> None:
    login_staff(page, "analyst")
    page.click("header nav a[href='/alerts']")
    page.wait_for_selector("#queue tbody tr[data-alert]")
    screenshot(page, "alert-queue")
    # Keyboard triage: j selects the first row, Enter opens it.
    page.locator("body").press("j")
    first = page.locator("#queue tbody tr.selected")
    alert_id = first.get_attribute("data-alert")
    assert alert_id
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/alerts/{alert_id}")
    assert page.locator("#evidence tbody tr").count() >= 1
    screenshot(page, "alert")
    page.select_option("#close-form select[name=outcome]", "useful")
    page.fill("#close-form textarea[name=note]", "revisado en prueba")
    page.check("#close-form input[name=confirm]")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#done")
    # An analyst's closure waits for a supervisor's approval.
    assert page.locator("#alert-status").inner_text().startswith("por aprobar")

    auditor = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url, locale="es-PE").new_page()
    try:
        login_staff(auditor, "auditor")
        auditor.goto(f"/audit?subject_id={alert_id}")
        row = auditor.locator("#events tbody tr", has_text="alert.close")
        assert row.count() == 1
        text = row.inner_text()
        assert "staff:analyst" in text and "useful" in text and alert_id in text
        screenshot(auditor, "audit")
    finally:
        auditor.context.close()


def test_operator_upload_shows_each_refused_row(page: Any, site: Site, tmp_path: Path) -> None:
    with site.db() as db:
        est = db.scalar("SELECT min(establishment_code) FROM establishments WHERE ruc = ?", (site.operator_ruc,))
    header = ("declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit,counterparty_ruc,"
              "counterparty_establishment,document_ref,destination_ubigeo,origin_country,destination_country,declared_on")
    rows = [f"WEB-1,{site.operator_ruc},{est},2026-10-01,consumption,acetone,12.5,kg,,,,,,,2026-10-02",
            f"WEB-2,{site.operator_ruc},{est},2026-13-01,consumption,acetone,3,kg,,,,,,,2026-10-02",
            f"WEB-3,{site.operator_ruc},{est},2026-10-01,consumption,unobtainium,3,kg,,,,,,,2026-10-02"]
    path = tmp_path / "declaraciones.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    login_operator(page, site)
    assert page.url.endswith("/portal")
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#rejections")
    assert "1 aceptadas" in page.locator("#summary").inner_text()
    refused = page.locator("#rejections tbody tr")
    assert refused.count() == 2
    by_line = {refused.nth(i).locator("td").first.inner_text(): refused.nth(i).inner_text() for i in range(2)}
    assert set(by_line) == {"3", "4"}  # line 1 is the header
    assert "date" in by_line["3"] and "2026-13-01" in by_line["3"]
    assert "chemical" in by_line["4"] and "unobtainium" in by_line["4"]
    screenshot(page, "portal-rejections")
