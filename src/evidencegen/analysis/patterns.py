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


def token_spec(word: str) -> dict[str, Any]:
    """One word of a pattern as a Matcher token dict."""
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
        spec["_"] = {"lem": {"REGEX": f"^(?:{alternation})"}}
    else:
        spec["_"] = {"forms": {"INTERSECTS": options}}
    return spec


def compile_pattern(pattern: Pattern) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one pattern; " | " (with spaces) separates whole alternatives."""
    out = []
    for alternative in pattern.match.split(" | "):
        words = alternative.replace("...", " ... ").split()
        if not words or words[0] == "...":
            raise CriteriaError(f"pattern '{pattern.id}' has an empty or gap-first alternative")
        out.append([token_spec(w) for w in words])
    return out


class PatternSet:
    """Named groups of patterns (an element's, an aspect's) in one Matcher."""

    def __init__(self, groups: Iterable[tuple[str, Sequence[Pattern]]]) -> None:
        from spacy.matcher import Matcher

        from evidencegen.analysis.nlp import load

        self._matcher: Matcher = Matcher(load().vocab)
        self._patterns: dict[str, tuple[str, Pattern]] = {}
        for key, patterns in groups:
            for pattern in patterns:
                name = f"{key}/{pattern.id}"
                if name in self._patterns:
                    raise CriteriaError(f"two patterns are called '{name}'")
                self._patterns[name] = (key, pattern)
                self._matcher.add(name, compile_pattern(pattern))

    def __call__(self, doc: Doc) -> list[Match]:
        """Longest non-overlapping match per group, in sentence order."""
        found: list[Match] = []
        lemmas = {t._.lem for t in doc} | {t.lower_ for t in doc}
        for match_id, start, end in self._matcher(doc):
            key, pattern = self._patterns[doc.vocab.strings[match_id]]
            if pattern.near and not lemmas & set(pattern.near):
                found.append(Match(key, pattern.model_copy(update={"id": "~" + pattern.id}),
                                   doc[start:end]))
                continue
            if lemmas & set(pattern.not_near):
                found.append(Match(key, pattern.model_copy(update={"id": "~" + pattern.id}),
                                   doc[start:end]))
                continue
            found.append(Match(key, pattern, doc[start:end]))
        found.sort(key=lambda m: (m.span.start, -(m.span.end - m.span.start)))
        kept: list[Match] = []
        for m in found:
            if any(k.key == m.key and k.span.start <= m.span.start < k.span.end for k in kept):
                continue
            kept.append(m)
        return kept


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
