"""Fixtures of the detection tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.cases import World


@pytest.fixture
def world(tmp_path: Path) -> World:
    """An empty registry and ledger to build a rule's case in."""
    return World(tmp_path / "case")
