"""Longer fuzzing of the XML (UBL) and CSV readers, from the committed seed corpus, and of
every API and page parameter with hostile text.

    python benchmarks/fuzz.py --seconds 120 [--seed 1] [--target xml|csv|both]
    python benchmarks/fuzz.py --seconds 120 --target params [--database postgres|duckdb]

Each input is a seed with random byte edits (tests/reliability/fuzz.py: mutate), fed to the
same properties the tests check: read or refused with a reason, never an exception. Prints the
inputs tried, the outcomes and every crash (with the input, saved under --crashes).

``params`` sends random hostile text (NUL and other controls, BOM, zero-width and bidi
characters, full-width, Arabic-Indic and Devanagari digits, confusables, up to 20,000
characters) in one parameter of a random API operation (from the OpenAPI schema) or page
(from the route table) at a time, with credentials that reach the handler, and counts the
answers by status: any 5xx is a crash (tests/api/test_hostile_params.py is the bounded run)."""

from __future__ import annotations

import argparse
import random
import shutil
import string
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories import Dataset  # noqa: E402
from tests.reliability import fuzz  # noqa: E402

from traza.ingest import load_paths  # noqa: E402
from traza.store import open_database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target", choices=("xml", "csv", "both", "params"), default="both")
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    ap.add_argument("--database", choices=("postgres", "duckdb"), default="postgres",
                    help="for --target params: where the app keeps its data (PostgreSQL: a fresh schema)")
    args = ap.parse_args()
    if args.target == "params":
        return run_params(args.seconds, args.seed, args.database, args.crashes)
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="traza-fuzz-"))
    db = open_database(f"duckdb:///{tmp / 'fuzz.duckdb'}")
    load_paths(db, Dataset(tmp / "reg").write("operators", "establishments", "authorisations"))
    targets = ("xml", "csv") if args.target == "both" else (args.target,)
    seeds = {t: fuzz.seeds(t) for t in targets}
    outcomes: dict[str, Counter[str]] = {t: Counter() for t in targets}
    crashes: list[tuple[str, str]] = []
    end = time.monotonic() + args.seconds
    n = 0
    while time.monotonic() < end:
        target = targets[n % len(targets)]
        data = fuzz.mutate(rng.choice(seeds[target]), rng, rounds=rng.randint(1, 8))
        n += 1
        try:
            if target == "xml":
                outcome = fuzz.check_xml(data)
            else:
                path = tmp / f"movements-{n}.csv"
                path.write_bytes(data)
                outcome = fuzz.check_table(db, path)
                path.unlink()
        except Exception:
            args.crashes.mkdir(parents=True, exist_ok=True)
            saved = args.crashes / f"{target}-{n}.bin"
            saved.write_bytes(data)
            crashes.append((str(saved), traceback.format_exc(limit=3)))
            outcome = "CRASH"
        outcomes[target][outcome] += 1
    print(f"fuzz: {n} inputs in {args.seconds:.0f} s (seed {args.seed})")
    for t in targets:
        print(f"  {t}: {sum(outcomes[t].values())} inputs, " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes[t].items())))
    print(f"  crashes: {len(crashes)}")
    for path, tb in crashes[:10]:
        print(f"--- {path}\n{tb}")
    return 1 if crashes else 0


HOSTILE_CHARS = ("\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\r\n", "\t", "\ufeff", "\u200b", "\u200d",
                 "\u2060", "\u00ad", "\u202e", "\u2066", "２", "７", "٣", "۴", "३", "Ｏ", "l", "ﬁ", "é", "ñ", "𝟙", "\ud800")


def hostile_text(rng: random.Random) -> str:
    """Mostly plain characters with hostile ones among them; sometimes very long."""
    size = rng.choice((0, 1, 2, 5, 11, 40, 300))
    plain = string.ascii_letters + string.digits + " -_./"
    text = "".join(rng.choice(HOSTILE_CHARS) if rng.random() < 0.3 else rng.choice(plain) for _ in range(size))
    if rng.random() < 0.05:
        text += "7" * rng.choice((9_000, 20_000))
    return text


