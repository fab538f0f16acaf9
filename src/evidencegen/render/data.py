"""What a template receives: plain, frozen data copied out of the live objects, in one place.

Templates come from many hands (a centre's --templates folder, one downloaded from a forum),
so they never see a live object: no pydantic model (its class methods parse JSON, read files
and, in old versions, unpickle), no path, no reader object, nothing shared with the next
render. Every value a template is given passes through :func:`template_data`, which copies
the fields listed in ``FIELDS`` (and only those) into frozen records with no methods, tuples
and read-only mappings of strings, numbers, dates and None. An object of any other kind is
a programming error and is refused before the template runs.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import make_dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from markupsafe import Markup

from evidencegen.branding import Centre
from evidencegen.criteria import (
    CriteriaSet,
    Criterion,
    Element,
    Outcome,
    Qualification,
    Unit,
    Wording,
)
from evidencegen.models import (
    Comparison,
    CriterionCoverage,
    CriterionMap,
    Hit,
    Learner,
    Note,
    Rejected,
    RuleResult,
    evidence_count,
)
from evidencegen.render.context import (
    DocumentContext,
    ModelRow,
    Quote,
    Source,
    TechniqueRow,
)
from evidencegen.render.tokens import css_variables, page_css, state_badge_css, tokens
from evidencegen.schema import Decision, Declaration
from evidencegen.signing import Verification

# The fields (properties included) a template may read on each kind of object. Anything not
# named here (a note's path and parsed blocks, a learner's folder and privacy findings, a
# criterion's matching patterns, the centre's folder and reference document) stays behind.
FIELDS: dict[type, tuple[str, ...]] = {
    DocumentContext: tuple(DocumentContext.__dataclass_fields__),
    Learner: ("name", "learner_id", "centre", "assessor", "employer", "programme_start",
              "criteria", "mentees", "declaration", "notes"),
    Declaration: ("signed", "date"),
    Decision: ("decision", "date", "assessor", "comments"),
    Note: ("rel", "type", "title", "date", "mentee", "duration", "mode", "criteria",
           "criteria_line", "author_name", "author_role", "references", "html", "words"),
    CriteriaSet: ("id", "default", "qualification", "unit", "wording", "outcomes"),
    Qualification: ("title", "level", "framework"),
    Unit: ("number", "title"),
    Wording: ("source", "version", "note"),
    Outcome: ("id", "title", "criteria"),
    Criterion: ("id", "text", "kind", "verb", "document", "element_label", "judge",
                "elements", "guidance"),
    Element: ("id", "name", "description", "listed"),
    CriterionCoverage: ("criterion", "status", "label", "judged", "rules", "evidence",
                        "missing_elements", "decision", "evidenced_status", "gaps",
                        "evidence_count", "signatures"),
    Verification: ("kind", "subject", "verified", "reason", "assessor", "date", "decision",
                   "files", "key_id", "demo"),
    RuleResult: ("rule", "summary", "level", "needed", "found", "met", "reason"),
    CriterionMap: ("criterion", "hits", "explicit", "comparisons", "rejected", "unlisted"),
    Hit: ("element", "element_name", "note", "line", "quote", "aspects", "rule", "clause",
          "actor"),
    Rejected: ("element", "element_name", "note", "line", "quote", "reason", "why", "rule",
               "clause"),
    Comparison: ("note", "line", "quote", "elements", "rule"),
    Quote: ("text", "source", "line", "why", "cite", "id", "source_id", "source_label",
            "also"),
    Source: ("id", "file", "label", "title"),
    ModelRow: ("element",),  # and one field per aspect column: see record()
    TechniqueRow: ("element", "dates", "undated", "example"),
    Centre: ("name", "colour", "asked_colour", "font", "footer", "logo", "logo_uri",
             "adjusted", "logo_data"),
}

SCALARS = (str, int, float, bool, dt.date, type(None))  # dt.datetime is a dt.date


LOGO_INLINE_MAX = 256 * 1024  # bytes: a larger logo is left out of self-contained pages


def _centre(copy: _Copier, centre: Centre) -> dict[str, Any]:
    """The logo's file name (not its path), and the logo inline for self-contained pages."""
    data = None
    if centre.logo and centre.logo.stat().st_size <= LOGO_INLINE_MAX:
        kind = "png" if centre.logo.suffix.lower() == ".png" else "jpeg"
        data = f"data:image/{kind};base64," + base64.b64encode(centre.logo.read_bytes()).decode()
    return {"logo": centre.logo.name if centre.logo else None, "logo_data": data}


