"""Map what a learner wrote to criteria: which models and techniques each sentence shows.

Pure functions over notes already read: no I/O. Every piece of evidence keeps its note,
line and sentence, so an assessor can check each claim against the learner's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidencegen.criteria import CriteriaSet, Criterion
from evidencegen.readers import Note
from evidencegen.text import Phrase, Token, compile_phrase, find, first_positive, mentions, tokens


@dataclass(frozen=True)
class Hit:
    """One sentence that shows one element (a model or a technique)."""

    element: str
    note: Note
    line: int
    quote: str
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """A sentence that relates two or more models (1.1's "compare")."""

    note: Note
    line: int
    quote: str
    elements: tuple[str, ...]


@dataclass
class CriterionMap:
    criterion: Criterion
    hits: list[Hit] = field(default_factory=list)
    explicit: list[Note] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)

    def notes(self) -> list[Note]:
        """Every note that contributes to this criterion, in reading order, once each."""
        seen: dict[str, Note] = {}
        for note in [*self.explicit, *(h.note for h in self.hits)]:
            seen.setdefault(note.rel, note)
        for c in self.comparisons:
            seen.setdefault(c.note.rel, c.note)
        return sorted(seen.values(), key=lambda n: (n.date is None, n.date, n.rel))


@dataclass(frozen=True)
class _Compiled:
    elements: tuple[tuple[str, tuple[Phrase, ...]], ...]
    aspects: tuple[tuple[str, tuple[Phrase, ...]], ...]
    comparison: tuple[Phrase, ...]


_COMPILED: dict[int, tuple[Criterion, _Compiled]] = {}


def _compile(criterion: Criterion) -> _Compiled:
    """Compile a criterion's phrases once per process (criteria sets are cached too)."""
    cached = _COMPILED.get(id(criterion))
    if cached is not None and cached[0] is criterion:
        return cached[1]
    compiled = _Compiled(
        elements=tuple(
            (e.id, tuple(compile_phrase(p) for p in e.phrases)) for e in criterion.elements
        ),
        aspects=tuple(
            (name, tuple(compile_phrase(p) for p in cues))
            for name, cues in criterion.aspects.items()
        ),
        comparison=tuple(compile_phrase(p) for p in criterion.comparison),
    )
    _COMPILED[id(criterion)] = (criterion, compiled)
    return compiled


def _named(compiled: _Compiled, toks: tuple[Token, ...]) -> list[str]:
    """Elements named in the sentence, in the order they first appear."""
    found: list[tuple[int, str]] = []
    for element_id, phrases in compiled.elements:
        starts = [s for p in phrases for s, _ in find(p, toks)]
        if starts:
            found.append((min(starts), element_id))
    return [e for _, e in sorted(found)]


def _aspects(compiled: _Compiled, toks: tuple[Token, ...]) -> tuple[str, ...]:
    out = []
    for name, cues in compiled.aspects:
        # "not useful" is no strength; a negation is itself a sign of a limitation.
        if name == "strength":
            if first_positive(list(cues), toks):
                out.append(name)
        elif mentions(list(cues), toks):
            out.append(name)
    return tuple(out)


def _map_comparative(cmap: CriterionMap, compiled: _Compiled, note: Note) -> None:
    """1.1-style criteria: attribute each sentence to the model under discussion."""
    heading_context: str | None = None
    for block in note.blocks:
        if block.kind == "heading":
            named = _named(compiled, tokens(block.text))
            heading_context = named[0] if named else None
            continue
        context = heading_context
        for sentence in block.sentences:
            toks = tokens(sentence.text)
            named = _named(compiled, toks)
            if len(named) == 1:
                context = named[0]
            subjects = named or ([context] if context else [])
            if not subjects:
                continue
            related = list(dict.fromkeys([*named, *([context] if context else [])]))
            if len(related) >= 2 and mentions(list(compiled.comparison), toks):
                cmap.comparisons.append(
                    Comparison(note, sentence.line, sentence.text, tuple(related))
                )
            aspects = _aspects(compiled, toks)
            for element_id in subjects:
                cmap.hits.append(Hit(element_id, note, sentence.line, sentence.text, aspects))


def _map_practice(cmap: CriterionMap, compiled: _Compiled, note: Note) -> None:
    """5.2-style criteria: a sentence evidences every element it shows, unless negated."""
    for sentence in note.sentences:
        toks = tokens(sentence.text)
        for element_id, phrases in compiled.elements:
            if first_positive(list(phrases), toks):
                cmap.hits.append(Hit(element_id, note, sentence.line, sentence.text))


def map_notes(criteria: CriteriaSet, notes: tuple[Note, ...]) -> dict[str, CriterionMap]:
    """Evidence for every criterion of the unit, keyed by criterion id."""
    maps = {c.id: CriterionMap(c) for c in criteria.all_criteria()}
    for note in notes:
        for ac in note.criteria:
            maps[ac].explicit.append(note)
    for crit in criteria.all_criteria():
        if not crit.elements:
            continue
        compiled = _compile(crit)
        mapper = _map_comparative if crit.comparison else _map_practice
        for note in notes:
            if note.type in crit.scan or crit.id in note.criteria:
                mapper(maps[crit.id], compiled, note)
    return maps

