"""Ports through the API: an analyst opens a vessel call, makes its inspection list, records an
inspection with a seizure and sees the hit rate change."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from tests.api.conftest import World
from tests.ports import scenario
from traza.ports.load import load_file

E1 = "PECLL|MSC SCENARIO|E1|export"


def test_analyst_works_a_vessel_call(world: World, tmp_path: Path) -> None:
    paths = scenario.write(tmp_path)
    with world.db() as db:
        for key in ("manifests", "events"):
            load_file(db, paths[key])
    c, h = world.client, world.as_("analyst")
    calls = c.get("/v1/ports/calls?port=PECLL", headers=h).json()
    assert E1 in {x["call_id"] for x in calls}
    call = quote(E1, safe="")
    made = c.post(f"/v1/ports/calls/{call}/inspection-list", headers=h, json={"control_share": 0.1, "seed": 5})
    assert made.status_code == 200, made.text
    entries = made.json()["entries"]
    assert entries[0]["score"] >= entries[-1]["score"] and entries[0]["reasons"]
    assert c.get(f"/v1/ports/calls/{call}/inspection-list", headers=h).json()[0]["container_no"] == entries[0]["container_no"]
    top = entries[0]["container_no"]
    page = c.get(f"/v1/ports/calls/{call}/containers/{top}", headers=h).json()
    assert page["documents"] and page["seals"] and page["assessment"]["score"] == entries[0]["score"]
    before = c.get("/v1/ports/stats", headers=h).json()
    assert before["ports"] == []
    bad = c.post(f"/v1/ports/calls/{call}/inspections", headers=h,
                 json={"container_no": top, "methods": ["k9"], "result": "seizure"})
    assert bad.status_code == 422 and "seizure" in bad.text
    rec = c.post(f"/v1/ports/calls/{call}/inspections", headers=h, json={
        "container_no": top, "methods": ["k9", "physical"], "k9_alert": True, "result": "seizure",
        "seizure": {"substance": "cocaine", "packages": 40, "net_kg": 48.2, "concealment": "reefer unit"}})
    assert rec.status_code == 200, rec.text
    assert rec.json()["watch_entries"] >= 2
    after = c.get("/v1/ports/stats", headers=h).json()
    (port,) = after["ports"]
    assert (port["inspections"], port["hits"], port["precision"]) == (1, 1, 1.0)
    assert c.post(f"/v1/ports/calls/{call}/inspections", headers=world.as_("auditor"),
                  json={"container_no": top, "methods": ["k9"], "result": "clean"}).status_code == 403
    assert c.get(f"/v1/ports/calls/{quote('PECLL|X|1|export', safe='')}/containers/{top}", headers=h).status_code == 404
