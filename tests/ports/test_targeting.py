"""The inspection list: ranking, the seeded and recorded random control, feedback and hit rates."""

from __future__ import annotations

import json

import pytest

from tests.ports.scenario import C
from traza.ports.feedback import InspectionIn, SeizureIn, record_inspection, stats
from traza.ports.targeting import draw, make_list, redraw
from traza.store.db import Database

E1 = "PECLL|MSC SCENARIO|E1|export"


def test_draw_is_reproducible_and_depends_on_the_seed() -> None:
    pop = [f"C{i:04d}" for i in range(500)]
    a = draw(pop, 0.02, 7)
    assert len(a) == 10
    assert draw(list(reversed(pop)), 0.02, 7) == a  # order of the population does not matter
    assert draw(pop, 0.02, 8) != a
    assert draw(pop, 0.0, 7) == []
    assert len(draw(pop[:10], 0.02, 1)) == 1  # at least one when the share is positive
    with pytest.raises(ValueError):
        draw(pop, 1.5, 1)


def test_inspection_list_ranks_and_records(scenario_db: Database) -> None:
    lst = make_list(scenario_db, E1, control_share=0.1, targeted_share=0.2, seed=42)
    entries = {e.container_no: e for e in lst.entries}
    assert entries[C["ok_exp"]].score == 0 and entries[C["ok_exp"]].reasons == []
    top = lst.entries[0]
    assert top.score >= max(e.score for e in lst.entries) and top.reasons and top.methods
    # reasons are explained in both languages
    assert all(r["es"] and r["en"] for e in lst.entries for r in e.reasons)
    door = entries[C["door"]]
    assert "door_opened_after_scan" in [r["rule"] for r in door.reasons] and "physical" in door.methods
    drawn = {e.container_no for e in lst.entries if e.selected_by == "random"}
    assert len(drawn) == 2  # ceil(10% of 16 containers)
    assert sum(e.selected_by == "targeted" for e in lst.entries) <= 4
    # recorded: seed, share and pick; redoing the draw gives the same containers
    row = scenario_db.query("SELECT seed, share, drawn FROM port_control_draws WHERE draw_id = ?", (lst.draw_id,))
    assert row[0][0] == 42 and set(json.loads(row[0][2])) == drawn
    assert redraw(scenario_db, int(lst.draw_id or 0))
    again = make_list(scenario_db, E1, control_share=0.1, targeted_share=0.2, seed=42, record=False)
    assert again.entries == lst.entries


def test_default_seed_changes_per_draw_but_is_recorded(scenario_db: Database) -> None:
    a = make_list(scenario_db, E1, control_share=0.5)
    b = make_list(scenario_db, E1, control_share=0.5)
    assert a.seed != b.seed
    assert redraw(scenario_db, int(a.draw_id or 0)) and redraw(scenario_db, int(b.draw_id or 0))


def test_feedback_hit_rates_and_watch_list(scenario_db: Database) -> None:
    lst = make_list(scenario_db, E1, control_share=0.1, targeted_share=0.2, seed=3)
    targeted = [e.container_no for e in lst.entries if e.selected_by == "targeted"]
    random_ = [e.container_no for e in lst.entries if e.selected_by == "random"]
    record_inspection(scenario_db, E1, InspectionIn(
        container_no=targeted[0], methods=["k9", "physical"], k9_alert=True, result="seizure", seals_found="X1",
        seizure=SeizureIn(substance="cocaine", packages=30, net_kg=36.5, concealment="bags at the doors",
                          markings="LOGO DRAGON")))
    record_inspection(scenario_db, E1, InspectionIn(container_no=targeted[1], methods=["scanner"], result="clean"))
    for c in random_:
        record_inspection(scenario_db, E1, InspectionIn(container_no=c, methods=["scanner"], result="clean"))
    s = stats(scenario_db)
    (port,) = s["ports"]
    assert (port["inspections"], port["hits"], port["targeted"], port["targeted_hits"]) == (2 + len(random_), 1, 2, 1)
    assert port["hit_rate_targeted"] == 0.5 and port["hit_rate_random"] == 0.0 and port["lift"] is None
    rule_rows = {r["rule"]: r for r in s["rules"]}
    assert sum(r["hits"] for r in rule_rows.values()) >= 1
    # the seizure put its parties, route and markings on the watch list
    watch = set(scenario_db.query("SELECT kind, value FROM port_watchlist"))
    assert ("marking", "LOGO DRAGON") in watch and any(k == "route" for k, _ in watch)
    (shipper,) = scenario_db.query(
        "SELECT d.shipper_name FROM port_documents d JOIN port_document_containers l ON l.manifest_id = d.manifest_id "
        "AND l.bl_number = d.bl_number JOIN port_manifests_current m ON m.manifest_id = d.manifest_id "
        "WHERE l.container_no = ?", (targeted[0],))[0]
    assert ("party", shipper.upper()) in watch


def test_feedback_refuses_what_makes_no_sense(scenario_db: Database) -> None:
    with pytest.raises(ValueError, match="seizure"):
        record_inspection(scenario_db, E1, InspectionIn(container_no=C["door"], methods=["k9"], result="seizure"))
    with pytest.raises(ValueError, match="method"):
        record_inspection(scenario_db, E1, InspectionIn(container_no=C["door"], methods=["xray"], result="clean"))
    with pytest.raises(KeyError):
        record_inspection(scenario_db, E1, InspectionIn(container_no="NOPE1234567", methods=["k9"], result="clean"))
