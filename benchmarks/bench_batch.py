"""Batch throughput on a synthetic cohort: -j 1 against -j 2, and peak memory.

Run:  python benchmarks/bench_batch.py [-n 20]

Both runs happen in this one process, one after the other, on the same cohort, so their
ratio means something on a shared machine even when the absolute times wander.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_cohort import make_cohort

from evidencegen.api import BuildOptions
from evidencegen.batch import run_batch


def timed(cohort: Path, out: Path, jobs: int) -> float:
    t = time.perf_counter()
    result = run_batch(cohort, BuildOptions(out=out), jobs, force=True)
    assert result.count("failed") == 0, [o.error for o in result.outcomes if o.error]
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cohort = make_cohort(Path(tmp) / "cohort", args.n)
        one = timed(cohort, Path(tmp) / "out1", 1)
        two = timed(cohort, Path(tmp) / "out2", 2)
    docs = args.n * 4
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.n} learners, {docs} documents (1.1 and 5.2, DOCX and PDF each)")
    print(f"-j 1: {one:6.1f} s  {args.n / one:5.2f} learners/s  {docs / one:5.2f} documents/s")
    print(f"-j 2: {two:6.1f} s  {args.n / two:5.2f} learners/s  {docs / two:5.2f} documents/s")
    print(f"speed-up -j 1 -> -j 2: {one / two:.2f}x")
    print(f"peak memory: parent {parent:.0f} MiB, largest worker {child:.0f} MiB")


if __name__ == "__main__":
    main()