def _coverage(copy: _Copier, cov: CriterionCoverage) -> dict[str, Any]:
    return {"evidence_count": evidence_count(cov)}


def _map(copy: _Copier, cmap: CriterionMap) -> dict[str, Any]:
    def name(element_id: str) -> str:
        return cmap.element(element_id).name

    return {"hits": tuple(copy.record(h, {"element_name": name(h.element)}) for h in cmap.hits),
            "rejected": tuple(copy.record(r, {"element_name": name(r.element)})
                              for r in cmap.rejected)}


COMPUTED: dict[type, Callable[[Any, Any], dict[str, Any]]] = {
    Centre: _centre, CriterionCoverage: _coverage, CriterionMap: _map,
}


@cache
def record_type(name: str, fields: tuple[str, ...]) -> type:
    """A frozen dataclass with these fields and nothing else (one per kind of object)."""
    made = make_dataclass(name, fields, frozen=True, slots=True)
    made.__module__ = "template"  # messages then speak of 'template.Learner object'
    return made


class _Copier:
    """Copies one context; an object met twice becomes the same record."""

    def __init__(self) -> None:
        # id -> (the object, kept alive so its id is not reused, and its record)
        self.seen: dict[int, tuple[Any, Any]] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Markup):
            return value  # escaped HTML the code made (a note's body): a str, immutable
        if isinstance(value, str):
            return str(value)
        if isinstance(value, SCALARS):
            return value
        if isinstance(value, (list, tuple)):
            return tuple(self(v) for v in value)
        if isinstance(value, Mapping):
            return MappingProxyType({self(k): self(v) for k, v in value.items()})
        if type(value) in FIELDS:
            return self.record(value)
        raise TypeError(f"a {type(value).__name__} cannot be handed to a template")

    def record(self, obj: Any, given: dict[str, Any] | None = None) -> Any:
        known = self.seen.get(id(obj))
        if known is not None and given is None:
            return known[1]
        kind = type(obj)
        fields = FIELDS[kind]
        values = dict(given or {})
        if isinstance(obj, ModelRow):  # its aspects are the criteria data's: row.strengths
            values.update({k: self(v) for k, v in obj.cells.items()})
            fields = (*fields, *obj.cells)
        if kind in COMPUTED:
            values.update(COMPUTED[kind](self, obj))
        data = {f: values[f] if f in values else self(getattr(obj, f)) for f in fields}
        made = record_type(kind.__name__, fields)(**data)
        self.seen[id(obj)] = (obj, made)
        return made


def template_data(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as plain, frozen data: the only form in which values reach a template.

    Every template also gets the design tokens (render/tokens.py) with the context's centre
    applied: ``tokens`` (labels, symbols and colours of the states, fonts, sizes) and
    ``design_css`` (the same as CSS custom properties and state badge rules, for a
    ``<style>`` element).
    """
    copy = _Copier()
    data = {str(name): copy(value) for name, value in context.items()}
    centre = context.get("centre")
    values = tokens(centre if isinstance(centre, Centre) else None)
    data.setdefault("tokens", copy(values))
    data.setdefault("design_css", Markup(css_variables(values) + "\n" + state_badge_css(values)
                                         + "\n" + page_css(values)))
    return data


def is_plain(value: Any) -> bool:
    """True when ``value`` holds only what template_data makes (used by the tests)."""
    if isinstance(value, SCALARS):
        return True
    if isinstance(value, tuple):
        return all(is_plain(v) for v in value)
    if isinstance(value, MappingProxyType):
        return all(is_plain(k) and is_plain(v) for k, v in value.items())
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is None or not value.__dataclass_params__.frozen:
        return False
    return all(is_plain(getattr(value, f)) for f in fields)
