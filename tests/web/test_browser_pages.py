"""The other main pages in Chromium: the operator page draws its counterparty graph and
charts, the ledger filter swaps in with HTMX, and the case, rule and registry pages open;
each is saved as a screenshot."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site, login_staff, screenshot, wait_until


def test_operator_page_graph_and_ledger_filter(page: Any, site: Site) -> None:
    login_staff(page, "analyst")
    page.goto(f"/operators/{site.operator_ruc}")
    page.wait_for_selector("#graph canvas")  # Cytoscape drew the network
    graph = page.locator("#graph").get_attribute("data-graph") or ""
    assert graph.count('"source"') >= 1  # at least one flow between the operator and a counterparty
    wait_until(page, "document.querySelectorAll('canvas[data-drawn]').length >= 1")
    all_rows = page.locator("#ledger tbody tr").count()
    assert all_rows > 1
    screenshot(page, "operator")
    wait_until(page, "typeof window.htmx !== 'undefined'")  # scripts are deferred
    page.select_option("form[hx-get$='/ledger'] select[name=type]", "sale")
    with page.expect_response(lambda r: "/ledger?" in r.url) as answer:
        page.click("form[hx-get$='/ledger'] button[type=submit]")
    assert answer.value.status == 200
    wait_until(page, "[...document.querySelectorAll('#ledger tbody tr td:nth-child(2)')]"
                           ".every(td => td.textContent === 'venta')")
    assert page.locator("#ledger tbody tr").count() > 1
    assert page.url.endswith(f"/operators/{site.operator_ruc}")  # swapped in place, no navigation


def test_case_rules_and_registry_pages(page: Any, site: Site) -> None:
    login_staff(page, "supervisor")
    page.goto("/alerts?status=all")
    page.locator("#queue a.open").first.click()
    page.fill("input[name=title]", "Desvío hacia el VRAEM")
    page.locator("form[action$='/case'] button[type=submit]").click()
    page.wait_for_url("**/cases/*")
    page.fill("#note-form textarea", "Solicitar guías de remisión")
    page.click("#note-form button[type=submit]")
    page.wait_for_selector("#notes li:has-text('Solicitar guías de remisión')")
    assert page.locator("#case-alerts tbody tr").count() == 1
    screenshot(page, "case")
    page.goto("/rules/relay_chain")
    page.wait_for_selector("#backtest canvas[data-drawn]")
    screenshot(page, "rule")
    page.goto("/registry")
    assert page.locator("#operators tbody tr").count() >= 50
    screenshot(page, "registry")
