"""Listed names found as people write them: in full, by title and surname, by first name,
by initials, split over a line, in any case; and names that are also words only as names.

A learner lists "Margaret Hughes: Mrs H". The note says "Mrs Hughes", "Margaret", "M.
Hughes", "Hughes's" or "MARGARET HUGHES": each is a place where she is named. A name that
is also an ordinary word (May, Hope, Will) is replaced only where it is used as a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from evidencegen.privacy.folding import fold

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Doctor", "Nurse", "Sister", "Matron",
          "Prof", "Professor", "Rev", "Revd", "Father", "Sir", "Dame", "Lady", "Lord",
          "Auntie", "Aunty", "Aunt", "Uncle", "Nan", "Nana", "Nanna", "Grandma", "Grandad",
          "Granny", "Grandpa", "Master")
TITLE = r"(?i:" + "|".join(TITLES) + r")\.?"
SEP = r"[ \n]+"  # folded text has only spaces and line breaks between words
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"}
_DATE_WORDS = {"in", "on", "of", "during", "since", "until", "till", "last", "next", "this",
               "early", "late", "mid", "by", "from", "before", "after", "end", "start",
               "beginning", "middle", "every", "each", "through", "throughout"}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]['\")\]]*\s+|\n)[\s>*_#\-+\d.)(\"'\[]*$")


@dataclass(frozen=True)
class Vocabulary:
    """Words the guard needs (criteria/privacy/words.yaml), casefolded."""

    authors: frozenset[str]
    ordinary: frozenset[str]
    places: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    from evidencegen.errors import CriteriaError
    from evidencegen.resources import packaged_dir
    from evidencegen.yamlio import load_yaml

    path = packaged_dir("criteria") / "privacy" / "words.yaml"
    data, _ = load_yaml(path.read_text(encoding="utf-8"), path, CriteriaError)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in data.get(key) or ())

    return Vocabulary(words("authors"), words("ordinary"), words("places"))


@dataclass(frozen=True)
class Form:
    """One way of writing a name: its pattern, what replaces it, and whether it is "weak"
    (an ordinary word that is a name only where it is used as one)."""

    pattern: re.Pattern[str]
    replacement: str
    kind: str
    weak: bool


def _token(word: str, exact: bool) -> str:
    """A word of a name: any case, or (an ordinary word) capitalised or in capitals."""
    escaped = re.escape(word)
    if not exact:
        return f"(?i:{escaped})"
    upper = re.escape(word.upper())
    return f"(?:{escaped}|{upper})" if upper != escaped else escaped


def _weak(word: str, ordinary: frozenset[str]) -> bool:
    return word.casefold() in ordinary or len(word) <= 2


def forms(real: str, replacement: str, kind: str, ordinary: frozenset[str],
          exact: bool = False, keep: frozenset[str] = frozenset()) -> list[Form]:
    """Every way of writing ``real`` worth looking for, longest first.

    ``exact`` (names found by the language model): every word must be capitalised as found.
    A word in ``keep`` is not looked for on its own (a stranger who shares the learner's
    first name does not take the learner's name out of her notes).
    """
    words = fold(" ".join(real.split())).text.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in {t.casefold() for t in TITLES}:
        words = words[1:]
    if not words:
        return []
    weak = {w: exact or _weak(w, ordinary) for w in words}

    def tok(w: str) -> str:
        return _token(w, weak[w])

    first, last = words[0], words[-1]
    found: list[tuple[str, bool]] = []
    if len(words) > 1:
        all_weak = all(_weak(w, ordinary) for w in words)
        found.append((SEP.join(tok(w) for w in words), all_weak))
        if len(words) > 2:
            found.append((SEP.join((tok(first), tok(last))), all_weak))
        found.append((f"{tok(last)},{SEP}{tok(first)}", False))
        found.append((f"{TITLE}{SEP}(?:{tok(first)}{SEP})?{tok(last)}", False))
        initial = re.escape(first[0].upper())
        found.append((rf"{initial}(?:\.|\.?{SEP})(?:[A-Z](?:\.|\.?{SEP}))?{tok(last)}", False))
        if last.casefold() not in keep:
            found.append((tok(last), _weak(last, ordinary)))
    else:
        found.append((f"{TITLE}{SEP}{tok(first)}", False))
    if first.casefold() not in keep:
        found.append((tok(first), _weak(first, ordinary)))
    return [Form(re.compile(rf"(?<![\w'-]){p}(?![\w]|-\w)"), replacement, kind, w)
            for p, w in found]


def used_as_name(text: str, start: int, end: int, person_words: frozenset[str],
                 places: frozenset[str]) -> bool:
    """Whether an ordinary word at text[start:end] (already capitalised) is used as a name.

    Not a month in a date ("in May", "3 May"), not the first word of a place ("Rose
    Cottage"); as the first word of a sentence ("May I ask", "Hope is..."), only when the
    language model took it for a person in this text, or it is possessive ("Rose's").
    """
    word = text[start:end]
    before = text[max(0, start - 40):start]
    after = text[end:end + 40]
    prev = re.findall(r"[\w']+", before)
    if word.casefold() in MONTHS and (
            re.match(r"\s*,?\s*\d", after) or (prev and (prev[-1].casefold() in _DATE_WORDS
                                                         or prev[-1][0].isdigit()))):
        return False
    following = re.match(r"\s+([A-Z][\w'-]*)", after)
    if following and following.group(1).casefold() in places:
        return False
    if after.startswith("'s") or after.startswith("' "):
        return True
    if _SENTENCE_START.search(before) or not before.strip():
        return word.casefold() in person_words
    return True


def _place(text: str, start: int, end: int, places: frozenset[str]) -> bool:
    """A name the model found, written here as a place: "Beech ward", "on Rowan"."""
    following = re.match(r"\s+([A-Za-z]+)", text[end:end + 30])
    if following and following.group(1).casefold() in places | {"wing", "unit", "floor"}:
        return True
    return bool(re.search(r"\b(?:on|onto|at)\s+$", text[max(0, start - 8):start]))


def name_spans(text: str, entries: Iterable[Form], person_words: frozenset[str],
               places: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, replacement) for every place a name is written in folded text."""
    spans = []
    for form in entries:
        for m in form.pattern.finditer(text):
            if form.weak and not used_as_name(text, m.start(), m.end(), person_words, places):
                continue
            if form.kind == "person" and _place(text, m.start(), m.end(), places):
                continue
            spans.append((m.start(), m.end(), form.kind, form.replacement))
    return spans
