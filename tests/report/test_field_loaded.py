"""The acceptance fixture as the field team would send it: the field branch's April 2005 files
(cable 05LIMA2111) through the real field loader, then the report as of April 28."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.field import april2005
from traza.field.load import default_context, load_field
from traza.report import build_report
from traza.store.db import Database


@pytest.fixture
def april(db: Database, tmp_path: Path) -> Database:
    load_field(db, april2005.build(tmp_path).write(), ctx=default_context(date(2005, 5, 10)))
    return db


def test_report_as_of_april_28_states_the_cable_figures(april: Database) -> None:
    en = build_report(april, date(2005, 4, 1), "en", until=date(2005, 4, 28))
    erad = next(s for s in en.sections if s.id == "eradication")
    assert ("As of 28 April 2005, 214\u00a0ha of coca and 2,754\u00a0m² of seedbeds were eradicated in the month, "
            "making a total for the year of 1,305\u00a0ha and 18,015\u00a0m² of seedbeds (over 1,200\u00a0ha if "
            "planted") in erad.narrative
    assert "The year's goal is 8,000\u00a0ha" in erad.narrative
    assert "The month's goal is 700\u00a0ha; 30.6% of it was reached." in erad.narrative  # 214 / 700
    assert en.period == "April 2005 (data to 28 April 2005)"
    es = build_report(april, date(2005, 4, 1), "es", until=date(2005, 4, 28))
    erad = next(s for s in es.sections if s.id == "eradication")
    assert ("Al 28 de abril de 2005, se erradicaron en el mes 214\u00a0ha de coca y 2.754\u00a0m² de almácigos, con lo "
            "que el total del año llega a 1.305\u00a0ha y 18.015\u00a0m² de almácigos (más de 1.200\u00a0ha si se "
            "plantaran") in erad.narrative
    incidents = next(s for s in es.sections if s.id == "incidents")
    assert incidents.figure("incidents").value == 3 and incidents.figure("aircraft").value == 6
    interdiction = next(s for s in es.sections if s.id == "interdiction")
    assert interdiction.figure("labs").value == 4 and interdiction.figure("arrests").value == 9


def test_the_cut_off_day_matters(april: Database) -> None:
    whole = build_report(april, date(2005, 4, 1), "en")
    erad = next(s for s in whole.sections if s.id == "eradication")
    assert erad.figure("ha").value == pytest.approx(217, abs=0.01)  # geodesic areas; the plot of April 29 counts in the whole month
    with pytest.raises(ValueError, match="not a day of 2005-04"):
        build_report(april, date(2005, 4, 1), "en", until=date(2005, 5, 2))
