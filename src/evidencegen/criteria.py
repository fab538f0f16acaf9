"""Criteria as data: load a unit's outcomes, criteria, elements and rules from YAML.

A criteria file records whose wording it holds and which version, so two versions of one
unit can sit side by side; adding a unit or a version is adding a file. Files are found in
the packaged criteria/ folder, or at a path a learner.yaml names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from evidencegen.errors import CriteriaError
from evidencegen.resources import packaged_dir
from evidencegen.schema import validate
from evidencegen.yamlio import load_yaml


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ACTORS = Literal["learner", "pair", "mentee"]


class Pattern(_Frozen):
    """A way of wording an element, matched on lemmas over the parsed sentence.

    ``match`` is a space-separated token sequence (" | " between whole alternatives):
    ``listen`` (a lemma), ``ask|query`` (either), ``empath*`` (a lemma prefix), ``=GROW``
    (this exact text), ``word@VERB`` (with that part of speech), ``word?`` (optional),
    ``...`` (up to four other words).
    ``near``/``not_near`` are sense guards: lemmas that must / must not be in the sentence.
    """

    id: str
    match: str
    near: list[str] = []
    not_near: list[str] = []
    actors: list[ACTORS] = ["learner", "pair"]
    agreement: bool = False  # a future clause counts: agreeing it was the technique
    admission: bool = False  # a negated clause counts when she owned up to it
    negative: bool = False  # the pattern itself is negative ("did not judge"): no flip
    anchor: list[str] = []  # lemmas of the word whose clause is judged (default: 1st verb)
    weak: bool = False  # counts only when nothing more specific counts in the sentence
    alone_ok: bool = False  # the mentee alone shows it ("she did the visit on her own")
    context_near: list[str] = []  # lemmas that must be in the paragraph (a disagreement
    # being talked about makes "we talked it over" conflict resolution)


    @field_validator("match")
    @classmethod
    def _well_formed(cls, match: str) -> str:
        """Checked when the file is read, so a typo names its file and line (no spaCy)."""
        for alternative in match.split(" | "):
            words = alternative.replace("...", " ... ").split()
            if not words or words[0] == "...":
                raise ValueError(f"'{match}' has an empty alternative or starts with '...'")
            for word in words:
                bare = re.sub(r"@[A-Z|]+$", "", word.rstrip("?"))
                if "@" in bare or "=" in bare[1:]:
                    raise ValueError(f"in '{word}', a part of speech (@VERB) goes once at the "
                                     "end of the word, and = once at its start")
        return match


class Element(_Frozen):
    """A model (1.1) or technique (5.2): what a learner can show, and how she words it."""

    id: str
    name: str
    description: str
    listed: bool = True  # False: known to the tool but beyond the awarding body's list
    patterns: list[Pattern] = Field(min_length=1)


AspectRole = Literal["how", "strength", "limitation", "setting"]


class AspectCues(_Frozen):
    """How a sentence shows one aspect of a model: by its block's label, or its wording.

    ``role`` is what the analysis reads it as (a negated strength is a limitation; a
    sentence naming her workplace is about her setting), so the aspect's id is the
    criteria file's own; ``heading`` and ``column`` are its title and key in documents.
    """

    role: AspectRole | None = None
    heading: str = ""
    column: str = ""  # the key templates use (row.strengths); empty: the aspect's id
    labels: list[str] = []  # heading / label / column words: "pros", "weaknesses"
    patterns: list[Pattern] = []


class Comparing(_Frozen):
    """How a sentence relates two models: cue patterns, and words that point back."""

    patterns: list[Pattern] = []
    anaphora: dict[str, list[str]] = {}  # "latter": ["the latter"], "both": ["both"]


class OpenModels(_Frozen):
    """Models in no list: "the X model" or an acronym whose working the learner describes."""

    heads: list[str] = ["model", "approach", "framework"]
    not_names: list[str] = []
    min_sentences: int = 2


class Rule(_Frozen):
    """One requirement; ``check`` names the evaluator in coverage.py, the rest is its data."""

    id: str
    check: str
    level: Literal["ready", "met"] = "ready"
    min: int = 1
    max: int | None = None  # for counts of problems: met when found <= max
    min_sessions: int = 0
    same_mentee: bool = False
    aspects: list[str] = []
    note_types: list[str] = []
    summary: str
    gap: str
    gap_none: str | None = None  # the gap when nothing at all was found, if worded apart
    gap_unsigned: str | None = None  # the gap when records are there but not countersigned
    met: str


class Criterion(_Frozen):
    id: str
    text: str
    kind: Literal["knowledge", "competence"]
    verb: str | None = None
    document: bool = False
    element_label: str = "element"
    scan: list[str] = []
    judge: Literal["practice", "comparison"] | None = None
    elements: list[Element] = []
    aspects: dict[str, AspectCues] = {}
    comparison: Comparing | None = None
    open_models: OpenModels | None = None
    plan_labels: list[str] = []  # headings that hold plans, not practice ("Next steps")
    rules: list[Rule] = []
    guidance: str | None = None

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)

    def aspect(self, role: AspectRole) -> str:
        """The id of the aspect with this role ("" when the criterion has none)."""
        return next((a for a, cues in self.aspects.items() if cues.role == role), "")

    def aspect_columns(self) -> tuple[tuple[str, str], ...]:
        """(column, heading) of each aspect, in the criteria file's order."""
        return tuple((cues.column or a, cues.heading or a.capitalize())
                     for a, cues in self.aspects.items())


class Outcome(_Frozen):
    id: str
    title: str
    criteria: list[Criterion]


