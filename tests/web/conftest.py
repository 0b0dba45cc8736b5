"""One small simulated country per test session: 60 operators over 12 months, loaded into a
DuckDB file, detection run, one staff member per role and an API key for the busiest operator;
served by uvicorn on a free port and driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import PASSWORD, ROLES
from tests.api.conftest import test_settings as settings_for
from tests.conftest import skip_or_fail
from traza.service import accounts
from traza.service.keys import new_api_key

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@dataclass
class Site:
    url: str
    app: Any
    operator_ruc: str
    operator_key: str
    folder: Path

    def db(self) -> Any:
        return self.app.state.traza.pool.connection()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_country(folder: Path, db_url: str) -> tuple[str, str]:
    """Simulate, load, detect; staff for every role; a key for the operator that declared most.
    Returns (RUC, API key)."""
    from traza.api.security import Passwords
    from traza.detect.runner import detect
    from traza.ingest import load_paths
    from traza.sim.build import simulate
    from traza.sim.params import SimParams
    from traza.sim.write import write_simulation
    from traza.store import open_database

    params = SimParams(operators=60, months=12, seed=5, schemes=12)
    sim = simulate(params)
    write_simulation(sim, folder)
    passwords = Passwords(1, 8)
    with open_database(db_url) as db:
        load_paths(db, [folder / f for f in ("operators.csv", "establishments.csv", "authorisations.csv",
                                             "movements.csv")], submitted_by="test", today=params.end)
        detect(db, "duckdb", params.end)
        for role in ROLES:
            accounts.save_user(db, "test", role, role.title(), role, passwords.hash(PASSWORD), True,
                               "user.create", ["role"])
        ruc = str(db.scalar("SELECT declarant_ruc FROM movements GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))
        key = new_api_key()
        accounts.add_key(db, "test", ruc, key.key_id, key.secret_hash, "web tests")
    return ruc, key.token


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import uvicorn

    from traza.api import create_app

    folder = tmp_path_factory.mktemp("web")
    url = f"duckdb:///{folder / 'traza.duckdb'}"
    ruc, key = build_country(folder / "sim", url)
    app = create_app(settings_for(url))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", app, ruc, key, folder)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.url, locale="es-PE")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot: into $TRAZA_SCREENSHOTS (e.g. docs/screenshots) when set, else a
    temporary folder."""
    folder = Path(os.environ.get("TRAZA_SCREENSHOTS") or Path(tempfile.gettempdir()) / "traza-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_until(page: Any, expression: str, timeout_s: float = 30.0) -> None:
    """Wait until a JavaScript expression is true on the page. Not page.wait_for_function:
    its polling calls eval() inside the page, which the site's Content-Security-Policy
    (script-src 'self') refuses as soon as a second poll is needed; page.evaluate goes through
    the browser's debugging protocol, which the policy does not govern."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s:.0f} s: {expression}")
        time.sleep(0.1)


def login_staff(page: Any, role: str) -> None:
    page.goto("/login")
    page.fill("#login-staff input[name=username]", role)
    page.fill("#login-staff input[name=password]", PASSWORD)
    page.click("#login-staff button[type=submit]")
    page.wait_for_load_state("load")


def login_operator(page: Any, site: Site) -> None:
    page.goto("/login")
    page.fill("#login-operator input[name=ruc]", site.operator_ruc)
    page.fill("#login-operator input[name=api_key]", site.operator_key)
    page.click("#login-operator button[type=submit]")
    page.wait_for_load_state("load")


TODAY = date.today()
