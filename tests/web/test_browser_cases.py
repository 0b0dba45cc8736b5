"""The analyst's day in Chromium, in Spanish: a case is closed with an outcome (asked for with
a note, approved by a supervisor, who closes its alerts with it), its timeline reads in words;
an alert's outcome is chosen by hand and a false positive needs a note, said on the page."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site, login_staff, screenshot
from traza.cases import cases


def _open_alerts(site: Site, n: int) -> list[str]:
    """Open alerts at the bottom of the queue (the other browser tests take its top)."""
    with site.db() as db:
        rows = db.query("SELECT a.alert_id FROM alerts a JOIN alert_state s ON s.alert_id = a.alert_id "
                        "LEFT JOIN case_alerts c ON c.alert_id = a.alert_id WHERE s.status = 'open' AND NOT a.shadow "
                        "AND a.retired_at IS NULL AND c.case_id IS NULL ORDER BY a.score, a.alert_id LIMIT ?", (n,))
    assert len(rows) == n, "the test country has too few open alerts"
    return [str(r[0]) for r in rows]


def test_a_case_closes_with_its_outcome_and_closes_its_alerts(page: Any, browser: Any, site: Site) -> None:
    first, second = _open_alerts(site, 2)
    login_staff(page, "analyst")
    page.goto(f"/alerts/{first}")
    page.fill("input[name=title]", "Compras de ácido sin cupo")
    page.click("form[action$='/case'] button[type=submit]")
    page.wait_for_url("**/cases/*")
    case_id = int(page.url.rsplit("/", 1)[1])
    with site.db() as db:
        cases.add_alerts(db, "staff:analyst", case_id, [second], None)
    page.reload()
    # The server's own refusal, shown on the page with what was typed (the browser's
    # required-field check taken off, as an old browser or a script would send it).
    page.select_option("#closure-form select[name=outcome]", "confirmed_diversion")
    page.evaluate("document.querySelector('#closure-form textarea[name=note]').removeAttribute('required')")
    page.click("#closure-form button[type=submit]")
    page.wait_for_selector("#case-error")
    assert "Escriba una nota" in page.locator("#case-error").inner_text()
    assert page.locator("#closure-form select[name=outcome]").input_value() == "confirmed_diversion"
    page.fill("#closure-form textarea[name=note]", "guías sin respaldo en el puerto")
    page.click("#closure-form button[type=submit]")
    page.wait_for_selector("#case-waiting")
    assert "Cierre solicitado; espera aprobación de un supervisor" in page.locator("#case-waiting").inner_text()
    assert page.locator("#closure-form").count() == 0
    screenshot(page, "case-closure-requested")

    sup = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url, locale="es-PE").new_page()
    try:
        login_staff(sup, "supervisor")
        sup.goto(f"/cases/{case_id}")
        assert sup.locator("#approve-form input[name=close_alerts]").is_checked()  # on by default
        assert "desvío confirmado" in sup.locator("#approve-form").inner_text()
        sup.check("#approve-form input[name=confirm]")
        sup.click("#approve-form button[type=submit]")
        sup.wait_for_selector("#reopen-form")
        assert sup.locator("#case-status").inner_text() == "cerrado"
        assert sup.locator("#case-outcome").inner_text().startswith("diversión confirmada")
        timeline = sup.locator("#timeline").inner_text()
        for words in ("Caso abierto: Compras de ácido sin cupo", f"Alerta añadida: {first}", f"Alerta añadida: {second}",
                      "Cierre solicitado: diversión confirmada — guías sin respaldo en el puerto",
                      "Cierre aprobado: diversión confirmada", "Alertas cerradas:"):
            assert words in timeline, (words, timeline)
        for raw in ("add_alert", "status:", "closure_requested", "close_alerts"):
            assert raw not in timeline
        rows = sup.locator("#case-alerts tbody tr")
        assert rows.count() == 2
        for i in range(2):
            assert "cerrada · desvío confirmado" in rows.nth(i).inner_text()
        screenshot(sup, "case-closed")
        sup.goto("/cases?status=closed")
        assert "diversión confirmada" in sup.locator("#cases tbody tr", has_text=f"#{case_id}").inner_text()
    finally:
        sup.context.close()


def test_an_alert_has_no_default_outcome_and_a_false_positive_needs_a_note(page: Any, site: Site) -> None:
    [alert_id] = _open_alerts(site, 1)
    login_staff(page, "analyst")
    page.goto(f"/alerts/{alert_id}")
    assert page.locator("#close-form select[name=outcome]").input_value() == ""
    page.select_option("#close-form select[name=outcome]", "false_positive")
    page.check("#close-form input[name=confirm]")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#alert-error")
    assert "Un falso positivo necesita una nota" in page.locator("#alert-error").inner_text()
    assert page.locator("#close-form select[name=outcome]").input_value() == "false_positive"
    assert page.locator("#alert-status").inner_text() == "abierta"
    page.fill("#close-form textarea[name=note]", "importador habitual, con cupo")
    page.check("#close-form input[name=confirm]")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#done")
    assert page.locator("#alert-status").inner_text().startswith("por aprobar")
