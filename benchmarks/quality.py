"""Detection quality on simulated countries: per typology the share of planted schemes
caught, alert precision, and operator precision/recall at K (K = operators truly involved).

    python benchmarks/quality.py --seeds 101 102 103 104 105 --operators 400 1500

Seeds and sizes here must not be the ones used while tuning rules (7 and 8 were).
Prints a table per run and the aggregate; --json writes everything to a file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from traza.detect.runner import detect
from traza.ingest import load_paths
from traza.sim.build import simulate
from traza.sim.evaluate import score
from traza.sim.evaluate_db import read_alerts, read_ranking, read_truth
from traza.sim.params import DEFAULT_END, SimParams
from traza.sim.write import write_simulation
from traza.store import open_database


def one(seed: int, operators: int, months: int, schemes: int, work: Path,
        honest: tuple[str, ...] = ()) -> dict[str, object]:
    out = work / f"s{seed}-o{operators}"
    t0 = time.perf_counter()
    write_simulation(simulate(SimParams(operators=operators, months=months, seed=seed, schemes=schemes,
                                        honest=honest)), out)
    with open_database(f"duckdb:///{out / 'traza.duckdb'}") as db:
        report = load_paths(db, [out / f"{k}.csv" for k in ("operators", "establishments", "authorisations", "movements")])
        assert report.rows_rejected == 0, report.top_reasons()
        t1 = time.perf_counter()
        detect(db, as_of=DEFAULT_END)
        t2 = time.perf_counter()
        _, ranking = read_ranking(db)
        ev = score(read_truth(out / "truth.csv"), read_alerts(db), ranking)
        movements = db.scalar("SELECT count(*) FROM movements")
        flagged = db.scalar("SELECT count(DISTINCT ruc) FROM alerts WHERE NOT shadow AND retired_at IS NULL")
    result = ev.as_dict()
    result.update({"seed": seed, "registered_operators": operators, "movements": movements, "operators_flagged": flagged,
                   "detect_seconds": round(t2 - t1, 1), "total_seconds": round(t2 - t0, 1)})
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103, 104, 105])
    ap.add_argument("--operators", type=int, nargs="+", default=[400, 1500])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--schemes", type=int, default=36)
    ap.add_argument("--honest", nargs="*", default=[], help="honest-behaviour profiles (traza.sim.params.HONEST_PROFILES)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--docs", type=Path, help="write the figures docs/rules.md shows (docs/rules-quality.json)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="traza-quality-"))
    runs = []
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    alerts = true_alerts = top_true = top_k = 0
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for operators in args.operators:
        for seed in args.seeds:
            r = one(seed, operators, args.months, args.schemes, work, tuple(args.honest))
            runs.append(r)
            for t in r["typologies"]:  # type: ignore[attr-defined]
                caught[t["typology"]][0] += t["caught"]
                caught[t["typology"]][1] += t["schemes"]
            for rule in r["rules"]:  # type: ignore[attr-defined]
                per_rule[rule["rule"]][0] += rule["alerts"]
                per_rule[rule["rule"]][1] += rule["true_alerts"]
            a, o = r["alerts"], r["operators"]
            alerts += a["live"]  # type: ignore[index]
            true_alerts += a["true"]  # type: ignore[index]
            top_true += o["hits"]  # type: ignore[index]
            top_k += o["k"]  # type: ignore[index]
            print(f"seed {seed} operators {operators}: {r['movements']:,} movements, schemes caught "
                  f"{r['schemes']['caught']}/{r['schemes']['total']}, alert precision {a['precision']:.0%}, "  # type: ignore[index]
                  f"precision@K {o['precision_at_k']:.0%} (detect {r['detect_seconds']} s)", flush=True)  # type: ignore[index]
    print("\nschemes caught per typology (all runs):")
    for t, (c, n) in sorted(caught.items()):
        print(f"  {t:22s} {c:3d}/{n:<3d} {c / n:6.1%}")
    print("alerts per rule (all runs):")
    for rule, (n, t) in sorted(per_rule.items()):
        print(f"  {rule:28s} {t:4d}/{n:<4d} {t / max(n, 1):6.1%}")
    print(f"alert precision: {true_alerts}/{alerts} = {true_alerts / max(alerts, 1):.1%}")
    print(f"operator precision@K: {top_true}/{top_k} = {top_true / max(top_k, 1):.1%}")
    if args.docs:
        summary = (
            f"Simulated countries, seeds {', '.join(map(str, args.seeds))} x {', '.join(map(str, args.operators))} "
            f"operators, {args.months} months, {args.schemes} schemes each (`python benchmarks/quality.py`). "
            f"Live alert precision {true_alerts}/{alerts} = {true_alerts / max(alerts, 1):.1%}; "
            f"operator precision at K {top_true}/{top_k} = {top_true / max(top_k, 1):.1%}."
        )
        args.docs.write_text(json.dumps({
            "summary": summary,
            "typologies": {t: f"{c}/{n} ({c / n:.0%})" for t, (c, n) in sorted(caught.items())},
            "rules": {r: f"{t}/{n} ({t / max(n, 1):.0%})" for r, (n, t) in sorted(per_rule.items())},
        }, indent=2) + "\n")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "when": date.today().isoformat()}, indent=2, default=str))
    sys.exit(0)


if __name__ == "__main__":
    main()
