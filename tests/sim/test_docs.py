"""docs/simulator.md stays true to the code: typologies, sector ranges, options, defects."""

from __future__ import annotations

import re
from pathlib import Path

from traza.sim.dirty import KINDS
from traza.sim.profiles import PROFILES
from traza.sim.schemes import TYPOLOGIES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text(encoding="utf-8")


def test_every_typology_has_a_section() -> None:
    assert set(re.findall(r"^### (\w+)$", DOC, flags=re.M)) == set(TYPOLOGIES)


def test_sector_table_matches_the_profiles() -> None:
    for sector, prof in PROFILES.items():
        if not prof.mix:
            continue
        row = next(line for line in DOC.splitlines() if line.startswith(f"| {sector} |"))
        lo, hi = prof.monthly_kg_range
        assert row.rstrip(" |").endswith(f"{lo:,.0f}-{hi:,.0f}"), row
        assert [c.strip() for c in row.split("|")[2].split(",")] == [u.chemical for u in prof.mix]


def test_every_option_and_defect_is_documented() -> None:
    for option in ("--out", "--operators", "--months", "--seed", "--schemes", "--dirty-rate", "--end",
                   "--truth", "--json"):
        assert f"`{option}" in DOC, option
    for kind in KINDS:
        assert f"| {kind} |" in DOC, kind
