"""The data the stages pass to one another: notes and their blocks, the learner, the
evidence found for each criterion, its coverage, and what a batch did with each folder.

Types only (and the few properties that read them), so that every stage imports them from
below: readers make Notes and Learners, mapping makes CriterionMaps, coverage judges them,
and render, report, tracker and batch read the result, none importing a later stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from evidencegen.criteria import CriteriaSet, Criterion, Element, Pattern
from evidencegen.inputs import InputWarning
from evidencegen.privacy import Finding
from evidencegen.schema import Countersign, Decision, Declaration
from evidencegen.signing import Verification


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item, quote, table cell or code block of a note.

    ``line`` is the block's first line in the file (for Word: its paragraph number). The
    structure fields say where the block sits, so a sentence can be read in its place.
    """

    kind: str  # "heading" | "paragraph" | "list_item" | "quote" | "table_cell" | "code"
    text: str  # whitespace-normalised, markup removed, label kept
    line: int
    sentences: tuple[Sentence, ...]
    level: int = 0  # headings 1-6; list items: nesting depth, 1 = top
    label: str | None = None  # "Strengths" for "Strengths: it is cheap"
    context: tuple[str, ...] = ()  # what the block sits under, outermost first
    table: int | None = None  # table cells: the table's index in the note (0-based)
    row: int | None = None  # table cells: row index, 0 = first body row
    column: int | None = None  # table cells: column index
    header: str | None = None  # table cells: the column's header text


@dataclass(frozen=True)
class Note:
    path: Path
    rel: str  # path inside the learner folder, with forward slashes
    type: str
    title: str
    date: dt.date | None
    mentee: str | None
    duration: str | None
    mode: str | None
    criteria: tuple[str, ...]
    criteria_line: int
    author_name: str | None
    author_role: str | None
    references: tuple[str, ...]
    blocks: tuple[Block, ...]
    html: Markup
    words: int
    findings: tuple[Finding, ...] = ()
    encoding: str | None = None  # the legacy encoding it was read in; None: UTF-8

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]


@dataclass(frozen=True)
class Learner:
    folder: Path
    name: str
    learner_id: str
    centre: str | None
    assessor: str | None
    employer: str | None
    programme_start: dt.date | None
    criteria: str | None
    mentees: tuple[str, ...]
    declaration: Declaration | None
    notes: tuple[Note, ...] = field(default=())
    feedback: dict[str, Decision] = field(default_factory=dict)  # as written: claims
    feedback_lines: dict[str, int] = field(default_factory=dict)
    signatures: tuple[Verification, ...] = ()  # each decision and record, verified or not
    privacy: tuple[Finding, ...] = ()
    warnings: tuple[InputWarning, ...] = ()  # files and notes that count for nothing, and why


