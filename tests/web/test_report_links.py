"""Every link of the monthly report's HTML opens a web page (issue 10: "every figure links to the
filtered records behind it in the web UI"), and the record lists count what the figures count.
The database holds registry data and alerts (tests/api), the ports rule scenario with recorded
inspections (tests/ports) and field records (tests/report), all in January 2025."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from pathlib import Path

from tests.api.conftest import PASSWORD, World, world  # noqa: F401 - the fixture
from tests.ports.conftest import load_scenario
from tests.report.fixtures import (
    POLVORA,
    add_incident,
    add_lab,
    add_operation,
    add_plot,
    add_seizure,
)
from traza.ports.feedback import InspectionIn, SeizureIn, record_inspection
from traza.ports.targeting import make_list
from traza.report import build_report
from traza.report.records import LISTS
from traza.web.i18n import MESSAGES

JAN = date(2025, 1, 1)
HREF = re.compile(r'href="([^"#][^"]*)"')


def _login(world: World, role: str) -> None:  # noqa: F811
    c = world.client
    c.cookies.clear()
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    assert c.post("/login", data={"csrf": token.group(1), "username": role, "password": PASSWORD},
                  follow_redirects=False).status_code == 303


def _fill(world: World, tmp_path: Path) -> None:  # noqa: F811
    for n in range(3):
        world.alert(f"jan-{n}", rule="quota_exceeded" if n else "zone_delivery_excess")
    with world.db() as db:
        load_scenario(db, tmp_path / "ports")
        calls = [r[0] for r in db.query("SELECT call_id FROM port_vessel_calls WHERE arrival IS NULL AND "
                                        "departure < DATE '2025-02-01' OR arrival < DATE '2025-02-01' ORDER BY 1")]
        assert len(calls) >= 3
        for call in calls:
            make_list(db, call, seed=1)
        # The January calls' containers: six inspected, two with a seizure.
        ids = db.query("SELECT DISTINCT m.call_id, e.container_no FROM port_equipment e JOIN port_manifests_current m "
                       "ON m.manifest_id = e.manifest_id WHERE m.call_id IN (" + ",".join("?" * len(calls)) + ") "
                       "ORDER BY 1, 2", calls)
        assert len(ids) >= 6
        for k, (call, container) in enumerate(ids[:6]):
            hit = k in (1, 4)
            record_inspection(db, call, InspectionIn(
                container_no=container, methods=["k9"], result="seizure" if hit else "clean",
                inspected_at=datetime(2025, 1, 25, 9 + k),
                seizure=SeizureIn(substance="cocaine_hcl", net_kg=12.5 * (k + 1)) if hit else None), "test")
        add_operation(db, "op1", date(2025, 1, 14), "Huallaga", POLVORA)
        add_plot(db, "p1", date(2025, 1, 14), POLVORA, 3.5, "op1")
        add_incident(db, "i1", date(2025, 1, 15), "ambush", police_wounded=1)
        add_lab(db, "lab1", date(2025, 1, 16))
        add_seizure(db, "s1", date(2025, 1, 17), "precursor", 40.0, chemical="ACETONE")
        add_seizure(db, "s2", date(2025, 1, 18), "precursor", 25.0, chemical="H2SO4", lot_ref="T001-1")  # a declared sale
        add_seizure(db, "s3", date(2025, 1, 18), "base_paste", 3.0, arrests=2)


def test_every_report_link_opens_and_lists_the_records_counted(world: World, tmp_path: Path) -> None:  # noqa: F811
    _fill(world, tmp_path)
    with world.db() as db:
        report = build_report(db, JAN, "en")
    figs = {(s.id, f.key): f for s in report.sections for f in s.figures}
    assert {"chemicals", "ports", "eradication", "interdiction"} <= {s.id for s in report.sections}
    _login(world, "analyst")
    page = world.client.get("/reports", params={"month": "2025-01", "language": "en", "format": "html"})
    assert page.status_code == 200 and "<h1>Monthly program report: January 2025</h1>" in page.text
    links = sorted({unescape(h) for h in HREF.findall(page.text)})
    assert any(h.startswith("/ports/inspections") for h in links)
    assert any(h.startswith("/records/field-plots") for h in links)
    bad = {h: world.client.get(h).status_code for h in links}
    assert all(code == 200 for code in bad.values()), {h: c for h, c in bad.items() if c != 200}

    def count(link: str | None) -> float:
        assert link
        html = world.client.get(link).text
        found = re.search(r'data-count="(\d+)"', html)
        assert found, link
        return float(found.group(1))

    def total(link: str | None) -> float:
        assert link
        found = re.search(r'data-total="([0-9.]+)"', world.client.get(link).text)
        assert found, link
        return float(found.group(1))

    checks = [("ports", "inspected"), ("ports", "hits"), ("ports", "calls"), ("ports", "manifests"),
              ("chemicals", "alerts"), ("chemicals", "movements"), ("chemicals", "operators"),
              ("chemicals", "new_operators"), ("eradication", "plots"), ("incidents", "incidents"),
              ("interdiction", "labs"), ("interdiction", "seizures"), ("chemicals", "traced")]
    for key in checks:
        assert count(figs[key].link) == figs[key].value, (key, figs[key].link)
    assert figs[("ports", "inspected")].value == 6 and figs[("ports", "hits")].value == 2
    assert figs[("chemicals", "alerts")].value == 3 and figs[("chemicals", "traced")].value == 1
    seized = figs[("ports", "seized_kg")]
    assert seized.value == 12.5 * 2 + 12.5 * 5 and total(seized.link) == seized.value
    for key in (("eradication", "ha"), ("interdiction", "precursor_kg")):
        assert total(figs[key].link) == figs[key].value > 0, key
    # The per-port and per-selection links filter the same way as the table's cells.
    targeted = count("/ports/inspections?from=2025-01-01&to=2025-01-31&selected_by=targeted")
    random_ = count("/ports/inspections?from=2025-01-01&to=2025-01-31&selected_by=random")
    other = count("/ports/inspections?from=2025-01-01&to=2025-01-31&selected_by=other")
    assert targeted + random_ + other == 6
    assert count("/ports/inspections?from=2025-02-01&to=2025-02-28") == 0
    assert count("/records/alerts?from=2025-01-01&to=2025-01-31&rule=zone_delivery_excess") == 1


def test_bad_filters_are_refused_with_the_parameter_named(world: World) -> None:  # noqa: F811
    _login(world, "analyst")
    got = world.client.get("/ports/inspections?result=maybe")
    assert got.status_code == 400 and "result: expected one of clean, seizure, irregularity" in got.text
    got = world.client.get("/records/movements?from=2025-13-01")
    assert got.status_code == 400 and "from: expected a date YYYY-MM-DD" in got.text
    got = world.client.get("/records/submissions?refused=maybe")
    assert got.status_code == 400 and "refused: expected &#39;true&#39;, got &#39;maybe&#39;" in got.text
    # The ports page leads to the lists too.
    ports = world.client.get("/ports").text
    assert all(f'href="/ports/{x}"' in ports for x in ("calls", "manifests", "inspections", "seizures"))


def test_the_report_page_gives_each_format(world: World) -> None:  # noqa: F811
    _login(world, "registrar")
    form = world.client.get("/reports")
    assert form.status_code == 200 and 'name="month"' in form.text and 'href="/reports"' in form.text
    html = world.client.get("/reports", params={"month": "2024-03", "language": "es"})
    assert html.status_code == 200 and "<h1>Informe mensual del programa: marzo de 2024</h1>" in html.text
    # The report's own style sheet is admitted by its hash, nothing else inline.
    assert "style-src 'self' 'sha256-" in html.headers["content-security-policy"]
    md = world.client.get("/reports", params={"month": "2024-03", "language": "en", "format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Monthly program report: March 2024")
    assert 'filename="report-2024-03-en.md"' in md.headers["content-disposition"]
    pdf = world.client.get("/reports", params={"month": "2024-03", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = world.client.get("/reports", params={"month": "2024-13"})
    assert bad.status_code == 400 and "month: expected YYYY-MM" in bad.text


def test_every_record_list_has_its_words() -> None:
    for spec in LISTS:
        keys = [f"records.col.{k}" for _, k in spec.columns] + [f"records.{f}" for f in spec.filters]
        assert all(k in MESSAGES for k in keys), (spec.path, [k for k in keys if k not in MESSAGES])
