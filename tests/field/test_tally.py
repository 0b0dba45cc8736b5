"""Tallies: the report's April 2005 figures come back from the rebuilt records, and every
figure equals the sum of the records it names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.field import april2005
from tests.field.cases import TODAY
from traza.field.load import default_context, load_field
from traza.field.model import hectares_if_planted
from traza.field.tally import figures, month_bounds, tally_month
from traza.store import Database


@pytest.fixture
def april(db: Database, tmp_path: Path) -> Database:
    report = load_field(db, april2005.build(tmp_path).write(), ctx=default_context(TODAY))
    assert report.rows_rejected == 0, report.rejections[:3]
    return db


def test_seedbed_conversion() -> None:
    assert hectares_if_planted(18_015) == pytest.approx(1201.0)
    assert hectares_if_planted(506) == pytest.approx(33.73, abs=0.01)
    assert hectares_if_planted(7_920) == pytest.approx(528)
    assert hectares_if_planted(150, m2_per_ha=10) == 15
    with pytest.raises(ValueError):
        hectares_if_planted(1, 0)


def test_april_2005_figures(april: Database) -> None:
    t = tally_month(april, "2005-04", through=date(2005, 4, 28))
    assert round(t.month.hectares) == 214 and t.month.seedbed_m2 == 2754
    assert round(t.year_to_date.hectares) == 1305 and t.year_to_date.seedbed_m2 == 18015
    assert t.year_to_date.ha_if_planted > 1200
    assert t.month.plots == 107 and t.month.avg_plot_ha == pytest.approx(2.0, abs=0.001)
    assert t.month.days_worked == 21 and t.month.ha_per_day == pytest.approx(214 / 21, abs=0.01)
    assert "P05-LATE" not in t.month.plot_ids
    assert t.yearly_goal is not None and t.yearly_goal.achieved_pct == pytest.approx(100 * 1305 / 8000, abs=0.1)
    assert t.monthly_goal is not None and t.monthly_goal.goal_id == "G2005-04"
    assert set(t.by_axis) == {"Aucayacu", "Polvora-Pizana"}
    assert round(t.by_axis["Polvora-Pizana"][0].hectares) == 214 and t.by_axis["Aucayacu"][0].plots == 0
    assert round(t.by_department["HUANUCO"][1].hectares) == 1305
    sec = t.security_month
    assert sec.incidents == 3 and sec.by_type == {"rock_throwing": 2, "ambush": 1}
    assert sec.aircraft_damaged == 6 and sec.casualties["police_wounded"] == 2 and sec.eradication_halted == 1
    assert sec.labs == 4 and sec.labs_destroyed == 4 and sec.arrests == 9 and sec.weapons == 7
    # The whole month (no cut-off) includes the plot of the 29th.
    assert round(tally_month(april, "2005-04").month.hectares) == 217


def test_tallies_equal_sums_of_records(april: Database) -> None:
    t = tally_month(april, "2005-04", through=date(2005, 4, 28))
    ha, n = april.query("SELECT sum(area_ha), count(*) FROM field_plots WHERE date BETWEEN ? AND ?",
                        (date(2005, 4, 1), date(2005, 4, 28)))[0]
    assert t.month.hectares == pytest.approx(float(ha)) and t.month.plots == n
    ids = {r[0] for r in april.query("SELECT plot_id FROM field_plots WHERE date BETWEEN ? AND ?",
                                     (date(2005, 4, 1), date(2005, 4, 28)))}
    assert set(t.month.plot_ids) == ids
    # Every breakdown adds up to its total, and names disjoint records covering it.
    for groups in (t.by_axis, t.by_department, t.by_district):
        assert sum(f[0].hectares for f in groups.values()) == pytest.approx(t.month.hectares)
        assert sum(f[1].seedbed_m2 for f in groups.values()) == pytest.approx(t.year_to_date.seedbed_m2)
        assert sorted(i for f in groups.values() for i in f[1].plot_ids) == sorted(t.year_to_date.plot_ids)
    assert sum(f.hectares for f in t.by_day.values()) == pytest.approx(t.month.hectares)
    for day, f in t.by_day.items():
        got = april.scalar("SELECT sum(area_ha) FROM field_plots WHERE date = ?", (day,))
        assert f.hectares == pytest.approx(float(got or 0))


def test_figures_of_nothing_and_bounds() -> None:
    f = figures([], [])
    assert (f.hectares, f.plots, f.avg_plot_ha, f.days_worked, f.ha_per_day) == (0, 0, None, 0, None)
    assert month_bounds("2005-02") == (date(2005, 2, 1), date(2005, 2, 28))
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds("April")
    with pytest.raises(ValueError, match="not in"):
        month_bounds("2005-04", date(2005, 5, 1))
