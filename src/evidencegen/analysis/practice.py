"""5.2-style criteria: which techniques a note shows her using, clause by clause.

A technique counts only where a pattern of it matches and the clause says she (alone, or
with her mentee) did it; agreements for the future count for the techniques whose data say
so, and an honest admission counts for those that allow it. Everything else is recorded as
rejected, with its reason and the rule that decided.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from evidencegen.analysis.clauses import Who, last_named, read_clause
from evidencegen.analysis.nlp import parse
from evidencegen.analysis.patterns import Match, PatternSet, per_criterion, wrong_sense
from evidencegen.models import Hit, Rejected

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from evidencegen.criteria import Criterion
    from evidencegen.models import Block, CriterionMap, Learner, Note

_WORD = re.compile(r"[\w'’]+")
_ADMISSION = {"admit", "apologise", "apologize", "sorry", "own", "honest", "say", "tell",
              "explain", "confess"}
_NOT_NAMES = {"mentee", "the", "an", "mr", "mrs", "ms", "miss", "dr", "new", "my"}


def who_for(note: Note, learner: Learner | None) -> Who:
    """The people of a note: whose "I" it is, and the names of the learner and mentees."""
    learner_names: set[str] = set()
    mentee_names: set[str] = set()
    if learner is not None:
        learner_names = {w.lower() for w in _WORD.findall(learner.name)} - _NOT_NAMES - {"a"}
        for mentee in learner.mentees:
            mentee_names |= {w.lower() for w in _WORD.findall(mentee)} - _NOT_NAMES
    if note.mentee:
        mentee_names |= {w.lower() for w in _WORD.findall(note.mentee)} - _NOT_NAMES
    first_person = note.type not in ("observation", "witness")
    return Who(first_person, frozenset(learner_names - mentee_names), frozenset(mentee_names))


def _patterns(criterion: Criterion) -> PatternSet:
    return per_criterion("elements", criterion,
                         lambda: PatternSet((e.id, e.patterns) for e in criterion.elements))


def _anchor(match: Match) -> Token:
    """The token whose clause is judged: the pattern's anchor lemma, else its first verb.

    A match that opens with "without"/"never" is judged on the clause it modifies.
    """
    if match.pattern.anchor:
        for tok in [*match.span, *match.span[0].ancestors]:
            if tok._.lem in match.pattern.anchor:
                return tok
    first = match.span[0]
    if first._.lem in ("without", "never", "not", "no") and first.head is not first:
        return first.head
    return next((t for t in match.span if t.pos_ in ("VERB", "AUX")), first)


def in_plan(block: Block, criterion: Criterion) -> bool:
    """True for a block under a heading or label such as "Actions" or "Next steps"."""
    words = [*getattr(block, "context", ()), getattr(block, "label", None) or ""]
    words = [w.lower().strip(" :*-–") for w in words if w]
    return any(w.startswith(label) for w in words for label in criterion.plan_labels)


def judge_sentence(criterion: Criterion, doc: Doc, who: Who, plan: bool = False,
                   context: frozenset[str] = frozenset(),
                   ) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """(accepted, rejected) per element id: (rule, reading) for the first match of each."""
    accepted: dict[str, tuple] = {}
    rejected: dict[str, tuple] = {}
    for match in _patterns(criterion)(doc, context):
        if match.key in accepted:
            continue
        if wrong_sense(match):
            rejected.setdefault(match.key, (match.rule.replace("~", ""), None, "wrong_sense"))
            continue
        reading = read_clause(_anchor(match), who, agreement=match.pattern.agreement,
                              negation_ok=match.pattern.negative or (
                                  match.pattern.admission
                                  and bool({t._.lem for t in doc} & _ADMISSION)),
                              actors=frozenset(match.pattern.actors), plan_context=plan,
                              alone_ok=match.pattern.alone_ok)
        if reading.reason is None:
            accepted[match.key] = (match.rule, reading, None, match.pattern.weak)
            rejected.pop(match.key, None)
        else:
            rejected.setdefault(match.key, (match.rule, reading, reading.reason))
    # a weak cue ("I explained ...") stands only when nothing more specific does
    if any(not weak for *_, weak in accepted.values()):
        accepted = {k: v for k, v in accepted.items() if not v[3]}
    return {k: v[:3] for k, v in accepted.items()}, rejected


def map_practice(cmap: CriterionMap, notes: list[Note], learner: Learner | None) -> None:
    crit = cmap.criterion
    for note in notes:
        who = who_for(note, learner)
        items = [(b, s) for b in note.blocks if b.kind != "heading" for s in b.sentences]
        docs = parse(s.text for _, s in items)
        paragraph: dict[int, set[str]] = {}
        for (block, _), doc in zip(items, docs, strict=True):
            paragraph.setdefault(id(block), set()).update(t.norm_ for t in doc)
        for (block, sentence), doc in zip(items, docs, strict=True):
            accepted, rejected = judge_sentence(crit, doc, who, in_plan(block, crit),
                                                frozenset(paragraph[id(block)]))
            if not who.first_person_is_learner and (named := last_named(doc, who)):
                who = replace(who, she_is=named)  # the next "she" is whom this one named
            for element, (rule, reading, _) in accepted.items():
                cmap.hits.append(Hit(element, note, sentence.line, sentence.text, (), rule,
                                     reading.clause, reading.actor))
            for element, (rule, reading, reason) in rejected.items():
                cmap.rejected.append(Rejected(element, note, sentence.line, sentence.text,
                                              reason, rule,
                                              reading.clause if reading else ""))
