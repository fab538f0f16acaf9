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
from evidencegen.criteria import CriteriaSet, Criterion, Element, Outcome
from evidencegen.models import CriterionCoverage, Hit, Learner, Note

MAX_PER_CELL = 3
NOTE_KINDS = {"session": "Session", "observation": "Observation", "witness": "Witness testimony",
              "reflection": "Reflection", "knowledge": "Reading note"}


@dataclass(frozen=True)
class Source:
    """A note cited in a document: numbered src-K in order of first citation."""

    id: str
    file: str  # the note's path inside the learner folder, shown only in the sources list
    label: str  # how the body names it: "Session 14 Apr 2026", "Reading note 1"
    title: str  # the note's title, shown in the sources list


@dataclass(frozen=True)
class Quote:
    """A sentence of the learner's, with where it came from."""

    text: str
    source: str  # the note's path inside the learner folder
    line: int
    why: str = ""  # the rule and clause it was counted by (shown in drafts, for checking)
    id: str = ""  # ev-N, in document order
    source_id: str = ""  # src-K
    source_label: str = ""  # "Session 14 Apr 2026"
    also: tuple[str, ...] = ()  # other aspects the sentence speaks to (1.1 cards)

    @property
    def cite(self) -> str:
        """The citation in words: "Session 14 Apr 2026, line 9" (never a file path)."""
        return f"{self.source_label or self.source}, line {self.line}"


def note_label(note: Note, number: int) -> str:
    """How a document names a note in words: its kind and date ("Session 14 Apr 2026"), or
    for an undated note its kind and a number ("Reading note 1"); the sources list gives the
    title and file."""
    kind = NOTE_KINDS.get(note.type, note.type.capitalize())
    if note.date:
        return f"{kind} {note.date.day} {note.date:%b %Y}"
    return f"{kind} {number}"


class Citations:
    """Numbers sources (src-K) and evidence items (ev-N) in the order a document shows them.

    The context is built in document order, so the numbers follow the page: the first note
    cited is src-1, the first quotation ev-1.
    """

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.count = 0

    def source(self, note: Note) -> Source:
        known = self.sources.get(note.rel)
        if known is None:
            kind = NOTE_KINDS.get(note.type, note.type.capitalize())
            undated = sum(1 for s in self.sources.values() if s.label.startswith(kind + " ")
                          and s.label.removeprefix(kind + " ").isdigit())
            label = note_label(note, undated + 1)
            if any(s.label == label for s in self.sources.values()):
                label = f"{label} ({len(self.sources) + 1})"  # two notes of a kind on one day
            known = Source(f"src-{len(self.sources) + 1}", note.rel, label, note.title)
            self.sources[note.rel] = known
        return known

    def quote(self, note: Note, line: int, text: str, why: str = "",
              also: tuple[str, ...] = ()) -> Quote:
        src = self.source(note)
        self.count += 1
        return Quote(text, note.rel, line, why, f"ev-{self.count}", src.id, src.label, also)


@dataclass
class ModelRow:
    """One model's card: its quotes under each aspect's column (``cells["strengths"]``);
    a template reads them as ``row.strengths`` or ``row[key]`` (see ``render.data``)."""

    element: Element
    cells: dict[str, list[Quote]] = field(default_factory=dict)


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
    sources: list[Source] = field(default_factory=list)  # in order of first citation
    note_sources: dict[str, Source] = field(default_factory=dict)  # note path -> its source
    aspects: tuple[tuple[str, str], ...] = ()  # (column, heading), from the criteria data
    centre: Any = None  # branding.Centre, from centre.yaml

    def as_template_vars(self) -> dict[str, Any]:
        return {"doc": self, **{k: getattr(self, k) for k in self.__dataclass_fields__}}


def _model_rows(cov: CriterionCoverage, cites: Citations) -> list[ModelRow]:
    """One card per model; each sentence once, under its first model and first aspect.

    The aspects and their columns come from the criteria data, in its order. A sentence
    about several is quoted under the first of them after the first listed (how the model
    works), which takes what names no other.
    """
    assert cov.evidence is not None
    evidence = cov.evidence
    aspects = cov.criterion.aspects
    column = {a: cues.column or a for a, cues in aspects.items()}
    heading = dict(cov.criterion.aspect_columns())
    ids = list(aspects)
    first = ids[0] if ids else ""
    preferred = [*ids[1:], first]
    compared = {(c.note.rel, c.line, c.quote) for c in evidence.comparisons}
    placed: dict[str, dict[str, list[Hit]]] = {}
    seen: set[tuple[str, int, str]] = set()
    for hit in evidence.hits:
        cells = placed.setdefault(hit.element, {a: [] for a in ids})
        key3 = (hit.note.rel, hit.line, hit.quote)
        if key3 in compared or key3 in seen:
            continue  # a comparison is shown under "How the models compare"; a repeat, once
        aspect = next((a for a in preferred if a in hit.aspects), first)
        if aspect in cells and len(cells[aspect]) < MAX_PER_CELL:
            cells[aspect].append(hit)
            seen.add(key3)
    order = sorted(placed, key=lambda e: (evidence.order(e), evidence.element(e).name))
    rows = []
    for element_id in order:
        row = ModelRow(evidence.element(element_id), {column[a]: [] for a in ids})
        for aspect in ids:
            for hit in placed[element_id][aspect]:
                others = tuple(heading[column[a]] for a in preferred
                               if a in hit.aspects and a != aspect)
                row.cells[column[aspect]].append(cites.quote(hit.note, hit.line, hit.quote,
                                                             also=others))
        rows.append(row)
    return rows


def _first_person(sentence: str) -> bool:
    return sentence.startswith("I ") or " I " in sentence or sentence.startswith("We ")


def technique_rows(cov: CriterionCoverage, cites: Citations | None = None) -> list[TechniqueRow]:
    assert cov.evidence is not None
    cites = cites or Citations()
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
                                 cites.quote(best.note, best.line, best.quote, why)))
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
    cites = Citations()
    own_words: set[str] = set()
    ctx.aspects = crit.aspect_columns()
    if crit.judge == "comparison":
        ctx.models = _model_rows(cov, cites)
        ctx.comparisons = [cites.quote(c.note, c.line, c.quote)
                           for c in cov.evidence.comparisons]
        own_words = {n.rel for n in notes if n.type not in ("observation", "witness")}
    elif crit.elements:
        ctx.techniques = technique_rows(cov, cites)
        ctx.sessions = [n for n in notes if n.type == "session"]
        ctx.witnessed = [n for n in notes if n.type in ("observation", "witness")]
        ctx.reflections = [n for n in notes if n.type in ("reflection", "knowledge")]
        for note in ctx.sessions + ctx.witnessed + ctx.reflections:  # the order shown
            cites.source(note)
        own_words = {n.rel for n in ctx.sessions + ctx.reflections}
    else:
        ctx.other_notes = notes
        for note in notes:
            cites.source(note)
        own_words = {n.rel for n in notes if n.type not in ("observation", "witness")}
    ctx.sources = list(cites.sources.values())
    ctx.note_sources = dict(cites.sources)
    ctx.word_count = sum(n.words for n in notes if n.rel in own_words)
    return ctx
