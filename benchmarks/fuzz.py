"""Longer fuzzing of the XML (UBL) and CSV readers, from the committed seed corpus.

    python benchmarks/fuzz.py --seconds 120 [--seed 1] [--target xml|csv|both]

Each input is a seed with random byte edits (tests/reliability/fuzz.py: mutate), fed to the
same properties the tests check: read or refused with a reason, never an exception. Prints the
inputs tried, the outcomes and every crash (with the input, saved under --crashes)."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories import Dataset  # noqa: E402
from tests.reliability import fuzz  # noqa: E402

from traza.ingest import load_paths  # noqa: E402
from traza.store import open_database  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target", choices=("xml", "csv", "both"), default="both")
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    args = ap.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
