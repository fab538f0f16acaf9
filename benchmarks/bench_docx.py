"""Word documents for one learner: the time `build -f docx` takes, sample by sample.

One run, printed per sample; compare two versions of the code by running this with each
(README, "Speed"). The analysis is done once beforehand so that the figure is the documents'.

    PYTHONPATH=src python benchmarks/bench_docx.py
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from evidencegen import api
from evidencegen.render.pipeline import Renderer, Sheet

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TODAY = dt.date(2026, 11, 22)


def docx_time(folder: Path, rounds: int = 3) -> float:
    """Seconds to render every criterion document and the location sheet as Word."""
    analysis = api.analyse(folder, today=TODAY)
    renderer = Renderer(None)
    chosen = api.select_criteria(analysis.criteria, ())
    renderer.render(analysis, analysis.coverage[chosen[0].id], False, TODAY, ("docx",))  # warm
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        files = {}
        for crit in chosen:
            done = renderer.render(analysis, analysis.coverage[crit.id], False, TODAY,
                                   ("docx",))
            files[crit.id] = Sheet(crit.id, done.sections)
        renderer.render_sheet(analysis, files, TODAY, ("docx",))
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    for name in ("complete", "part-way", "just-started"):
        print(f"{name:14} {docx_time(SAMPLES / name) * 1000:7.0f} ms")
