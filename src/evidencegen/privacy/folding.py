"""Text as the guard compares it: NFKC, one kind of space and apostrophe, offsets kept.

Names and numbers are found in the folded text, then their places are mapped back to the
original, so what is redacted is exactly what the learner wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_FOLD = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
    # invisible characters that split a word without showing
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}


@dataclass(frozen=True)
class Folded:
    """``text`` folded; ``starts[i]``/``ends[i]`` give the original span of its i-th char."""

    text: str
    starts: tuple[int, ...] | None  # None: the folded text is the original (plain ASCII)
    ends: tuple[int, ...] | None

    def original(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _fold_char(c: str) -> str:
    if c in _FOLD:
        return _FOLD[c]
    if c != "\n" and c.isspace():
        return " "  # NBSP, thin space, tab, line separator...
    return c


def fold(text: str) -> Folded:
    """NFKC per character (with its combining marks), spaces and apostrophes made plain."""
    if text.isascii() and "`" not in text and "\t" not in text:
        return Folded(text, None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        group = unicodedata.normalize("NFKC", text[i:j])
        for c in "".join(_fold_char(c) for c in group):
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    return Folded("".join(out), tuple(starts), tuple(ends))
