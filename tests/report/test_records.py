"""Each report figure is what its record list shows (traza.report.records): for every list, the
figure for the month and for the year to date equals the count, the total or a column's sum of
the rows the web page lists for the same period and filters. The database holds the registry,
alerts, ports and field records of tests/web/test_report_links.py, plus January 2025 records
for the lists it leaves empty (declarations, sale checks, closed alerts, cases, seedbeds...)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.factories import THIRD
from tests.report.fixtures import POLVORA, add_incident, add_operation, add_plot, add_seedbed
from tests.web.test_report_links import JAN, _fill, _login
from traza.report import build_report
from traza.report.model import Figure
from traza.report.records import LISTS, RecordList, queries

BY_PATH = {spec.path: spec for spec in LISTS}
TOTALS = {"ha", "seedbeds", "refused_rows", "seized_kg", "precursor_kg", "measured_ha"}
SUMS = {"arrests": "arrests", "aircraft": "aircraft", "halted": "halted", "destroyed": "destroyed"}
# Sums of columns the page does not show, and the ratio of two rates: nothing to compare.
UNSHOWN = {"wounded", "killed", "weapons", "lift"}


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 1, day, hour)


def _more(world: World) -> None:  # noqa: F811
    """January 2025 records for the lists the shared dataset leaves empty, with what a figure
    could miscount: a case referred twice, a plot with no operation, two operations a day, and
    records on the days either side of January."""
    with world.db() as db:
        v = int(db.scalar("SELECT max(version_id) FROM operator_versions", ()))
        db.execute("INSERT INTO operator_versions (version_id, ruc, name, sector, registered_on, status, row_hash, "
                   "recorded_at, recorded_by) SELECT ?, ruc, name, sector, registered_on, 'suspended', 'h1', ?, 'test' "
                   "FROM operators WHERE ruc = ?", (v + 1, _at(10), THIRD))
        db.execute("INSERT INTO operator_versions (version_id, ruc, name, sector, registered_on, status, row_hash, "
                   "recorded_at, recorded_by) VALUES (?, '20999999991', 'Nuevo SAC', 'mining', ?, 'active', 'h2', ?, "
                   "'test')", (v + 2, date(2025, 1, 12), _at(12)))
        s = int(db.scalar("SELECT coalesce(max(submission_id), 0) FROM submissions", ()))
        for k, rejected in enumerate((3, 0, 2)):
            db.execute("INSERT INTO submissions (submission_id, kind, file_name, file_hash, received_at, submitted_by, "
                       "rows_total, rows_accepted, rows_duplicate, rows_rejected, status) "
                       "VALUES (?, 'movements', 'm.csv', ?, ?, 'test', 10, ?, 0, ?, 'done')",
                       (s + 1 + k, f"fh{k}", _at(3 + k), 10 - rejected, rejected))
        checks = [("allow", _at(6)), ("block", _at(7)), ("block", _at(8)), ("review", _at(9)),
                  ("block", datetime(2025, 2, 1, 0, 0)), ("allow", datetime(2024, 12, 31, 23, 59))]
        for k, (decision, at) in enumerate(checks):
            db.execute("INSERT INTO sale_checks (check_id, checked_at, seller_ruc, buyer_ruc, chemical, quantity, unit, "
                       "quantity_kg, decision, reasons) VALUES (?, ?, '20100070970', ?, 'acetone', 5, 'kg', 5, ?, '[]')",
                       (f"chk{k}", at, THIRD, decision))
        log = [("jan-0", "close", "useful", _at(27)), ("jan-0", "approve_close", "useful", _at(28))]
        for k, (alert, action, value, at) in enumerate(log):
            db.execute("INSERT INTO alert_log (event_id, alert_id, action, value, recorded_at, actor) "
                       "VALUES (?, ?, ?, ?, ?, 'test')", (9000 + k, alert, action, value, at))
        cases = [(901, "open", "Caso A", _at(20)), (901, "refer", "police", _at(22)), (901, "refer", "police", _at(23)),
                 (902, "open", "Caso B", _at(21)), (903, "open", "Caso C", datetime(2024, 12, 30, 9)),
                 (903, "refer", "inspection", _at(24))]
        for k, (case, action, value, at) in enumerate(cases):
            db.execute("INSERT INTO case_log (event_id, case_id, action, value, recorded_at, actor) "
                       "VALUES (?, ?, ?, ?, ?, 'test')", (9100 + k, case, action, value, at))
        add_operation(db, "op2", date(2025, 1, 14), "Huallaga", POLVORA)
        db.execute("INSERT INTO field_plots (plot_id, operation_id, date, ubigeo, latitude, longitude, area_ha, "
                   "area_method, reported_ha, replanted, row_hash, submission_id, source_file, source_ref, recorded_at) "
                   "VALUES ('p-replanted', 'op2', ?, ?, -8.2, -76.35, 1.25, 'reported', 1.25, TRUE, 'h', 1, 'f.csv', "
                   "'line 3', ?)", (date(2025, 1, 14), POLVORA, _at(14)))
        add_plot(db, "p-none", date(2025, 1, 15), POLVORA, 0.75, None)
        add_plot(db, "p-feb", date(2025, 2, 1), POLVORA, 2.0, None)
        add_seedbed(db, "sb1", date(2025, 1, 14), POLVORA, 400.0, "op1")
        add_seedbed(db, "sb0", date(2024, 12, 31), POLVORA, 100.0, None)
        add_incident(db, "i2", date(2025, 1, 19), "firearm", aircraft=1, halted=True)
        db.execute("INSERT INTO field_measurements (measurement_id, date, ubigeo, measured_ha, row_hash, submission_id, "
                   "source_file, source_ref, recorded_at) VALUES ('fm1', ?, ?, 2.5, 'h', 1, 'f.csv', 'line 2', ?)",
                   (date(2025, 1, 19), POLVORA, _at(20)))


def _page(world: World, link: str) -> tuple[float, float | None]:  # noqa: F811
    """The count and the total the web drill-down shows for a link."""
    text = world.client.get(link).text
    count = re.search(r'data-count="(\d+)"', text)
    assert count, link
    total = re.search(r'data-total="([0-9.]+)"', text)
    return float(count.group(1)), float(total.group(1)) if total else None


def _rows(world: World, spec: RecordList, params: dict[str, str]) -> list[dict[str, Any]]:  # noqa: F811
    with world.db() as db:
        return list(db.dicts(*queries(spec, params, 1_000_000, 0)["rows"]))


def _expected(world: World, f: Figure, link: str) -> float | None:  # noqa: F811
    """What the record list behind ``link`` says the figure is."""
    spec = BY_PATH[urlsplit(link).path]
    params = dict(parse_qsl(urlsplit(link).query))
    count, total = _page(world, link)
    if f.key in TOTALS:
        return total
    if f.key == "if_planted":  # the year's seedbeds at 15 m2 per ha
        return (total or 0) / 15
    if f.key in ("hit_targeted", "hit_random"):
        hits, _ = _page(world, link + "&result=seizure")
        return hits / count if count else None
    rows = _rows(world, spec, params)
    assert len(rows) == count, link
    if f.key == "days":
        return float(len({r["day"] for r in rows}))
    if f.key in SUMS:
        return float(sum(int(r[SUMS[f.key]] or 0) for r in rows))
    return count


def test_every_figure_is_what_its_record_list_shows(world: World, tmp_path: Path) -> None:  # noqa: F811
    _fill(world, tmp_path)
    _more(world)
    with world.db() as db:
        reports = {m: build_report(db, date(2025, m, 1), "en") for m in (1, 2)}
    _login(world, "analyst")
    shown: dict[str, float] = {}  # list path -> the largest January figure checked against it
    checked = 0
    for month, report in reports.items():
        for f in (f for s in report.sections if s.id != "summary" for f in s.figures):
            if not f.link or urlsplit(f.link).path not in BY_PATH or f.key in UNSHOWN:
                continue
            assert _expected(world, f, f.link) == f.value, (month, f.key, f.link)
            checked += 1
            if month == 1 and f.value:
                path = urlsplit(f.link).path
                shown[path] = max(shown.get(path, 0.0), f.value)
            if f.ytd is not None and "from=" in f.link:  # the year to date: the same list from January 1st
                ytd = re.sub(r"from=[0-9-]+", "from=2025-01-01", f.link)
                assert _expected(world, f, ytd) == f.ytd, (month, f.key, ytd)
    assert checked > 60
    # Every list is behind at least one figure that the dataset makes non-zero.
    assert set(shown) == set(BY_PATH), sorted(set(BY_PATH) - set(shown))
    jan = {f.key: f.value for s in reports[1].sections if s.id == "chemicals" for f in s.figures}
    # The case referred twice counts once; the case opened in December counts as referred only.
    assert jan["referred"] == 2 and jan["cases"] == 2 and jan["refused_rows"] == 5 and jan["blocks"] == 2
    assert reports[1].month == JAN
