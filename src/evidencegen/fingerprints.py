"""Copied text: fingerprints of published study notes, and the sentences that match them.

A source is kept only as hashes of its overlapping 8-word runs, never as sentences, so the
project can ship fingerprints of published pages without copying them. A sentence of the
learner's that shares an 8-word run with a source is flagged with that source's title; a
paraphrase rarely shares 8 words in a row and is not flagged.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evidencegen.errors import CriteriaError
from evidencegen.resources import packaged_dir

RUN = 8
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return _WORDS.findall(text)


def _hash(run: list[str]) -> str:
    return hashlib.blake2b(" ".join(run).encode(), digest_size=8).hexdigest()


def runs(text: str) -> set[str]:
    w = words(text)
    return {_hash(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


@dataclass(frozen=True)
class Source:
    title: str
    hashes: frozenset[str]


def make_source(text: str, title: str) -> dict[str, object]:
    return {"title": title, "run": RUN, "hashes": sorted(runs(text))}


def load_file(path: Path) -> list[Source]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Source(s["title"], frozenset(s["hashes"])) for s in data["sources"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CriteriaError(f"not a fingerprints file ({type(exc).__name__}: {exc})",
                            path) from None


def add_to_file(path: Path, text: str, title: str) -> int:
    """Add (or replace, by title) one source's fingerprints; return how many runs it has."""
    data: dict[str, list[dict[str, object]]] = {"sources": []}
    if path.exists():
        load_file(path)  # refuse to extend something that is not ours
        data = json.loads(path.read_text(encoding="utf-8"))
    source = make_source(text, title)
    data["sources"] = [s for s in data["sources"] if s["title"] != title] + [source]
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return len(source["hashes"])  # type: ignore[arg-type]


@cache
def shipped() -> tuple[Source, ...]:
    folder = packaged_dir("criteria") / "fingerprints"
    return tuple(s for p in sorted(folder.glob("*.json")) for s in load_file(p))


def copied_from(sentence_runs: set[str], sources: tuple[Source, ...]) -> str | None:
    for source in sources:
        if sentence_runs & source.hashes:
            return source.title
    return None