@dataclass(frozen=True)
class Feedback:
    """feedback.yaml as written: decisions by criterion, countersigned records by file."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    records: dict[str, Countersign] = field(default_factory=dict)


REJECT_KINDS = ("negated", "hypothetical", "generic", "someone_else", "literature",
                "wrong_sense")
REASON_TEXT = {
    "negated": "negated: it says this was not done",
    "hypothetical": "not done (yet): a plan, a wish, a condition or an assignment question",
    "generic": "a general statement, not something she did with her mentee",
    "someone_else": "someone other than the learner did this",
    "literature": "what a source or model says, not her practice",
    "wrong_sense": "the word is used in another sense here",
}
OTHER_PREFIX = "other:"


@dataclass(frozen=True)
class Hit:
    """One sentence that shows one element (a model or a technique), and why it counts."""

    element: str
    note: Note
    line: int
    quote: str
    aspects: tuple[str, ...] = ()
    rule: str = ""  # the pattern or label that fired: "active_listening/open_question"
    clause: str = ""  # the clause the judgement rests on
    actor: str = ""  # learner, pair, mentee (5.2) — who did it


@dataclass(frozen=True)
class Rejected:
    """A candidate that did not count, with the reason an assessor would give."""

    element: str
    note: Note
    line: int
    quote: str
    reason: str  # one of REJECT_KINDS
    rule: str
    clause: str = ""

    @property
    def why(self) -> str:
        return REASON_TEXT[self.reason]


@dataclass(frozen=True)
class Comparison:
    """A sentence (or table) that relates two or more models (1.1's "compare")."""

    note: Note
    line: int
    quote: str
    elements: tuple[str, ...]
    rule: str = ""


@dataclass
class CriterionMap:
    criterion: Criterion
    hits: list[Hit] = field(default_factory=list)
    explicit: list[Note] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    unlisted: dict[str, str] = field(default_factory=dict)  # "other:circle model" -> name

    def notes(self) -> list[Note]:
        """Every note that contributes to this criterion, in reading order, once each."""
        seen: dict[str, Note] = {}
        for note in [*self.explicit, *(h.note for h in self.hits)]:
            seen.setdefault(note.rel, note)
        for c in self.comparisons:
            seen.setdefault(c.note.rel, c.note)
        return sorted(seen.values(), key=lambda n: (n.date is None, n.date, n.rel))

    def element(self, element_id: str) -> Element:
        """The criterion's element, or one made up for a model in no list."""
        if element_id.startswith(OTHER_PREFIX):
            name = self.unlisted.get(element_id, element_id[len(OTHER_PREFIX):])
            return Element(id=element_id, name=name, listed=False,
                           description="A model the learner names that is not in the "
                                       "criteria file.",
                           patterns=[Pattern(id="named", match=name.split()[0])])
        return self.criterion.element(element_id)

    def order(self, element_id: str) -> int:
        ids = [e.id for e in self.criterion.elements]
        return ids.index(element_id) if element_id in ids else len(ids)


STATES = ("not_started", "in_progress", "ready", "met", "signed_off")
STATE_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "ready": "Ready for assessment",
    "met": "Met (observed)",
    "signed_off": "Signed off by assessor",
}


@dataclass(frozen=True)
class RuleResult:
    rule: str
    summary: str
    level: str
    needed: int
    found: int
    met: bool
    reason: str


@dataclass
class CriterionCoverage:
    criterion: Criterion
    status: str
    judged: bool  # False: the tool records mappings for this criterion but does not judge it
    rules: list[RuleResult] = field(default_factory=list)
    evidence: CriterionMap | None = None
    missing_elements: list[Element] = field(default_factory=list)
    decision: Decision | None = None  # a verified decision only: claims never count
    evidenced_status: str = ""  # what the evidence alone shows, before any decision
    # every decision and record bearing on it, verified or an unverified claim (and why)
    signatures: list[Verification] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        gaps = [r.reason for r in self.rules if not r.met]
        if self.decision is not None and self.decision.decision == "not_yet":
            gaps.insert(0, decision_text(self.decision))
        return gaps

    @property
    def label(self) -> str:
        return STATE_LABELS[self.status]

    @property
    def evidence_count(self) -> int:
        return evidence_count(self)


def evidence_count(cov: CriterionCoverage) -> int:
    """How much evidence a criterion has: the one figure build, check (text, JSON, HTML)
    and the documents all show. It counts each entry coverage.json lists under evidence:
    every sentence counted for an element, every comparison, every note the learner mapped
    to the criterion herself."""
    if cov.evidence is None:
        return 0
    return len(cov.evidence.hits) + len(cov.evidence.comparisons) + len(cov.evidence.explicit)


def decision_text(d: Decision) -> str:
    """The assessor's decision as one sentence, for gaps and reports."""
    verdict = "met" if d.decision == "met" else "not yet met"
    who = f" by {d.assessor}" if d.assessor else ""
    when = f" on {day_text(d.date)}" if d.date else ""
    comments = f": {d.comments}" if d.comments else ""
    return f"Assessor's decision{who}{when}: {verdict}{comments}"


def day_text(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass
class Analysis:
    learner: Learner
    criteria: CriteriaSet
    maps: dict[str, CriterionMap]
    coverage: dict[str, CriterionCoverage]


@dataclass
class Outcome:
    """What happened to one learner folder."""

    folder: str
    learner_id: str | None
    result: str  # built, skipped or failed
    error: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    name: str | None = None  # kept when she fails too, read from learner.yaml if it can be
    file: str | None = None  # failed: the file to fix (cohort-relative), when one is named
    # "path: why" for each file not read, or read with a guessed encoding (built learners)
    warnings: list[str] = field(default_factory=list)