def run_params(seconds: float, seed: int, backend: str, crashes_dir: Path) -> int:
    import contextlib
    import json
    from urllib.parse import quote

    from fastapi.testclient import TestClient
    from tests.api.conftest import PASSWORD, ROLES, test_settings
    from tests.api.conftest import seed as seed_app
    from tests.api.hostile import api_operations, replaced
    from tests.conftest import fresh_pg_schema, pg_url
    from tests.web.test_access import _api_routes
    from tests.web.test_hostile_pages import _params as page_params

    from traza.api import create_app

    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="traza-fuzz-params-"))
    holder = fresh_pg_schema() if backend == "postgres" else contextlib.nullcontext("")
    statuses: Counter[int] = Counter()
    crashes: list[str] = []
    n = 0
    with holder as schema:
        url = pg_url(schema) if backend == "postgres" else f"duckdb:///{tmp / 'f.duckdb'}"
        app = create_app(test_settings(url))
        with TestClient(app, raise_server_exceptions=False) as client:
            keys, _ = seed_app(app, Dataset(tmp / "seed").write())
            creds = [{"X-API-Key": keys["seller"]}]
            for role in ROLES:
                token = client.post("/v1/auth/login", json={"username": role, "password": PASSWORD}).json()
                creds.append({"Authorization": f"Bearer {token['access_token']}"})
            targets: list[tuple[str, str, Any, Any]] = [
                (m, path, params, body) for m, path, params, body in api_operations(client.get("/v1/openapi.json").json())
                if "revoke" not in path]
            # Pages as the admin sees them (a refusal comes before any role check, and the API
            # side covers the handlers): GET filters and form fields, without a session for forms.
            targets += [(m, path, page_params(r), None) for path, r in _api_routes(app.routes)
                        if not path.startswith("/v1") and path != "/logout" for m in r.methods]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                method, template, params, body = rng.choice(targets)
                if not params:
                    continue
                target = rng.choice(params)
                value = hostile_text(rng)
                path, query, form, doc = template, {}, {}, body
                for p in params:
                    v = value if p is target else p.base
                    if p.where == "path":
                        path = path.replace("{" + p.name + "}", quote(v, safe="", errors="surrogatepass"))
                    elif p.where == "query" and p is target:
                        query[p.name] = v
                    elif p.where == "form":
                        form[p.name] = v
                if target.where == "body":
                    doc = replaced(body, list(target.keys), value)
                qs = "&".join(f"{quote(k)}={quote(v, errors='surrogatepass')}" for k, v in query.items())
                full = path + (f"?{qs}" if qs else "")
                headers = dict(rng.choice(creds))
                if form:
                    content = "&".join(f"{quote(k)}={quote(v, errors='surrogatepass')}" for k, v in form.items()).encode()
                    headers["content-type"] = "application/x-www-form-urlencoded"
                else:
                    content = None if doc is None else json.dumps(doc).encode()
                    headers["content-type"] = "application/json"
                n += 1
                try:
                    resp = client.request(method, full, headers=headers, content=content)
                except Exception as exc:  # the client could not send it (a URL too long for httpx)
                    statuses[-1] += 1
                    if "URL too long" not in str(exc):
                        crashes.append(f"{method} {template} {target.field}={value[:80]!r}: client {exc!r}")
                    continue
                statuses[resp.status_code] += 1
                if resp.status_code >= 500:
                    crashes.append(f"{method} {template} {target.field}={value[:80]!r}: {resp.status_code} {resp.text[:200]}")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"fuzz params ({backend}): {n} requests in {seconds:.0f} s (seed {seed}), {len(targets)} operations and pages")
    print("  statuses: " + ", ".join(f"{k if k >= 0 else 'unsent'} {v}" for k, v in sorted(statuses.items())))
    print(f"  5xx: {len(crashes)}")
    if crashes:
        crashes_dir.mkdir(parents=True, exist_ok=True)
        (crashes_dir / "params.txt").write_text("\n".join(crashes), encoding="utf-8", errors="backslashreplace")
        for line in crashes[:10]:
            print("  " + line)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
