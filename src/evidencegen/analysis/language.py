"""The clause lexicons (criteria/language/en.yaml) as typed, frozen data, loaded once."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from evidencegen.errors import CriteriaError
from evidencegen.resources import packaged_dir
from evidencegen.schema import validate
from evidencegen.yamlio import load_yaml


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actors(_Frozen):
    self: frozenset[str]
    mentee_nouns: frozenset[str]
    learner_nouns: frozenset[str]
    others: frozenset[str]
    generic: frozenset[str]
    essay: frozenset[str]
    person_verbs: frozenset[str]


class Negation(_Frozen):
    neg_dependency: bool = True
    determiners: frozenset[str]
    adverbs: frozenset[str]
    governing_verbs: frozenset[str]
    postponing: frozenset[str]
    prepositions: frozenset[str]
    pseudo: tuple[str, ...]


class Modality(_Frozen):
    future_modals: frozenset[str]
    hypothetical_modals: frozenset[str]
    intent_verbs: frozenset[str]
    hedges: frozenset[str]
    plan_markers: tuple[str, ...]
    conditional_marks: frozenset[str]
    directive_verbs: frozenset[str]
    agreement_verbs: frozenset[str]
    perception_verbs: frozenset[str]
    prompt_verbs: frozenset[str]


class Literature(_Frozen):
    reporting_verbs: frozenset[str]
    sources: frozenset[str]
    phrases: tuple[str, ...]
    citation_pattern: str

    @property
    def citation(self) -> re.Pattern[str]:
        return _compiled(self.citation_pattern)


class Generic(_Frozen):
    evaluative_adjectives: frozenset[str]


class Language(_Frozen):
    actors: Actors
    negation: Negation
    modality: Modality
    literature: Literature
    generic: Generic


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def language() -> Language:
    """English clause lexicons, from the packaged criteria/language/en.yaml."""
    path = packaged_dir("criteria") / "language" / "en.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CriteriaError(f"cannot read the language file: {exc.strerror}", path) from None
    data, lines = load_yaml(text, path, CriteriaError)
    return validate(Language, data, lines, path, CriteriaError)
