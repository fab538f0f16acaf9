"""Patterns from the criteria data, compiled once into spaCy Matchers over lemmas.

Every match keeps the id of the pattern that fired ("active_listening/open_question"), so
an explanation is that id plus the words it matched, never a re-derivation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from evidencegen.criteria import Pattern
from evidencegen.errors import CriteriaError

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span

_POS = re.compile(r"@([A-Z|]+)$")
T = TypeVar("T")
# spaCy lemmatises object pronouns to the subject form: "us" -> "we"; a pattern may use either
_PRONOUN_LEMMAS = {"us": "we", "me": "i", "him": "he", "them": "they", "her": "she",
                   "myself": "i", "ourselves": "we"}


@dataclass(frozen=True)
class Match:
    key: str  # the owner of the pattern: an element id or an aspect name
    pattern: Pattern
    span: Span

    @property
    def rule(self) -> str:
        return f"{self.key}/{self.pattern.id}"


def token_spec(word: str, attr: str = "NORM") -> dict[str, Any]:
    """One word of a pattern as a Matcher token dict, on ``attr``.

    NORM holds the lower-case lemma (nlp.py puts it there), so the Matcher compares native
    attributes, which is fast; LOWER is the word as written, for the few words the
    lemmatiser gets wrong ("hoped" -> "hop") that a pattern lists in their written form.
    """
    spec: dict[str, Any] = {}
    if word == "...":
        return {"OP": "{0,4}"}
    if word.endswith("?") and len(word) > 1:
        spec["OP"] = "?"
        word = word[:-1]
    if m := _POS.search(word):
        tags = m.group(1).split("|")
        spec["POS"] = {"IN": tags} if len(tags) > 1 else tags[0]
        word = word[: m.start()]
    if "@" in word or ("=" in word[1:]):
        raise CriteriaError(f"pattern word '{word}': a part of speech (@VERB) goes once at the "
                            "end of the word, and = once at its start")
    if not word or word == "*":
        return spec
    if word.startswith("="):
        options = word[1:].split("|")
        spec["ORTH"] = {"IN": options} if len(options) > 1 else options[0]
        return spec
    options = word.lower().split("|")
    options += [_PRONOUN_LEMMAS[o] for o in options if o in _PRONOUN_LEMMAS]
    if any(o.endswith("*") for o in options):
        alternation = "|".join(re.escape(o.rstrip("*")) + ("" if o.endswith("*") else "$")
                               for o in options)
        spec[attr] = {"REGEX": f"^(?:{alternation})"}
    else:
        spec[attr] = {"IN": options}
    return spec


def _alternatives(pattern: Pattern) -> list[list[str]]:
    out = []
    for alternative in pattern.match.split(" | "):
        words = alternative.replace("...", " ... ").split()
        if not words or words[0] == "...":
            raise CriteriaError(f"pattern '{pattern.id}' has an empty or gap-first alternative")
        out.append(words)
    return out


def _plain_options(words: list[str]) -> set[str]:
    found = set()
    for word in words:
        word = _POS.sub("", word.rstrip("?"))
        if word.startswith("=") or "*" in word:
            continue
        found |= {o for o in word.lower().split("|") if o.isalpha()}
    return found


def compile_pattern(pattern: Pattern,
                    inflected: frozenset[str] = frozenset()) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one pattern; " | " (with spaces) separates whole alternatives.

    Each alternative is matched on lemmas; one that lists a written form the lemmatiser
    does not give back as itself (``inflected``: "hoped") is also matched on the words.
    """
    out = []
    for words in _alternatives(pattern):
        out.append([token_spec(w, "NORM") for w in words])
        if _plain_options(words) & inflected:
            out.append([token_spec(w, "LOWER") for w in words])
    return out


def _inflected(words: set[str]) -> frozenset[str]:
    """The pattern words that are not their own lemma ("hoped", "wanted", "led")."""
    from evidencegen.analysis.nlp import load

    ordered = sorted(words)
    docs = load().pipe(ordered)
    return frozenset(w for w, d in zip(ordered, docs, strict=True)
                     if len(d) == 1 and d[0].lemma_.lower() != w)


