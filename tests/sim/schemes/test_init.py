from __future__ import annotations

from collections import Counter

from tests.sim.conftest import Written
from traza.sim.schemes import LEVELS, TYPOLOGIES, schedule


def test_twelve_or_more_schemes_plant_every_typology() -> None:
    assert len(TYPOLOGIES) >= 12
    for n in (12, 24, 30):
        got = Counter(t for t, _ in schedule(n, seed=1))
        assert set(got) == set(TYPOLOGIES) and max(got.values()) - min(got.values()) <= 1


def test_levels_rotate_within_a_typology() -> None:
    by_type: dict[str, set[int]] = {}
    for t, level in schedule(36, seed=4):
        by_type.setdefault(t, set()).add(level)
    assert all(levels == set(range(len(LEVELS))) for levels in by_type.values())


def test_fewer_schemes_pick_distinct_typologies() -> None:
    picked = [t for t, _ in schedule(5, seed=2)]
    assert len(set(picked)) == 5


def test_members_are_distinct_across_schemes_and_have_evidence(small: Written) -> None:
    seen: set[int] = set()
    for p in small.sim.schemes:
        ops = {m.op for m in p.output.members}
        assert not ops & seen, p.scheme_id
        seen |= ops
    truth = small.rows("truth.csv")
    assert {r["typology"] for r in truth} == set(TYPOLOGIES)
    for r in truth:
        assert r["first_date"] <= r["last_date"]
        assert r["declaration_ids"] or r["role"] == "associate", r
