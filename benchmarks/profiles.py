"""Detection quality per honest-behaviour profile: for each profile, countries with planted
schemes (schemes caught, alert precision, operator precision at K) and an honest country
with nothing planted (false alerts per 1,000 operators, share of operators flagged, and the
rule making most false alerts); then the worst profile.

    python benchmarks/profiles.py --seeds 501 502 --operators 400 --profiles default restocking multi_sourcing

Profiles are traza.sim.params.HONEST_PROFILES ("default" is the simulator's plain trade).
Say which profiles and seeds were looked at while tuning: those figures are hints, the
others (held out) are results.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import one  # noqa: E402 - the benchmark next to this one


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[501, 502])
    ap.add_argument("--operators", type=int, nargs="+", default=[400])
    ap.add_argument("--profiles", nargs="+", default=["default", "restocking", "multi_sourcing"])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--schemes", type=int, default=36)
    ap.add_argument("--docs", type=Path, help="also write the table docs/rules.md shows (docs/rules-profiles.json)")
    args = ap.parse_args()
    table: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="traza-profiles-"))
    header = ("| profile | operators | schemes caught | live alert precision | operator precision@K "
              "| honest: false alerts / 1,000 operators | honest: operators flagged | honest: top false rule |")
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    worst: dict[str, float] = {}
    for profile in args.profiles:
        honest = () if profile == "default" else tuple(profile.split("+"))
        for operators in args.operators:
            caught = total = alerts = true = hits = k = 0
            false_alerts = flagged = 0
            false_rules: Counter[str] = Counter()
            for seed in args.seeds:
                r = one(seed, operators, args.months, args.schemes, work / f"{profile}-p", honest)
                caught += r["schemes"]["caught"]  # type: ignore[index]
                total += r["schemes"]["total"]  # type: ignore[index]
                alerts += r["alerts"]["live"]  # type: ignore[index]
                true += r["alerts"]["true"]  # type: ignore[index]
                hits += r["operators"]["hits"]  # type: ignore[index]
                k += r["operators"]["k"]  # type: ignore[index]
                h = one(seed + 1000, operators, args.months, 0, work / f"{profile}-h", honest)
                false_alerts += h["alerts"]["live"]  # type: ignore[index]
                flagged += int(h["operators_flagged"])  # type: ignore[call-overload]
                for rule in h["rules"]:  # type: ignore[attr-defined]
                    false_rules[rule["rule"]] += rule["alerts"] - rule["true_alerts"]
            n = operators * len(args.seeds)
            top = false_rules.most_common(1)
            top_text = f"{top[0][0]} ({top[0][1]})" if top and top[0][1] else "-"
            precision = true / max(alerts, 1)
            worst[f"{profile} x {operators}"] = precision
            row = (f"| {profile} | {operators:,} | {caught}/{total} ({caught / max(total, 1):.0%}) "
                   f"| {true}/{alerts} ({precision:.1%}) | {hits}/{k} ({hits / max(k, 1):.1%}) "
                   f"| {1000 * false_alerts / n:.1f} | {flagged}/{n} ({flagged / n:.1%}) | {top_text} |")
            table.append(row)
            print(row, flush=True)
    name = min(worst, key=lambda p: worst[p])
    summary = (f"worst profile by alert precision: {name} ({worst[name]:.1%}); "
               f"seeds {', '.join(map(str, args.seeds))} (honest countries: seed + 1000)")
    print(f"\n{summary}")
    if args.docs:
        command = ("python benchmarks/profiles.py --seeds " + " ".join(map(str, args.seeds)) + " --operators "
                   + " ".join(map(str, args.operators)) + " --profiles " + " ".join(args.profiles))
        args.docs.write_text(json.dumps({"command": command, "when": date.today().isoformat(), "header": header,
                                         "rows": table, "summary": summary}, indent=2) + "\n")


if __name__ == "__main__":
    main()