class PatternSet:
    """Named groups of patterns (an element's, an aspect's), compiled to spaCy Matchers.

    Patterns are bucketed by the words their first token can be, and a sentence runs only
    the buckets whose words it contains (plus those that can start anywhere): the same
    matches as one Matcher, without testing every pattern at every word.
    """

    def __init__(self, groups: Iterable[tuple[str, Sequence[Pattern]]]) -> None:
        from spacy.matcher import Matcher

        from evidencegen.analysis.nlp import load

        vocab = load().vocab
        self._patterns: dict[str, tuple[str, Pattern]] = {}
        for key, patterns in groups:
            for pattern in patterns:
                name = f"{key}/{pattern.id}"
                if name in self._patterns:
                    raise CriteriaError(f"two patterns are called '{name}'")
                self._patterns[name] = (key, pattern)
        words = {w for _, p in self._patterns.values() for alt in _alternatives(p)
                 for w in _plain_options(alt)}
        inflected = _inflected(words)
        self._buckets: dict[frozenset[str] | None, Matcher] = {}
        self._index: dict[str, set[frozenset[str]]] = {}
        for name, (_, pattern) in self._patterns.items():
            for spec in compile_pattern(pattern, inflected):
                first = _first_words(spec)
                matcher = self._buckets.get(first)
                if matcher is None:
                    matcher = self._buckets[first] = Matcher(vocab)
                    if first is not None:
                        for word in first:
                            self._index.setdefault(word, set()).add(first)
                matcher.add(name, [spec])

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        present = {t.norm_ for t in doc} | {t.lower_ for t in doc} | {t.text for t in doc}
        chosen: set[frozenset[str] | None] = {None} if None in self._buckets else set()
        for word in present:
            chosen |= self._index.get(word, set())
        found: set[tuple[int, int, int]] = set()
        for first in chosen:
            found.update(self._buckets[first](doc))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))

    def __call__(self, doc: Doc, context: frozenset[str] = frozenset()) -> list[Match]:
        """Longest non-overlapping match per group, in sentence order.

        ``context``: the lemmas of the paragraph the sentence sits in, for ``context_near``.
        """
        found: list[Match] = []
        lemmas = {t._.lem for t in doc} | {t.lower_ for t in doc}
        for match_id, start, end in self._matches(doc):
            key, pattern = self._patterns[doc.vocab.strings[match_id]]
            if pattern.near and not lemmas & set(pattern.near):
                found.append(Match(key, pattern.model_copy(update={"id": "~" + pattern.id}),
                                   doc[start:end]))
                continue
            if pattern.context_near and not (lemmas | context) & set(pattern.context_near):
                found.append(Match(key, pattern.model_copy(update={"id": "~" + pattern.id}),
                                   doc[start:end]))
                continue
            if lemmas & set(pattern.not_near):
                found.append(Match(key, pattern.model_copy(update={"id": "~" + pattern.id}),
                                   doc[start:end]))
                continue
            found.append(Match(key, pattern, doc[start:end]))
        # a match in the right sense is kept before one whose sense guard failed, so a
        # failed guard never hides a good match of the same element
        found.sort(key=lambda m: (wrong_sense(m), m.span.start, -(m.span.end - m.span.start)))
        kept: list[Match] = []
        for m in found:
            if any(k.key == m.key and (k.span.start <= m.span.start < k.span.end
                                       or m.span.start <= k.span.start < m.span.end)
                   for k in kept):
                continue
            kept.append(m)
        return sorted(kept, key=lambda m: (m.span.start, -(m.span.end - m.span.start)))


def _first_words(spec: list[dict[str, Any]]) -> frozenset[str] | None:
    """The words the pattern's first token can be, or None when it can be any word."""
    first = spec[0]
    if first.get("OP") in ("?", "*", "{0,4}"):
        return None
    for attr in ("NORM", "LOWER", "ORTH"):
        value = first.get(attr)
        if isinstance(value, str):
            return frozenset([value])
        if isinstance(value, dict) and "IN" in value:
            return frozenset(value["IN"])
    return None


_BY_OBJECT: dict[tuple[str, int], tuple[object, object]] = {}


def per_criterion(kind: str, owner: object, make: Callable[[], T]) -> T:
    """One compiled value per criterion object and kind, for the life of the process.

    Criteria are frozen and cached by file (criteria.py), so their identity is stable; the
    owner is kept beside the value so a recycled id can never return another's matcher.
    """
    key = (kind, id(owner))
    hit = _BY_OBJECT.get(key)
    if hit is not None and hit[0] is owner:
        return hit[1]  # type: ignore[return-value]
    value = make()
    _BY_OBJECT[key] = (owner, value)
    return value


def wrong_sense(match: Match) -> bool:
    """A match whose sense guard failed (marked with ~ by PatternSet)."""
    return match.pattern.id.startswith("~")
