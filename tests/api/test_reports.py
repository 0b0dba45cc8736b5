"""GET /v1/reports/monthly: the report the CLI writes, for staff, in each format."""

from __future__ import annotations

from tests.api.conftest import World


def test_monthly_report_in_each_format(world: World) -> None:
    auditor = world.as_("auditor")
    page = world.client.get("/v1/reports/monthly", params={"month": "2024-03", "lang": "en"}, headers=auditor)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Monthly program report: March 2024</h1>" in page.text
    md = world.client.get("/v1/reports/monthly", params={"month": "2024-03", "format": "md"}, headers=auditor)
    assert md.status_code == 200 and md.text.startswith("# Informe mensual del programa: marzo de 2024")
    pdf = world.client.get("/v1/reports/monthly", params={"month": "2024-03", "format": "pdf"}, headers=auditor)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "report-2024-03-es.pdf" in pdf.headers["content-disposition"]


def test_bad_month_and_cut_off_are_refused(world: World) -> None:
    analyst = world.as_("analyst")
    bad = world.client.get("/v1/reports/monthly", params={"month": "2024-13"}, headers=analyst)
    assert bad.status_code == 422
    outside = world.client.get("/v1/reports/monthly", params={"month": "2024-03", "as_of": "2024-04-02"},
                               headers=analyst)
    assert outside.status_code == 422 and "not a day of 2024-03" in outside.text
    assert world.client.get("/v1/reports/monthly", params={"month": "2024-03"},
                            headers=world.as_("seller")).status_code == 401
