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
