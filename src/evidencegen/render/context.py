"""The typed context every document template receives.

Templates get the learner's words already sorted into the structure an assessor expects
(a comparison table for 1.1, an evidence map and dated session records for 5.2); they
decide wording and layout, never which sentence evidences what.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from evidencegen import __version__
from evidencegen.coverage import CriterionCoverage
from evidencegen.criteria import CriteriaSet, Criterion, Element, Outcome
from evidencegen.mapping import Comparison, Hit
from evidencegen.readers import Learner, Note

MAX_PER_CELL = 3


@dataclass(frozen=True)
class Quote:
    """A sentence of the learner's, with where it came from."""

    text: str
    source: str
    line: int
    why: str = ""  # the rule and clause it was counted by (shown in drafts, for checking)

    @property
    def cite(self) -> str:
        return f"{self.source}, line {self.line}"


@dataclass
class ModelRow:
    element: Element
    how: list[Quote] = field(default_factory=list)
    strengths: list[Quote] = field(default_factory=list)
    limitations: list[Quote] = field(default_factory=list)
    setting: list[Quote] = field(default_factory=list)


@dataclass
class TechniqueRow:
    element: Element
    dates: list[dt.date]
    undated: int
    example: Quote


@dataclass
class DocumentContext:
    learner: Learner
    criteria: CriteriaSet
    criterion: Criterion
    outcome: Outcome
    coverage: CriterionCoverage
    final: bool
    generated: dt.date
    timestamp: dt.datetime  # in the files' metadata: fixed, so a rebuild gives equal bytes
    version: str
    title: str
    subject: str
    notes: list[Note]
    word_count: int
    references: list[str]
    models: list[ModelRow] = field(default_factory=list)
    comparisons: list[Quote] = field(default_factory=list)
    techniques: list[TechniqueRow] = field(default_factory=list)
    sessions: list[Note] = field(default_factory=list)
    reflections: list[Note] = field(default_factory=list)
    witnessed: list[Note] = field(default_factory=list)
    other_notes: list[Note] = field(default_factory=list)
    centre: Any = None  # branding.Centre, from centre.yaml

    def as_template_vars(self) -> dict[str, Any]:
        return {"doc": self, **{k: getattr(self, k) for k in self.__dataclass_fields__}}


def _quote(hit: Hit | Comparison) -> Quote:
    return Quote(hit.quote, hit.note.rel, hit.line)


def _add(cell: list[Quote], quote: Quote) -> None:
    if len(cell) < MAX_PER_CELL and quote not in cell:
        cell.append(quote)


def _model_rows(cov: CriterionCoverage) -> list[ModelRow]:
    assert cov.evidence is not None
    rows: dict[str, ModelRow] = {}
    compared = {(c.note.rel, c.line, c.quote) for c in cov.evidence.comparisons}
    for hit in cov.evidence.hits:
        if (hit.note.rel, hit.line, hit.quote) in compared:
            rows.setdefault(hit.element, ModelRow(cov.evidence.element(hit.element)))
            continue  # shown under "How the models compare", not in one model's row
        row = rows.setdefault(hit.element, ModelRow(cov.evidence.element(hit.element)))
        quote = _quote(hit)
        if "strength" in hit.aspects:
            _add(row.strengths, quote)
        if "limitation" in hit.aspects:
            _add(row.limitations, quote)
        if "setting" in hit.aspects:
            _add(row.setting, quote)
        if "how" in hit.aspects or not hit.aspects:
            _add(row.how, quote)
    evidence = cov.evidence
    return sorted(rows.values(), key=lambda r: (evidence.order(r.element.id), r.element.name))


def _first_person(sentence: str) -> bool:
    return sentence.startswith("I ") or " I " in sentence or sentence.startswith("We ")


def technique_rows(cov: CriterionCoverage) -> list[TechniqueRow]:
    assert cov.evidence is not None
    rows = []
    for element in cov.criterion.elements:
        hits = [h for h in cov.evidence.hits if h.element == element.id]
        if not hits:
            continue
        dates = sorted({h.note.date for h in hits if h.note.date and h.note.type == "session"})
        undated = len({h.note.rel for h in hits if not h.note.date})
        # Prefer a session sentence in which she says what she did ("I ..."), then brevity.
        sessions_first = sorted(hits, key=lambda h: (
            h.note.type != "session", not _first_person(h.quote), len(h.quote)))
        best = sessions_first[0]
        why = f"{best.rule}: \u201c{best.clause}\u201d" if best.clause else best.rule
        rows.append(TechniqueRow(element, dates, undated,
                                 Quote(best.quote, best.note.rel, best.line, why)))
    return rows


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds), if set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc)


def input_timestamp(learner: Learner) -> dt.datetime:
    """SOURCE_DATE_EPOCH, else the newest modification time among the learner's inputs."""
    fixed = source_date_epoch()
    if fixed is not None:
        return fixed
    paths = [n.path for n in learner.notes] + [learner.folder / "learner.yaml"]
    mtimes = [p.stat().st_mtime for p in paths if p.exists()]
    newest = max(mtimes) if mtimes else 0.0
    return dt.datetime.fromtimestamp(int(newest), tz=dt.timezone.utc)


def build_context(
    learner: Learner,
    criteria: CriteriaSet,
    cov: CriterionCoverage,
    final: bool,
    generated: dt.date,
) -> DocumentContext:
    crit = cov.criterion
    assert cov.evidence is not None
    notes = cov.evidence.notes()
    ctx = DocumentContext(
        learner=learner,
        criteria=criteria,
        criterion=crit,
        outcome=criteria.outcome_of(crit.id),
        coverage=cov,
        final=final,
        generated=generated,
        timestamp=input_timestamp(learner),
        version=__version__,
        title=f"{learner.learner_id} Unit {criteria.unit.number} AC {crit.id}: {crit.text}",
        subject=f"{criteria.qualification.title}, Unit {criteria.unit.number} "
        f"{criteria.unit.title}, assessment criterion {crit.id}",
        notes=notes,
        word_count=0,
        references=list(dict.fromkeys(r for n in notes for r in n.references)),
    )
    own_words: set[str] = set()
    if crit.judge == "comparison":
        ctx.models = _model_rows(cov)
        ctx.comparisons = [_quote(c) for c in cov.evidence.comparisons]
        own_words = {n.rel for n in notes if n.type not in ("observation", "witness")}
    elif crit.elements:
        ctx.techniques = technique_rows(cov)
        ctx.sessions = [n for n in notes if n.type == "session"]
        ctx.reflections = [n for n in notes if n.type in ("reflection", "knowledge")]
        ctx.witnessed = [n for n in notes if n.type in ("observation", "witness")]
        own_words = {n.rel for n in ctx.sessions + ctx.reflections}
    else:
        ctx.other_notes = notes
        own_words = {n.rel for n in notes if n.type not in ("observation", "witness")}
    ctx.word_count = sum(n.words for n in notes if n.rel in own_words)
    return ctx
