"""Sentences and word counts of a learner's own wording.

The judgement of what a sentence shows is made on its parse (evidencegen.analysis); this
module only splits text into sentences, keeping each one's offset so that every quote can
cite its line, and counts words the way a word processor does.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_ABBREVIATIONS = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "vs", "approx", "no", "st", "cf"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split plain text into sentences; return (offset in text, sentence) pairs."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        # only the last word matters: a window keeps this linear when ends are skipped
        before = text[max(start, m.start() - 64) : m.start()].rsplit(None, 1)
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


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def plural(count: int, singular: str, plural_form: str | None = None, *,
           words: bool = False) -> str:
    """"1 sentence", "2 sentences", "0 pieces of evidence": every count in a message goes
    through here, so no message says "1 sentences". ``plural_form`` for irregular words
    ("piece of evidence", "pieces of evidence"); ``words`` writes 0-9 as words ("one
    dated session")."""
    if plural_form is None:
        plural_form = singular + ("es" if singular.endswith(("s", "sh", "ch", "x")) else "s")
    number = _NUMBER_WORDS[count] if words and 0 <= count < len(_NUMBER_WORDS) else f"{count:,}"
    return f"{number} {singular if count == 1 else plural_form}"


def threshold(minimum: int, maximum: int | None) -> str:
    """What a rule asks for, in words that match its numbers: a maximum of 0 is "none",
    another maximum "at most N", else "at least N"."""
    if maximum == 0:
        return "none"
    if maximum is not None:
        return f"at most {maximum}"
    return f"at least {minimum}"


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one typing slip: a letter changed, added, dropped,
    or two neighbours swapped ("nmae" for "name")."""
    a, b = a.casefold(), b.casefold()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
