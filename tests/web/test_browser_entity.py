"""The entity page in Chromium: an analyst follows the operator link of an alert whose subject
is not in the registry, reads the page in Spanish with its network drawn (or its empty state),
and finds entities with the header's search."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.web.conftest import Site, login_staff, screenshot, wait_until


def _unregistered_alert(site: Site) -> tuple[str, str]:
    """(alert id, RUC) of an alert on a RUC the registry does not know: the simulated
    country's own when detection raised one, else one put on a buyer its sellers declared."""
    with site.db() as db:
        rows = db.query("SELECT a.alert_id, a.ruc FROM alerts a LEFT JOIN operators o ON o.ruc = a.ruc "
                        "WHERE o.ruc IS NULL ORDER BY a.score DESC, a.alert_id LIMIT 1")
        if rows:
            return str(rows[0][0]), str(rows[0][1])
        ruc = db.scalar("SELECT m.counterparty_ruc FROM movements m LEFT JOIN operators o ON o.ruc = m.counterparty_ruc "
                        "WHERE m.type = 'sale' AND m.counterparty_ruc IS NOT NULL AND o.ruc IS NULL "
                        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
        assert ruc, "the simulated country has no unregistered buyer"
        now = datetime.now(UTC).replace(tzinfo=None)
        db.execute(
            "INSERT INTO alerts (alert_id, rule, rule_version, severity, score, ruc, chemical, period_start, "
            "period_end, observed, baseline, detail, explanation_es, explanation_en, evidence, shadow, run_id, "
            "first_detected_at, detected_at) VALUES ('browser-unreg', 'counterparty_not_authorised', 1, 'high', 0.9, "
            "?, NULL, ?, ?, 1, NULL, 'd', 'es', 'en', '[]', FALSE, 1, ?, ?)",
            (ruc, now.date(), now.date(), now, now))
        return "browser-unreg", str(ruc)


def test_unregistered_subject_page_and_header_search(page: Any, site: Site) -> None:
    alert_id, ruc = _unregistered_alert(site)
    login_staff(page, "analyst")
    page.goto(f"/alerts/{alert_id}")
    page.locator(f"main a[href='/operators/{ruc}']").first.click()
    page.wait_for_url(f"**/operators/{ruc}")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#entity-state").inner_text() == "no registrado"
    assert page.locator("#no-authorisations").is_visible()
    assert page.locator(f"#operator-alerts a[href='/alerts/{alert_id}']").count() == 1
    # Its network is drawn (Cytoscape's canvas, a node per party), or says there is none.
    if page.locator("#graph").count():
        page.wait_for_selector("#graph canvas")
        wait_until(page, "Number(document.querySelector('#graph').dataset.nodes || 0) >= 2")
        assert page.locator("#graph-legend li").count() >= 4
        assert "no registrado" in page.locator("#graph-legend").inner_text()
    else:
        assert page.locator("#graph-empty").inner_text() == "Sin contrapartes en el periodo."
    # Who sold it what: the sellers declared sales to it, so the table has rows with names.
    sellers = page.locator("#suppliers tbody tr")
    assert sellers.count() >= 1 and sellers.first.locator("a").count() == 1
    screenshot(page, "entity-unregistered")
    # The header's search: the RUC's first digits find it among the unregistered parties.
    page.fill("#header-q", ruc[:7])
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search?q=*")
    hit = page.locator(f"#search-results a[href='/operators/{ruc}']")
    assert hit.count() == 1
    assert "no registrado" in page.locator(f"#search-results tbody tr:has(a[href='/operators/{ruc}'])").inner_text()
    # Part of a registered name finds that operator, whose link opens its page.
    with site.db() as db:
        name = str(db.scalar("SELECT name FROM operators ORDER BY ruc LIMIT 1"))
        registered = str(db.scalar("SELECT ruc FROM operators ORDER BY ruc LIMIT 1"))
    page.fill("#header-q", name[2:30].lower())  # part of the name, in another case
    page.press("#header-q", "Enter")
    page.wait_for_selector(f"#search-results a[href='/operators/{registered}']")
    screenshot(page, "search")
    page.click(f"#search-results a[href='/operators/{registered}']")
    page.wait_for_url(f"**/operators/{registered}")
    assert page.locator("#entity-state").inner_text() in ("inscrito", "inscrito, suspendido", "revocado")
