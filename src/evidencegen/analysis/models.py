"""1.1-style criteria: which models a note describes, what it says of each, what it compares.

A sentence is about the models it names, else the model its block sits under (a heading,
a parent list item, a table row), else the model of the sentences before it. What it says
(how it works, a strength, a limitation, a fit with her own setting) comes from the block's
label or heading ("Cons:", "**Weaknesses**", a "Strengths" column) and from its wording,
with a negated strength read as a limitation. Comparisons relate two models in one sentence,
by a word that points back ("the latter", "both", "unlike the first"), by a contrast with the
model under discussion ("whereas", "on the other hand"), or by a table with a row per model.
Models outside the criteria file are found as "the X model" or an acronym, and kept when the
note says something about them in at least two sentences.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evidencegen.analysis.clauses import chain, is_name, negated
from evidencegen.analysis.nlp import parse
from evidencegen.analysis.patterns import PatternSet, per_criterion, wrong_sense
from evidencegen.models import Comparison, Hit

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from evidencegen.criteria import Criterion
    from evidencegen.models import Block, CriterionMap, Learner, Note

_STRONG_CUES = {"unlike", "whereas", "while", "compare", "similar", "both", "differ", "than",
                "other_hand", "like", "opposite"}
_LABEL_CLEAN = re.compile(r"[^\w\s'-]+")
_STOP = {"care", "home", "court", "house", "ltd", "limited", "the", "and", "services",
         "service", "group", "trust", "nhs", "centre", "center", "lodge", "road", "street"}


@dataclass
class _Discourse:
    """Which models the note has talked about, most recent last."""

    seen: list[str] = field(default_factory=list)

    def mention(self, models: list[str]) -> None:
        for m in models:
            if m in self.seen:
                self.seen.remove(m)
            self.seen.append(m)

    def recent_other(self, than: set[str]) -> str | None:
        return next((m for m in reversed(self.seen) if m not in than), None)


def _sets(criterion: Criterion) -> tuple[PatternSet, PatternSet, PatternSet]:
    return per_criterion("models", criterion, lambda: _make_sets(criterion))


def _make_sets(criterion: Criterion) -> tuple[PatternSet, PatternSet, PatternSet]:
    models = PatternSet((e.id, e.patterns) for e in criterion.elements)
    aspects = PatternSet((name, cues.patterns) for name, cues in criterion.aspects.items()
                         if cues.patterns)
    comparing = PatternSet([("compare", criterion.comparison.patterns)]
                           if criterion.comparison else [])
    return models, aspects, comparing


def _clean(text: str) -> str:
    return " ".join(_LABEL_CLEAN.sub(" ", text.lower()).split())


def label_aspects(criterion: Criterion, text: str) -> set[str]:
    """Aspects a heading, label or column header names: "Cons" -> limitation."""
    words = _clean(text)
    found = set()
    for name, cues in criterion.aspects.items():
        for label in cues.labels:
            if words == label or words.startswith(label + " ") or words.endswith(" " + label) \
                    or (f" {label} " in f" {words} " and len(words.split()) <= 6):
                found.add(name)
                break
    both = {criterion.aspect("strength"), criterion.aspect("setting")}  # "Pros for my setting"
    return found if len(found) == 1 or found == both else set()


def _open_names(criterion: Criterion, text: str) -> list[tuple[str, str]]:
    """(id, name) of models named in the text that no element's patterns know."""
    spec = criterion.open_models
    if spec is None:
        return []
    heads = "|".join(re.escape(h) for h in spec.heads)
    out = []
    rx = re.compile(rf"\b((?:[A-Z][\w'’-]*|[a-z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){{0,2}})\s+"
                    rf"(?:{heads})s?\b|\b([A-Z]{{3,6}})\b(?=\s*(?:\(|model|approach|:|–|-|is|was))")
    for m in rx.finditer(text):
        words = (m.group(1) or m.group(2) or "").split()
        while words and words[0].lower() in spec.not_names:
            words.pop(0)  # "The Lantern model" -> "Lantern"
        if not words or not (words[0][0].isupper()):
            continue
        if m.group(1):
            head = m.group(0).split()[-1].rstrip("s").lower()
            name = " ".join([*words, head])
        else:
            name = words[0]
            if len(name) <= 2:
                continue
        out.append((f"other:{name.lower()}", name))
    return out


def _named(criterion: Criterion, doc: Doc, text: str) -> tuple[list[str], dict[str, str]]:
    models, _, _ = _sets(criterion)
    named = []
    for m in models(doc):
        if not wrong_sense(m) and m.key not in named:
            named.append(m.key)
    extra: dict[str, str] = {}
    if not named:
        for oid, name in _open_names(criterion, text):
            if oid not in named:
                named.append(oid)
                extra[oid] = name
    return named, extra


