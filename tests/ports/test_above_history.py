"""`precursor_above_history` measures a consignee's jump against the jumps of the same
chemical's other imports: the same jump fires among steady importers and not among importers
that routinely jump as much; with too few imports to compare with, the floor decides."""

from __future__ import annotations

from datetime import date, timedelta

from traza.ports.rules_catalogue import default_port_rules
from traza.store.db import Database

RULE = next(r for r in default_port_rules() if r.id == "precursor_above_history")
SUSPECT = "20100000004"


def _goods(db: Database, others: int, their_jump: float, suspect_jump: float = 4.0) -> None:
    """Each importer brings 1,000 kg of toluene, then ``jump`` times that a month later."""
    db.execute("CREATE TABLE p_goods (call_id VARCHAR, container_no VARCHAR, direction VARCHAR, "
               "chemical VARCHAR, party_id VARCHAR, call_date DATE, gross_kg DOUBLE)")
    rows = []
    for i in range(others + 1):
        ruc, jump = (SUSPECT, suspect_jump) if i == 0 else (f"2050000{i:04d}", their_jump)
        for k, kg in enumerate((1000.0, 1000.0 * jump)):
            rows.append((f"c{i}-{k}", f"BOX{i:04d}{k}", "import", "toluene", ruc,
                         date(2025, 1, 10) + timedelta(days=30 * k + i % 7), kg))
    db.append("p_goods", ("call_id", "container_no", "direction", "chemical", "party_id", "call_date", "gross_kg"),
              rows)


def _flagged(db: Database) -> set[str]:
    return {str(r[0]) for r in db.query(RULE.render("2025-06-30"))}


def test_the_same_jump_fires_among_steady_importers(db: Database) -> None:
    _goods(db, others=30, their_jump=1.2)
    assert _flagged(db) == {"c0-1"}
    detail = db.query(RULE.render("2025-06-30"))[0][3]
    assert "x4.0" in detail and "/ 31)" in detail  # its jump, and the imports it was ranked among


def test_the_same_jump_is_ordinary_where_importers_jump_as_much(db: Database) -> None:
    _goods(db, others=30, their_jump=6.0)
    assert _flagged(db) == set()


def test_with_few_imports_the_floor_decides(db: Database) -> None:
    _goods(db, others=3, their_jump=6.0)  # too few to read a distribution: x3 or more fires
    assert _flagged(db) == {"c0-1", "c1-1", "c2-1", "c3-1"}
