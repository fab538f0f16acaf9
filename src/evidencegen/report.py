"""Coverage reports for assessors: an 80-column text table and the documented JSON.

The text report is what an assessor reads in a terminal: one row per criterion with its
state, how much evidence and the first thing missing, then the detail of each gap.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidencegen.coverage import coverage_json
from evidencegen.models import STATE_LABELS, evidence_count

if TYPE_CHECKING:
    from evidencegen.branding import Centre
    from evidencegen.models import Analysis

WIDTH = 80
STATE_WORDS = {"not_started": "not started", "in_progress": "in progress", "ready": "ready",
               "met": "met", "signed_off": "signed off"}


REASON_SHORT = {"negated": "negated", "hypothetical": "planned or hypothetical",
                "generic": "general statements", "someone_else": "done by someone else",
                "literature": "from sources", "wrong_sense": "words in another sense"}


def _plain(text: str, state: str) -> str:
    return text


def text_report(
    analysis: Analysis, acs: list[str], style: Callable[[str, str], str] = _plain
) -> str:
    """One row per criterion (state, evidence count), then each criterion's gaps."""
    learner, cs = analysis.learner, analysis.criteria
    lines = [f"{learner.name} ({learner.learner_id}): Unit {cs.unit.number} {cs.unit.title}",
             f"{'AC':<5} {'state':<12} {'evidence':>8}  criterion"]
    for ac in acs:
        cov = analysis.coverage[ac]
        count = evidence_count(cov)
        title = textwrap.shorten(cov.criterion.text, WIDTH - 30, placeholder="...")
        state = style(f"{STATE_WORDS[cov.status]:<12}", cov.status)
        lines.append(f"{ac:<5} {state} {count:>8}  {title}")
    details = []
    for ac in acs:
        cov = analysis.coverage[ac]
        if not cov.judged:
            if cov.signatures:
                details.extend(["", f"{ac} {STATE_LABELS[cov.status]}"])
                details.extend(_signature_lines(cov))
            continue
        head = f"{ac} {STATE_LABELS[cov.status]}"
        details.append("")
        details.append(head)
        for r in cov.rules:
            mark = "ok " if r.met else "gap"
            details.extend(textwrap.wrap(f"{mark} {r.reason}", WIDTH, subsequent_indent="    "))
        if cov.decision is not None and cov.decision.decision == "not_yet":
            details.extend(textwrap.wrap(f"gap {cov.gaps[0]}", WIDTH, subsequent_indent="    "))
        details.extend(_signature_lines(cov))
        rejected = cov.evidence.rejected if cov.evidence is not None else []
        if rejected:
            kinds = Counter(r.reason for r in rejected)
            said = ", ".join(f"{n} {REASON_SHORT[k]}" for k, n in kinds.most_common())
            details.extend(textwrap.wrap(
                f"not counted: {said} (see why with 'evidencegen explain NOTE')", WIDTH,
                subsequent_indent="    "))
    unjudged = [ac for ac in acs if not analysis.coverage[ac].judged]
    if unjudged:
        details.append("")
        details.extend(textwrap.wrap(
            f"{', '.join(unjudged)}: evidencegen records the notes mapped to these criteria "
            "but does not judge them; the state shows only whether any note is mapped.", WIDTH))
    return "\n".join(lines + details) + "\n"


def _signature_lines(cov: Any) -> list[str]:
    """Each decision and record: verified (who, when, over which text) or a claim, and why."""
    out: list[str] = []
    for v in cov.signatures:
        out.extend(textwrap.wrap(v.sentence(), WIDTH, subsequent_indent="    ",
                                 break_on_hyphens=False))
    return out


def json_report(analysis: Analysis, acs: list[str], today: dt.date) -> dict[str, Any]:
    report = coverage_json(analysis.learner, analysis.criteria, analysis.coverage,
                           today.isoformat())
    report["criteria"] = [c for c in report["criteria"] if c["id"] in acs]
    return report


def html_report(analysis: Analysis, acs: list[str], today: dt.date,
                templates: Path | None = None, centre: Centre | None = None) -> str:
    """The self-contained HTML report (templates/report.html.j2), in the centre's branding.

    The template gets data only (render.data): each criterion's coverage carries its
    ``evidence_count``, and each quoted sentence its ``element_name``; the design tokens
    come with every render.
    """
    from evidencegen.render.environment import environment, render_template

    outcomes = []
    for outcome in analysis.criteria.outcomes:
        rows = [analysis.coverage[c.id] for c in outcome.criteria if c.id in acs]
        if rows:
            outcomes.append({"id": outcome.id, "title": outcome.title, "rows": rows})
    shown = [analysis.coverage[ac] for ac in acs]
    context = {
        "learner": analysis.learner, "criteria": analysis.criteria, "today": today,
        "outcomes": outcomes, "states": list(STATE_LABELS), "labels": STATE_LABELS,
        "counts": {s: sum(1 for c in shown if c.status == s) for s in STATE_LABELS},
        "centre": centre,
    }
    html, _ = render_template(environment(templates), ["report.html.j2"], context)
    return html
