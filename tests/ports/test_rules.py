"""Each targeting rule flags its container in the scenario and leaves the near-misses alone."""

from __future__ import annotations

import pytest

from tests.ports.scenario import BAD_DIGIT, C
from traza.ports.rules_catalogue import default_port_rules
from traza.ports.runner import TARGETING, find
from traza.store.db import Database

EXPECT = {
    "precursor_unregistered_consignee": C["unreg"],
    "precursor_not_authorised": C["noauth"],
    "precursor_above_quota": C["quota"],
    "precursor_above_history": C["hist"],
    "vague_chemical_description": C["vague"],
    "acid_without_un_number": C["acid"],
    "late_manifest": C["late"],
    "cover_load_to_frequent_destination": C["cover"],
    "transshipment_from_risk_origin": C["trans"],
    "new_exporter": C["new"],
    "goods_unlike_exporter_activity": C["unlike"],
    "reefer_to_europe": C["reefer"],
    "weight_vs_vgm": C["vgm"],
    "to_order_or_private_notify": C["order"],
    "house_bl_unknown_shipper": C["house"],
    "seal_mismatch": C["seal"],
    "door_opened_after_scan": C["door"],
    "watchlist_party": C["watch"],
    "watchlist_marking": C["mark"],
    "watchlist_route": C["route"],
    "party_changed_after_loading": C["amend"],
    "bad_container_check_digit": BAD_DIGIT,
}
QUIET = {C["ok_imp"], C["ok_exp"]}


def hits_by_rule(db: Database, engine: str | None = None) -> dict[str, set[str]]:
    eng = TARGETING.engine(engine or db.dialect, db)
    try:
        hits = find(eng)
    finally:
        eng.close()
    out: dict[str, set[str]] = {r.id: set() for r in default_port_rules()}
    for h in hits:
        out[h.rule.id].add(h.container_no)
    return out


def test_every_rule_has_a_case() -> None:
    assert set(EXPECT) == {r.id for r in default_port_rules()}
    assert len(EXPECT) >= 18


def test_each_rule_fires_on_its_case_and_not_on_the_clean_ones(scenario_db: Database) -> None:
    found = hits_by_rule(scenario_db)
    for rule_id, container in EXPECT.items():
        assert container in found[rule_id], f"{rule_id} missed {container}: {sorted(found[rule_id])}"
        assert not (found[rule_id] & QUIET), f"{rule_id} flagged a clean container"


@pytest.mark.parametrize("rule_id", ["cover_load_to_frequent_destination", "new_exporter", "precursor_above_quota"])
def test_rules_stay_narrow(scenario_db: Database, rule_id: str) -> None:
    # The weak rules must not sweep the whole call: they flag only their own cases here.
    found = hits_by_rule(scenario_db)[rule_id]
    allowed = {EXPECT[rule_id], C["house"]} if rule_id == "new_exporter" else {EXPECT[rule_id]}
    assert found == allowed
