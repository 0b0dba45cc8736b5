"""/v1/field: the April 2005 records through the API (tallies, operations, plots, incidents)
and a run of the certificate checks."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import World
from tests.field import april2005
from tests.field.cases import TODAY, FieldWorld
from traza.field.load import default_context, load_field


def _load(world: World, fw: FieldWorld) -> None:
    with world.db() as db:
        report = load_field(db, fw.write(), ctx=default_context(TODAY))
        assert report.rows_rejected == 0


def test_tallies_operations_plots_incidents(world: World, tmp_path: Path) -> None:
    _load(world, april2005.build(tmp_path))
    c, h = world.client, world.as_("analyst")
    t = c.get("/v1/field/tallies", params={"month": "2005-04", "through": "2005-04-28"}, headers=h)
    assert t.status_code == 200, t.text
    body = t.json()
    assert round(body["month"]["hectares"]) == 214 and body["year_to_date"]["seedbed_m2"] == 18015
    assert len(body["month"]["plot_ids"]) == 107 and body["yearly_goal"]["goal_id"] == "G2005"
    ops = c.get("/v1/field/operations", params={"month": "2005-04"}, headers=h).json()
    assert len(ops) == 21 and round(sum(o["hectares"] for o in ops)) == 214
    plots = c.get("/v1/field/plots", params={"month": "2005-04", "ubigeo": "100601"}, headers=h).json()
    assert len(plots) == 108 and plots[0]["geometry"]["type"] == "Polygon"
    inc = c.get("/v1/field/incidents", params={"month": "2005-04"}, headers=h).json()
    assert [i["incident_id"] for i in inc] == ["I-0407", "I-0408", "I-0412"]
    bad = c.get("/v1/field/tallies", params={"month": "2005-13"}, headers=h)
    assert bad.status_code == 422 and "error" in bad.json()


def test_certificate_checks_run_and_list(world: World, tmp_path: Path) -> None:
    fw = FieldWorld(tmp_path)
    fw.certificate("C1", 1)
    fw.plot("P1", "2026-03-01", 1.0, certificate_id="C1", ubigeo="100601")
    fw.plot("P2", "2026-03-02", 1.0, certificate_id="C1", east_m=500)
    _load(world, fw)
    c = world.client
    assert c.get("/v1/field/certificate-checks", headers=world.as_("auditor")).json()["findings"] == []
    run = c.post("/v1/field/certificate-checks/run", json={"as_of": "2026-10-31"}, headers=world.as_("analyst"))
    assert run.status_code == 200, run.text
    found = run.json()["findings"]
    assert [(f["check_id"], f["subject"]) for f in found] == [("certificate_area_exceeded", "C1")]
    listed = c.get("/v1/field/certificate-checks", headers=world.as_("auditor")).json()
    assert listed["run_id"] == run.json()["run_id"] and "C1" in listed["findings"][0]["explanation_es"]