def _anaphora(criterion: Criterion, text: str, talk: _Discourse) -> list[str]:
    if criterion.comparison is None:
        return []
    low = f" {_clean(text)} "
    found: list[str] = []
    for kind, phrases in criterion.comparison.anaphora.items():
        if not any(f" {p} " in low for p in phrases):
            continue
        if kind == "latter" and talk.seen:
            found.append(talk.seen[-1])
        elif kind == "former" and len(talk.seen) >= 2:
            found.append(talk.seen[-2])
        elif kind == "both" and len(talk.seen) >= 2:
            found.extend(talk.seen[-2:])
    return list(dict.fromkeys(found))


_FEW = {"little", "few", "no", "limited", "less", "fewer"}
_NAMED_ASPECT = {"benefit", "drawback"}  # pattern ids of nouns that name the aspect
_SOLVING = {"resolve", "solve", "address", "reduce", "prevent", "avoid", "tackle", "fix",
            "overcome", "handle", "bridge", "manage", "ease", "lower", "remove"}
_MODEL_WORDS = {"model", "approach", "framework", "method", "type", "one", "kind", "way"}


def _loose_both(tok: Token) -> bool:
    """ "both parties", "both sides": a determiner of something other than the models."""
    return tok.lower_ == "both" and tok.dep_ in ("det", "predet") and \
        tok.head._.lem not in _MODEL_WORDS


def _wording_aspects(criterion: Criterion, doc: Doc, setting_words: set[str]) -> set[str]:
    """Aspects from the sentence's wording; a negated or belittled strength is a limitation,
    and a sentence that opens on a contrast ("However, ...") is not also a strength."""
    _, aspects, _ = _sets(criterion)
    strength, limitation, setting = (criterion.aspect(role)
                                     for role in ("strength", "limitation", "setting"))
    found: set[str] = set()
    contrast = False
    for m in aspects(doc):
        if wrong_sense(m):
            continue
        if m.key == limitation and m.pattern.id == "trouble" and \
                m.span[0].head._.lem in _SOLVING:
            continue  # "good for resolving immediate issues" is no limitation
        neg = any(negated(h) for h in chain(m.span[0])) or any(
            c.lower_ in _FEW for t in m.span for c in t.children if c.dep_ in ("amod", "det"))
        if m.key == strength and neg and limitation:
            found.add(limitation)
        elif m.key == limitation and neg and m.pattern.id in ("hard", "drawback"):
            continue
        else:
            found.add(m.key)
            contrast = contrast or (m.key == limitation and m.pattern.id == "however"
                                    and m.span.start <= 2)
    if contrast:
        found.discard(strength)
    # "The drawback is ..." / "The main benefit is ...": a named aspect outweighs a stray
    # "good" or "helps" in the same sentence
    named = {m.key for m in aspects(doc) if m.pattern.id in _NAMED_ASPECT}
    if named & {strength, limitation} and len(named & {strength, limitation}) == 1:
        found -= {strength, limitation} - named
    lows = {t.lower_ for t in doc}
    names = frozenset(setting_words)
    if setting and (any(is_name(t, names) for t in doc)
                    or {w for w in names if len(w) > 1} & lows):
        found.add(setting)  # her workplace or her mentee ("for D I would use ...")
    return found


def _setting_words(learner: Learner | None) -> set[str]:
    """Her employer's distinctive words and her mentees' names: links to her own setting."""
    if learner is None:
        return set()
    words = set()
    for text in (learner.employer or "", *learner.mentees):
        words |= {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", text)
                  if (len(w) >= 3 or (len(w) == 1 and text in learner.mentees))
                  and w.lower() not in _STOP}
    return words - {"mentee"}


def _block_aspects(criterion: Criterion, block: Block) -> set[str]:
    """Aspects from the block's own label, its column, else the nearest heading that has one."""
    for text in (getattr(block, "label", None), getattr(block, "header", None)):
        if text and (found := label_aspects(criterion, text)):
            return found
    for text in reversed(getattr(block, "context", ()) or ()):
        if found := label_aspects(criterion, text):
            return found
    return set()


def _context_models(criterion: Criterion, blocks: list[Block]) -> dict[str, str]:
    """The one model each heading/list/row context string names (if it names one)."""
    texts = list(dict.fromkeys(t for b in blocks for t in getattr(b, "context", ()) or ()))
    found = {}
    for text, doc in zip(texts, parse(texts), strict=True):
        named, _ = _named(criterion, doc, text)
        if len(named) == 1:
            found[text] = named[0]
    return found


