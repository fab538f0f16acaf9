"""Time one learner's build, stage by stage, in one process (figures go in README).

Run:  python benchmarks/bench_build.py [LEARNER_DIR] [--repeat N]

Stages: reading and mapping (read every note, map, judge), templating (Jinja2 to HTML),
DOCX (HTML to Word) and PDF (WeasyPrint layout). The first build in a process pays for
imports, font discovery and stylesheet parsing; later builds reuse them, as a batch worker
does, so the report gives the first build and the median of the rest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from evidencegen.api import analyse, select_criteria
from evidencegen.render.docx import render_docx
from evidencegen.render.environment import find_file
from evidencegen.render.pdf import render_pdf
from evidencegen.render.pipeline import Renderer

ROOT = Path(__file__).resolve().parents[1]


def one_build(folder: Path, renderer: Renderer) -> dict[str, float]:
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    analysis = analyse(folder)
    times["read+map"] = time.perf_counter() - t0
    today = dt.date(2026, 11, 22)
    times["template"] = times["docx"] = times["pdf"] = 0.0
    for crit in select_criteria(analysis.criteria, ()):
        cov = analysis.coverage[crit.id]
        t = time.perf_counter()
        html, template = renderer.html(analysis, cov, False, today)
        times["template"] += time.perf_counter() - t
        t = time.perf_counter()
        render_docx(html, dt.datetime(2026, 11, 22, 12))
        times["docx"] += time.perf_counter() - t
        t = time.perf_counter()
        render_pdf(html, template.parent, find_file("style.css", None), renderer.roots)
        times["pdf"] += time.perf_counter() - t
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("learner", nargs="?", type=Path, default=ROOT / "samples" / "complete")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    t = time.perf_counter()
    renderer = Renderer(None)
    setup = time.perf_counter() - t
    runs = [one_build(args.learner, renderer) for _ in range(args.repeat + 1)]
    first, rest = runs[0], runs[1:]
    print(f"learner: {args.learner}  (renderer set-up {setup * 1000:.0f} ms)")
    print(f"{'stage':<10} {'first build':>12} {'median of ' + str(len(rest)):>14}")
    for stage in first:
        median = statistics.median(r[stage] for r in rest) if rest else float("nan")
        print(f"{stage:<10} {first[stage] * 1000:>9.0f} ms {median * 1000:>11.0f} ms")


if __name__ == "__main__":
    main()
