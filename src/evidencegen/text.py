"""Sentences, words and phrase matching on a learner's own wording.

Phrases from the criteria data are matched on word stems (Snowball's English stemmer), so
"listened" and "listening" both match "listen"; a trailing * matches a word prefix; "=word"
matches that exact word only; "..." allows a short gap. A match inside a negated clause
("I did not give feedback") does not count: learners often write what they have not done
yet, and that is not evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:()\u2013\u2014]|(?<=\s)-(?=\s)")
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_ABBREVIATIONS = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "vs", "approx", "no", "st", "cf"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")

GAP = 4  # words a "..." in a phrase may skip
_NEGATORS = {"not", "no", "never", "without", "nor", "neither", "nobody", "nothing", "cannot"}
_NEGATING_PAIRS = {("yet", "to"), ("failed", "to"), ("forgot", "to"), ("unable", "to"),
                   ("instead", "of"), ("rather", "than"), ("too", "busy")}
_CLAUSE_BREAKS = {",", ";", ":", "(", ")", "\u2013", "\u2014", "-", "but", "and", "although",
                  "though", "however", "so", "because", "while", "whereas", "then", "which",
                  "when", "until", "after", "before", "instead"}
_BE_HAVE = {"was", "were", "is", "are", "has", "have", "had", "been", "be", "did", "does", "do"}
_NEG_WINDOW = 6


def stem(word: str) -> str:
    return _stem_cached(word.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def _stem_cached(word: str) -> str:
    return _STEMMER.stemWord(word)


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower case
    stem: str


def tokens(text: str) -> tuple[Token, ...]:
    """Lower-cased words (with their stems) and clause-breaking punctuation, in order."""
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    return tuple(Token(t, stem(t) if t[0].isalnum() else t) for t in _TOKEN_RE.findall(lowered))


def is_negator(tok: str) -> bool:
    return tok in _NEGATORS or tok.endswith("n't")


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split plain text into sentences; return (offset in text, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()].rsplit(None, 1)
        last_word = before[-1].lower().rstrip(".") if before else ""
        nxt = text[m.end() : m.end() + 1]
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(*_"):
            continue
        _append(out, text, start, m.end())
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[tuple[int, str]], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        out.append((start + (len(chunk) - len(chunk.lstrip())), " ".join(stripped.split())))


@dataclass(frozen=True)
class Phrase:
    """A compiled phrase: a sequence of ("stem"|"exact"|"prefix"|"gap", value) parts."""

    source: str
    parts: tuple[tuple[str, str], ...]


@lru_cache(maxsize=4096)
def compile_phrase(phrase: str) -> Phrase:
    parts: list[tuple[str, str]] = []
    for raw in phrase.lower().replace("...", " ... ").split():
        if raw == "...":
            parts.append(("gap", ""))
            continue
        if raw.startswith("="):
            parts.extend(("exact", w) for w in _TOKEN_RE.findall(raw[1:]) if w[0].isalnum())
            continue
        prefix = raw.endswith("*")
        for piece in _TOKEN_RE.findall(raw.rstrip("*")):
            if not piece[0].isalnum():
                continue
            parts.append(("stem", stem(piece)))
        if prefix and parts and parts[-1][0] == "stem":
            parts[-1] = ("prefix", raw.rstrip("*").split("-")[-1])
    return Phrase(phrase, tuple(parts))


def _part_matches(part: tuple[str, str], tok: Token) -> bool:
    kind, value = part
    if kind == "stem":
        return tok.stem == value
    if kind == "exact":
        return tok.text == value
    return tok.text.startswith(value)


def _match_from(parts: tuple[tuple[str, str], ...], toks: tuple[Token, ...], i: int) -> int:
    """Index after the match of ``parts`` starting exactly at ``i``, or -1."""
    if not parts:
        return i
    head, rest = parts[0], parts[1:]
    if head[0] == "gap":
        for skip in range(GAP + 1):
            end = _match_from(rest, toks, i + skip)
            if end >= 0:
                return end
        return -1
    if i < len(toks) and _part_matches(head, toks[i]):
        return _match_from(rest, toks, i + 1)
    return -1


def find(phrase: Phrase, toks: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Every (start, end) token span where the phrase occurs."""
    spans = []
    for i in range(len(toks)):
        end = _match_from(phrase.parts, toks, i)
        if end > i:
            spans.append((i, end))
    return spans


def negated(toks: tuple[Token, ...], start: int, end: int) -> bool:
    """True when the span sits in a negated clause: "did not listen", "feedback was not given"."""
    for j in range(start - 1, max(-1, start - 1 - _NEG_WINDOW), -1):
        t = toks[j].text
        if t in _CLAUSE_BREAKS:
            break
        if is_negator(t):
            return True
        if j + 1 < start and (t, toks[j + 1].text) in _NEGATING_PAIRS:
            return True
    after = [t.text for t in toks[end : end + 3]]
    for k, t in enumerate(after):
        if t in _CLAUSE_BREAKS:
            break
        if is_negator(t) and (k == 0 or after[k - 1] in _BE_HAVE or t.endswith("n't")):
            return True
    return False


def first_positive(phrases: list[Phrase], toks: tuple[Token, ...]) -> Phrase | None:
    """The first phrase with a match that is not negated, or None."""
    for phrase in phrases:
        for start, end in find(phrase, toks):
            if not negated(toks, start, end):
                return phrase
    return None


def mentions(phrases: list[Phrase], toks: tuple[Token, ...]) -> bool:
    """Any match at all, negated or not (for cue words such as "however")."""
    return any(find(p, toks) for p in phrases)
