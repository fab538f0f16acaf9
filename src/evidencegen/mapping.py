"""Map what a learner wrote to criteria: which models and techniques each sentence shows.

Pure functions over notes already read: no I/O. Every piece of evidence keeps its note,
line, sentence, the clause it rests on and the id of the pattern that fired; every candidate
that was turned down keeps why (negated, hypothetical, generic, someone else, literature,
wrong sense), so an assessor can check each claim, and each refusal, against her words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidencegen.criteria import CriteriaSet, Criterion, Element, Pattern
from evidencegen.readers import Learner, Note

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


def map_notes(criteria: CriteriaSet, notes: tuple[Note, ...],
              learner: Learner | None = None) -> dict[str, CriterionMap]:
    """Evidence for every criterion of the unit, keyed by criterion id."""
    maps = {c.id: CriterionMap(c) for c in criteria.all_criteria()}
    for note in notes:
        for ac in note.criteria:
            maps[ac].explicit.append(note)
    judged = [c for c in criteria.all_criteria() if c.elements and c.judge]
    if not judged:
        return maps
    from evidencegen.analysis.models import map_models  # loads spaCy: only when judging
    from evidencegen.analysis.nlp import parse_groups
    from evidencegen.analysis.practice import map_practice

    # every note's sentences in one call to the model, before the criteria read them
    parse_groups([[s.text for b in n.blocks if b.kind != "heading" for s in b.sentences]
                  for n in notes if n.words > 0])

    for crit in judged:
        chosen = [n for n in notes
                  if (n.type in crit.scan or crit.id in n.criteria) and n.words > 0]
        if crit.judge == "practice":
            map_practice(maps[crit.id], chosen, learner)
        else:
            map_models(maps[crit.id], chosen, learner)
    return maps
