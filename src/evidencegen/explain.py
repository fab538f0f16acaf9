"""One note, sentence by sentence: what counted, for which element, and why not elsewhere.

The assessor's lens ("why does the tool call this ready?") and the developer's debugger
("why did this sentence not count?"): it reads the judgement already made, it does not
judge again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evidencegen.api import analyse
from evidencegen.models import REASON_TEXT, Analysis


@dataclass
class Verdict:
    criterion: str
    element: str  # element name, or "comparison"
    counted: bool
    rule: str
    detail: str  # the clause and actor, the aspects, or the reason it did not count


@dataclass
class Line:
    line: int
    text: str
    verdicts: list[Verdict] = field(default_factory=list)


def explain_note(path: Path, criteria: tuple[str, ...] = ()) -> tuple[Analysis, list[Line]]:
    """Every sentence of the note at ``path`` with the verdicts on it, in reading order."""
    analysis = analyse(path.resolve(), today=None)
    notes = {n.rel: n for n in analysis.learner.notes if n.path == path.resolve()}
    rows: dict[tuple[int, str], Line] = {}
    for note in notes.values():
        for s in note.sentences:
            rows.setdefault((s.line, s.text), Line(s.line, s.text))
    for ac, cmap in analysis.maps.items():
        if criteria and ac not in criteria:
            continue
        for hit in cmap.hits:
            if hit.note.rel in notes and (row := rows.get((hit.line, hit.quote))):
                name = cmap.element(hit.element).name
                if hit.aspects:
                    detail = "about " + ", ".join(hit.aspects)
                else:
                    detail = f"{hit.actor or 'she'} did it: \u201c{hit.clause}\u201d"
                row.verdicts.append(Verdict(ac, name, True, hit.rule, detail))
        for comp in cmap.comparisons:
            if comp.note.rel in notes and (row := rows.get((comp.line, comp.quote))):
                names = " and ".join(cmap.element(e).name for e in comp.elements)
                row.verdicts.append(Verdict(ac, "comparison", True, comp.rule,
                                            f"relates {names}"))
        for rej in cmap.rejected:
            if rej.note.rel in notes and (row := rows.get((rej.line, rej.quote))):
                name = cmap.element(rej.element).name
                clause = f" (\u201c{rej.clause}\u201d)" if rej.clause else ""
                row.verdicts.append(Verdict(ac, name, False, rej.rule,
                                            REASON_TEXT[rej.reason] + clause))
    return analysis, sorted(rows.values(), key=lambda r: r.line)


def explain_text(lines: list[Line], width: int = 100) -> str:
    """Plain text: each sentence, then a line per verdict (+ counted, - did not count)."""
    out = []
    for row in lines:
        out.append(f"{row.line:>4}  {row.text}")
        for v in row.verdicts:
            mark = "+" if v.counted else "-"
            out.append(f"      {mark} {v.criterion} {v.element}: {v.detail} [{v.rule}]")
    return "\n".join(out) + "\n"
