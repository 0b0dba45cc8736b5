"""Acceptance (issue 10): the April 2005 figures of the source report, stated exactly, in
both languages' conventions, from records filtered by month and year."""

from __future__ import annotations

from datetime import date

import pytest

from tests.report.fixtures import add_goal, april_2005
from traza.report import build_report
from traza.report.render import to_html, to_markdown
from traza.store.db import Database

APRIL = date(2005, 4, 1)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["As of 28 April 2005", "214\u00a0ha", "2,754\u00a0m²", "1,305\u00a0ha", "18,015\u00a0m²",
            "over 1,200\u00a0ha if planted", "1,201\u00a0ha at 15\u00a0m²", "over 3 days"]),
    ("es", ["Al 28 de abril de 2005", "214\u00a0ha", "2.754\u00a0m²", "1.305\u00a0ha", "18.015\u00a0m²",
            "más de 1.200\u00a0ha si se plantaran", "1.201\u00a0ha a 15\u00a0m²", "en 3 días"]),
])
def test_april_2005_figures_of_the_source_report(db: Database, lang: str, expected: list[str]) -> None:
    april_2005(db)
    report = build_report(db, APRIL, lang)
    section = next(s for s in report.sections if s.id == "eradication")
    for text in expected:
        assert text in section.narrative, (text, section.narrative)
    ha, m2 = section.figure("ha"), section.figure("seedbeds")
    assert (ha.value, ha.ytd, m2.value, m2.ytd) == (214, 1305, 2754, 18015)
    assert ha.prev_ytd == 900 and m2.prev_ytd == 9000  # April 2004 counted only as last year's
    assert section.figure("plots").value == 4
    assert section.figure("if_planted").value == pytest.approx(1201.0)
    # The same numbers reach every format
    thousands = "1,305" if lang == "en" else "1.305"
    assert f"{thousands}\u00a0ha" in to_html(report)
    assert f"{thousands}\u00a0ha" in to_markdown(report)


def test_seedbed_factor_is_configurable(db: Database) -> None:
    april_2005(db)
    section = next(s for s in build_report(db, APRIL, "en", seedbed_m2_per_ha=10).sections if s.id == "eradication")
    assert section.figure("if_planted").value == pytest.approx(1801.5)
    assert "1,802\u00a0ha at 10\u00a0m²" in section.narrative


def test_goal_and_axes(db: Database) -> None:
    april_2005(db)
    add_goal(db, "g-2005", 2005, 8000.0)
    add_goal(db, "g-2005-huallaga", 2005, 6000.0, axis="Huallaga")
    add_goal(db, "g-2004", 2004, 1.0)
    section = next(s for s in build_report(db, APRIL, "en").sections if s.id == "eradication")
    assert section.figure("goal").value == 8000
    assert section.figure("goal_share").text == "16.3%"  # 1,305 / 8,000
    axis = next(t for t in section.tables if t.key == "by_axis")
    rows = {r[0].text: [c.text for c in r[1:]] for r in axis.rows}
    assert rows["Huallaga"] == ["214\u00a0ha", "941\u00a0ha", "6,000\u00a0ha", "15.7%"]
    assert rows["Aguaytia"][:2] == ["0\u00a0ha", "364\u00a0ha"]
    chart = next(v for v in section.visuals if v.key == "eradication_goal")
    assert "Huallaga: 941\u00a0ha / 6,000\u00a0ha" in chart.alt and "<svg" in chart.svg


def test_no_field_records_leaves_the_section_out(db: Database) -> None:
    assert all(s.id != "eradication" for s in build_report(db, APRIL, "es").sections)


def test_national_goal_alone_is_charted(db: Database) -> None:
    april_2005(db)
    add_goal(db, "g-2005", 2005, 8000.0)
    section = next(s for s in build_report(db, APRIL, "es").sections if s.id == "eradication")
    chart = next(v for v in section.visuals if v.key == "eradication_goal")
    assert "Total nacional: 1.305\u00a0ha / 8.000\u00a0ha" in chart.alt