class Qualification(_Frozen):
    title: str
    level: int | None = None
    framework: str | None = None


class Unit(_Frozen):
    number: str
    title: str


class Wording(_Frozen):
    source: str
    version: str
    note: str | None = None


class CriteriaSet(_Frozen):
    """One unit in one organisation's wording and version."""

    id: str
    default: bool = False
    qualification: Qualification
    unit: Unit
    wording: Wording
    outcomes: list[Outcome]

    @model_validator(mode="after")
    def _unique_ids(self) -> CriteriaSet:
        seen: set[str] = set()
        for crit in self.all_criteria():
            if crit.id in seen:
                raise ValueError(f"criterion {crit.id} appears twice")
            seen.add(crit.id)
            element_ids = [e.id for e in crit.elements]
            if len(set(element_ids)) != len(element_ids):
                raise ValueError(f"criterion {crit.id} has two elements with the same id")
        return self

    def all_criteria(self) -> Iterator[Criterion]:
        for outcome in self.outcomes:
            yield from outcome.criteria

    def outcome_of(self, ac_id: str) -> Outcome:
        return next(o for o in self.outcomes if any(c.id == ac_id for c in o.criteria))

    def get(self, ac_id: str) -> Criterion | None:
        return next((c for c in self.all_criteria() if c.id == ac_id), None)

    def require(self, ac_id: str, path: Path | None = None, line: int | None = None) -> Criterion:
        crit = self.get(ac_id)
        if crit is None:
            known = ", ".join(c.id for c in self.all_criteria())
            raise CriteriaError(
                f"unit {self.unit.number} has no criterion '{ac_id}' (known: {known})", path, line
            )
        return crit

    def documented(self) -> list[Criterion]:
        """The criteria evidencegen builds documents for by default."""
        return [c for c in self.all_criteria() if c.document]


class RuleOverride(_Frozen):
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    level: Literal["ready", "met"] | None = None


def apply_overrides(cs: CriteriaSet, path: Path) -> CriteriaSet:
    """A centre's thresholds (a small YAML file) over the packaged rules, per criterion.

    The file maps criterion id -> rule id -> {min, max, level}:  "5.2": {techniques_across_
    sessions: {min: 4}}. Anything it names must exist, so a typo cannot pass silently.
    """
    from evidencegen.inputs import read_text

    data, lines = load_yaml(read_text(path, CriteriaError), path, CriteriaError)
    if data is None:
        return cs
    if not isinstance(data, dict):
        raise CriteriaError("should map criterion ids to rules, e.g. '5.2:'", path, 1)
    updated: dict[str, Criterion] = {}
    for ac_key, rules in data.items():
        ac, line = str(ac_key), lines.get((ac_key,), 1)
        crit = cs.require(ac, path, line)
        if not isinstance(rules, dict):
            raise CriteriaError(f"'{ac}' should list rule names under it", path, line)
        new_rules = list(crit.rules)
        for rule_id, values in rules.items():
            rline = lines.get((ac_key, rule_id), line)
            index = next((i for i, r in enumerate(new_rules) if r.id == rule_id), None)
            if index is None:
                known = ", ".join(r.id for r in crit.rules) or "none"
                raise CriteriaError(f"criterion {ac} has no rule '{rule_id}' (rules: {known})",
                                    path, rline)
            sub = {k[2:]: v for k, v in lines.items() if k[:2] == (ac_key, rule_id)}
            change = validate(RuleOverride, values, sub, path, CriteriaError, first_line=rline)
            new_rules[index] = new_rules[index].model_copy(
                update=change.model_dump(exclude_none=True))
        updated[ac] = crit.model_copy(update={"rules": new_rules})
    outcomes = [o.model_copy(update={"criteria": [updated.get(c.id, c) for c in o.criteria]})
                for o in cs.outcomes]
    return cs.model_copy(update={"outcomes": outcomes})


def criteria_dir() -> Path:
    return packaged_dir("criteria")


@cache
def _load_cached(path: Path, mtime_ns: int) -> CriteriaSet:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CriteriaError("this criteria file is not UTF-8 text", path) from None
    except OSError as exc:
        raise CriteriaError(f"cannot read this criteria file: {exc.strerror}", path) from None
    data, lines = load_yaml(text, path, CriteriaError)
    return validate(CriteriaSet, data, lines, path, CriteriaError)


def load_criteria_file(path: Path) -> CriteriaSet:
    """Load and check one criteria file (cached per file and modification time)."""
    path = path.resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise CriteriaError("criteria file not found", path) from None
    return _load_cached(path, mtime)


def packaged_sets() -> list[CriteriaSet]:
    return [load_criteria_file(p) for p in sorted(criteria_dir().glob("*.yaml"))]


def resolve_criteria(
    choice: str | None, base: Path | None = None, where: Path | None = None
) -> CriteriaSet:
    """Find the criteria set a learner asks for: a path to a file, or the id of a packaged set.

    ``where`` (a learner.yaml) is named in the error when the choice matches nothing.
    """
    if choice is None:
        sets = packaged_sets()
        defaults = [s for s in sets if s.default] or sets
        if not defaults:
            raise CriteriaError("no criteria files are installed", criteria_dir())
        return defaults[0]
    if choice.endswith((".yaml", ".yml")):
        path = Path(choice)
        if not path.is_absolute() and base is not None:
            path = base / path
        return load_criteria_file(path)
    sets = packaged_sets()
    for s in sets:
        if s.id == choice:
            return s
    known = ", ".join(s.id for s in sets)
    raise CriteriaError(
        f"no criteria version called '{choice}' "
        f"(installed: {known}; or give a path to a .yaml file)",
        where,
    )