def _context_model(block: Block, models: dict[str, str]) -> str | None:
    for text in reversed(getattr(block, "context", ()) or ()):
        if text in models:
            return models[text]
    return None


def map_models(cmap: CriterionMap, notes: list[Note], learner: Learner | None) -> None:
    crit = cmap.criterion
    _, _, comparing = _sets(crit)
    setting_words = _setting_words(learner)
    # the aspects in the order the criteria data lists them; a sentence about a model that
    # names none of them tells how the model works, the first aspect listed ("how")
    order = tuple(crit.aspects)
    for note in notes:
        talk = _Discourse()
        hits: list[Hit] = []
        extra: dict[str, str] = {}
        carry: str | None = None
        tables: dict[int, dict[int, str]] = defaultdict(dict)
        blocks = list(note.blocks)
        # a block's own text names models only in headings and in a table's first column;
        # every other block is read through its sentences
        own = [b for b in blocks if b.kind == "heading" or getattr(b, "column", None) == 0]
        own_docs = dict(zip((id(b) for b in own), parse(b.text for b in own), strict=True))
        sentence_docs = iter(parse(s.text for b in blocks if b.kind != "heading"
                                   for s in b.sentences))
        context_models = _context_models(crit, blocks)
        for block in blocks:
            if block.kind == "heading":
                named, more = _named(crit, own_docs[id(block)], block.text)
                extra.update(more)
                talk.mention(named)
                if named or not label_aspects(crit, block.text):
                    # "Where it falls short:" stays with the model above it
                    carry = named[0] if len(named) == 1 else None
                continue
            base = _context_model(block, context_models)
            table = getattr(block, "table", None)
            if table is not None and block.row is not None and block.column == 0:
                named, more = _named(crit, own_docs[id(block)], block.text)
                if len(named) == 1:
                    tables[table][block.row] = named[0]
            label_aspect = _block_aspects(crit, block)
            for sentence in block.sentences:
                doc = next(sentence_docs)
                named, more = _named(crit, doc, sentence.text)
                extra.update(more)
                back = [] if any(_loose_both(t) for t in doc) else \
                    _anaphora(crit, sentence.text, talk)
                subjects = named or back or ([base] if base else []) or (
                    [carry] if carry else [])
                cues = {m.pattern.id for m in comparing(doc)
                        if not wrong_sense(m) and not _loose_both(m.span[0])}
                related = list(dict.fromkeys([*named, *back]))
                if cues & _STRONG_CUES and len(related) < 2:
                    context_model = base or carry
                    other = context_model if context_model not in related else None
                    other = other or talk.recent_other(set(related))
                    if other:
                        related.append(other)
                if cues and len(related) >= 2:
                    cmap.comparisons.append(Comparison(
                        note, sentence.line, sentence.text, tuple(related),
                        "compare/" + "+".join(sorted(cues))))
                talk.mention([*back, *named])
                if len(named) == 1:
                    carry = named[0]
                elif base:
                    carry = carry or base
                if not subjects:
                    continue
                aspects = set(label_aspect) | _wording_aspects(crit, doc, setting_words)
                if not aspects and order:
                    aspects = {order[0]}
                rule = "label" if label_aspect else "wording"
                for element in dict.fromkeys(subjects):
                    hits.append(Hit(element, note, sentence.line, sentence.text,
                                    tuple(a for a in order if a in aspects), rule))
        for rows in tables.values():
            models = list(dict.fromkeys(rows.values()))
            if len(models) >= 2:
                first = next(b for b in blocks if getattr(b, "table", None) is not None)
                cmap.comparisons.append(Comparison(
                    note, first.line, "Comparison table: " + ", ".join(
                        cmap.element(m).name if not m.startswith("other:") else extra.get(m, m)
                        for m in models), tuple(models), "compare/table"))
        _keep_described(cmap, note, hits, extra)


def _keep_described(cmap: CriterionMap, note: Note, hits: list, extra: dict[str, str]) -> None:
    """Unlisted models count when at least ``min_sentences`` sentences are about them."""
    spec = cmap.criterion.open_models
    need = spec.min_sentences if spec else 1
    counts: dict[str, int] = defaultdict(int)
    for h in hits:
        counts[h.element] += 1
    for h in hits:
        if h.element.startswith("other:") and counts[h.element] < need:
            continue
        if h.element.startswith("other:"):
            cmap.unlisted[h.element] = extra.get(h.element, h.element[6:])
        cmap.hits.append(h)
    cmap.comparisons[:] = [c for c in cmap.comparisons if c.note is not note or all(
        not e.startswith("other:") or counts[e] >= need for e in c.elements)]
