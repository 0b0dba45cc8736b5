"""The command line: exit status, summaries, rejections CSV, queries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import BUYER, Dataset
from traza.cli import app

runner = CliRunner()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_load_all_good_exits_zero(db_url: str, data: Dataset) -> None:
    data.write()
    code, out = _run("load", str(data.folder), "-d", db_url)
    assert code == 0, out
    assert "Load summary" in out and "accepted" in out


def test_load_with_refusals_exits_one_and_writes_csv(db_url: str, data: Dataset, tmp_path: Path) -> None:
    data.movements[1]["quantity"] = "-3"
    data.write()
    rej = tmp_path / "out" / "refused.csv"
    rej.parent.mkdir()
    code, out = _run("load", str(data.folder), "-d", db_url, "--rejections", str(rej))
    assert code == 1, out
    with rej.open() as fh:
        rows = list(csv.DictReader(fh))
    # A value starting with - is quoted, as any a spreadsheet could take for a formula.
    assert rows == [{"file": "movements.csv", "line": "3", "column": "quantity", "value": "'-3",
                     "reason": "quantity must be greater than zero"}]
    code, out = _run("rejections", "--submission", "4", "-d", db_url)
    assert code == 0 and "quantity must be greater than zero" in out


def test_rejections_out_is_safe_to_open_in_a_spreadsheet(db_url: str, data: Dataset, tmp_path: Path) -> None:
    # CSV injection (issue 16, finding 11): refused values are the sender's text.
    data.movements[0]["quantity"] = "=1+1"
    data.movements[1]["unit"] = "@SUM(A1)"
    data.movements[2]["quantity"] = "-5"
    data.write()
    code, _ = _run("load", str(data.folder), "-d", db_url, "--rejections", str(tmp_path / "r.csv"))
    assert code == 1
    out = tmp_path / "again.csv"
    code, text = _run("rejections", "--submission", "4", "-d", db_url, "--out", str(out))
    assert code == 0, text
    with out.open() as fh:
        values = {(r["line"], r["column"]): r["value"] for r in csv.DictReader(fh)}
    assert values[("2", "quantity")] == "'=1+1" and values[("3", "unit")] == "'@SUM(A1)"
    assert values[("4", "quantity")] == "'-5"
    assert not any(v[:1] in ("=", "+", "-", "@", "\t", "\r") for v in values.values())
    # The same on the screen, which is often redirected to a file.
    code, text = _run("rejections", "--submission", "4", "-d", db_url)
    assert code == 0 and "'=1+1" in text and ",=1+1" not in text, text


def test_load_missing_file_exits_two(tmp_path: Path) -> None:
    code, out = _run("load", str(tmp_path / "nope.csv"), "-d", f"duckdb:///{tmp_path / 'x.duckdb'}")
    assert code == 2 and "no such file" in out


def test_database_url_from_environment(tmp_path: Path, data: Dataset) -> None:
    url = f"duckdb:///{tmp_path / 'env.duckdb'}"
    data.write()
    assert _run("load", str(data.folder), env={"TRAZA_DATABASE_URL": url})[0] == 0
    assert (tmp_path / "env.duckdb").exists()
    code, out = _run("status", "--json", env={"TRAZA_DATABASE_URL": url})
    assert code == 0 and json.loads(out)["movements"] == 4


def test_status_and_balance(db_url: str, data: Dataset) -> None:
    data.write()
    _run("load", str(data.folder), "-d", db_url)
    code, out = _run("status", "-d", db_url)
    assert code == 0 and "movements" in out
    code, out = _run("balance", "--ruc", BUYER, "--format", "json", "-d", db_url)
    assert code == 0
    [row] = json.loads(out)
    assert row["chemical"] == "sulfuric_acid" and row["book_kg"] == pytest.approx(2680.0)
    code, out = _run("balance", "--ruc", BUYER, "--chemical", "nope", "-d", db_url)
    assert code == 2 and "unknown chemical" in out


@pytest.mark.parametrize("command", [["status"], ["alerts"], ["balance", "--ruc", BUYER], ["detect"], ["report", "monthly", "--month", "2024-05"]])
def test_reading_a_database_that_is_not_there_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    # A mistyped path must not answer "0 movements" from a new empty file.
    path = tmp_path / "typo.duckdb"
    code, out = _run(*command, "-d", f"duckdb:///{path}")
    words = " ".join(out.split())  # the console wraps long lines
    assert code == 2 and "no database at" in words and "traza init" in words, out
    assert not path.exists()


def test_bad_database_url_exits_two() -> None:
    code, out = _run("status", "-d", "mysql://x")
    assert code == 2 and "unsupported database URL" in out


@pytest.mark.parametrize("what", ["chemicals", "units", "zones"])
def test_catalogue(what: str) -> None:
    code, out = _run("catalogue", what)
    assert code == 0 and len(out.splitlines()) > 5


def test_key_issue_refuses_an_inactive_operator(db_url: str, data: Dataset) -> None:
    """Issue 16: keys were issued to revoked operators (the CLI is one of the doors)."""
    from traza.service import registry
    from traza.store import open_database

    data.write()
    assert _run("load", str(data.folder), "-d", db_url)[0] == 0
    with open_database(db_url) as db:
        registry.set_status(db, "test", BUYER, "revoked", "test", registry.current(db, BUYER).version)
    code, out = _run("key-issue", BUYER, "-d", db_url)
    assert code != 0 and f"{BUYER} is revoked" in out and "trz_" not in out, out
    with open_database(db_url) as db:
        assert db.scalar("SELECT count(*) FROM api_keys") == 0


def test_a_bad_setting_is_one_line_naming_it_not_a_traceback() -> None:
    import os
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['traza', 'version']; "
                          "from traza.entry import main; main()"],
                         env={**os.environ, "TRAZA_ENV": "Development"}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: TRAZA_ENV='Development':") and "Traceback" not in run.stderr
