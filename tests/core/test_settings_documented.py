"""Every setting and every command is documented in docs/settings.md, and only the settings
module reads ``TRAZA_`` variables (the datasette way: the docs are checked against the code)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from traza.cli import app
from traza.core.settings import Environment, env

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
# a read (get, getenv or a subscript that is not assigned to); `traza serve` may SET the URL
# for its worker processes
_READ = re.compile(r"os\.(?:environ\.get|getenv)\(\s*[\"']TRAZA_|os\.environ\[\s*[\"']TRAZA_\w+[\"']\s*\](?!\s*=[^=])")


def _commands(command: Any, prefix: list[str]) -> Iterator[str]:
    subs = getattr(command, "commands", None)
    if not subs:
        yield " ".join(prefix)
        return
    for name, sub in subs.items():
        yield from _commands(sub, [*prefix, name])


def test_every_setting_is_documented_and_every_documented_one_exists() -> None:
    fields = {f"TRAZA_{name.upper()}" for name in Environment.model_fields}
    documented = set(re.findall(r"`(TRAZA_[A-Z0-9_]+)`", DOC))
    assert fields - documented == set(), "settings missing from docs/settings.md"
    assert documented - fields == set(), "docs/settings.md names settings that do not exist"


def test_every_command_is_documented() -> None:
    names = list(_commands(typer.main.get_command(app), ["traza"]))
    assert len(names) > 20  # the walk reaches the sub-commands, not only the group
    missing = [n for n in names if f"`{n}`" not in DOC]
    assert not missing, f"commands missing from docs/settings.md: {missing}"


def test_only_the_settings_module_reads_the_environment() -> None:
    src = ROOT / "src" / "traza"
    readers = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
               if p.name != "settings.py" and _READ.search(p.read_text(encoding="utf-8"))]
    assert readers == []
    assert _READ.search('x = os.environ.get("TRAZA_X")')  # the pattern sees direct reads
    assert _READ.search('x = os.environ["TRAZA_X"]') and not _READ.search('os.environ["TRAZA_X"] = y')


def test_a_setting_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAZA_WEB_URL", "http://example.invalid:1")
    assert env().web_url == "http://example.invalid:1"
    monkeypatch.delenv("TRAZA_WEB_URL")
    assert env().web_url == Environment.model_fields["web_url"].default
