from __future__ import annotations

import csv

import numpy as np

from tests.sim.conftest import Written
from traza.sim.dirty import CHUNK, DEFECTS, KINDS, corrupt, plan


def test_truth_lists_every_dirty_row_at_its_line(dirty: Written) -> None:
    with (dirty.folder / "movements.csv").open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    header = lines[0].split(",")
    with (dirty.folder / "truth.csv").open() as fh:
        listed = [r for r in csv.DictReader(fh) if r["typology"] == "dirty"]
    assert len(listed) == len(lines) - 1 - len(dirty.sim.rows)
    assert {r["role"] for r in listed} == set(KINDS)
    for r in listed:
        fields = dict(zip(header, lines[int(r["line"]) - 1].split(","), strict=True))
        assert fields["declaration_id"] == r["declaration_ids"]
        assert r["column"] == DEFECTS[r["role"]][0]
        assert r["file"] == "movements.csv"


def test_clean_files_have_no_dirty_rows(small: Written) -> None:
    with (small.folder / "truth.csv").open() as fh:
        assert not [r for r in csv.DictReader(fh) if r["typology"] == "dirty"]


def test_layout_interleaves_dirty_rows_after_their_block() -> None:
    n = CHUNK * 2 + 10
    layout = plan(n, 0.001, np.random.default_rng(0), np.ones(n, dtype=bool))
    every = np.concatenate([layout.clean_pos, layout.dirty_pos])
    assert sorted(every.tolist()) == list(range(layout.total))
    first_block = layout.dirty_base < CHUNK
    assert (layout.dirty_pos[first_block] >= CHUNK).all()
    assert (layout.dirty_pos[first_block] < CHUNK + first_block.sum()).all()


def test_corruptions_change_the_value() -> None:
    for kind in KINDS:
        for variant in range(6):
            assert corrupt(kind, variant, "20100047218") != "20100047218"
    assert corrupt("negative_quantity", 0, "0") == "-1"
    assert corrupt("short_counterparty_ruc", 0, "20100047218") == "2010004721"
