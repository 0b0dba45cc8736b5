"""Simulator speed: movements generated and written by `traza simulate` at about 1M and 10M
rows (issue 3: 10M in at most 2 minutes under 4 GB of peak memory).

    python benchmarks/simulate.py                 # both sizes
    python benchmarks/simulate.py --rows 1000000  # one size

The number of movements follows from operators x months (about 16 per operator-month over
36 months): the script picks the operator count for each target with
``traza.sim.params.operators_for``. Each size runs in its own process, so the peak RSS
printed is that run's alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from traza.sim.params import operators_for

CHILD = """
import sys
from pathlib import Path
from traza.sim.build import simulate
from traza.sim.params import SimParams
from traza.sim.write import write_simulation
doc = write_simulation(simulate(SimParams(operators=int(sys.argv[1]), months=int(sys.argv[2]), seed=1)),
                       Path(sys.argv[3]))
print(doc["files"]["movements.csv"])
"""


def run(rows: int, months: int, folder: Path) -> tuple[int, int, float, float]:
    operators = operators_for(rows, months)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(operators), str(months), str(folder)],
                            stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"simulation of {rows:,} rows failed with status {proc.returncode}")
    return operators, int(out.strip()), seconds, usage.ru_maxrss / 1024**2  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    print(f"{'target':>12} {'operators':>9} {'rows':>12} {'seconds':>8} {'rows/s':>10} {'peak RSS':>9}")
    for target in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            operators, rows, seconds, rss = run(target, args.months, Path(tmp))
        print(f"{target:>12,} {operators:>9,} {rows:>12,} {seconds:>8.1f} {rows / seconds:>10,.0f} {rss:>7.2f} GB")


if __name__ == "__main__":
    main()
