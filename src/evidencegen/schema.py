"""The input contract: what learner.yaml and a note's front matter may hold.

pydantic does the checking; ``validate`` turns its errors into one plain sentence that names
the file, the line and the field, because the reader is a care worker, not a programmer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from evidencegen.errors import EvidencegenError
from evidencegen.text import one_edit_apart
from evidencegen.yamlio import KeyLines

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> dt.date:
    """Accept YYYY-MM-DD only, and say plainly when the day does not exist."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-09-03")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real date (check the day and the month)") from None


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError("should be a piece of text")
    return str(value).strip()


def _unsplit(item: Any) -> Any:
    """'Title: a subtitle' in a YAML list reads as a one-key mapping; it was meant as text."""
    if isinstance(item, dict) and len(item) == 1:
        key, val = next(iter(item.items()))
        return f"{key}: {val}"
    return item


def _text_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("should be a list, e.g. [5.2, 5.3]")
    return [_text(_unsplit(item)) for item in value]


def _mode(value: Any) -> str:
    text = _text(value).lower().replace(" ", "-").replace("_", "-")
    aliases = {"in-person": "face-to-face", "f2f": "face-to-face", "video": "virtual",
               "online": "virtual", "telephone": "phone", "phone-call": "phone"}
    return aliases.get(text, text)


def _duration(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value} minutes"
    return _text(value)


def _lower(value: Any) -> str:
    return _text(value).lower()


Date = Annotated[dt.date, BeforeValidator(parse_date)]
Text = Annotated[str, BeforeValidator(_text)]
RequiredText = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]
NoteType = Annotated[
    Literal["session", "reflection", "knowledge", "observation", "witness"],
    BeforeValidator(_lower),
]
Mode = Annotated[Literal["face-to-face", "virtual", "phone"], BeforeValidator(_mode)]
Duration = Annotated[str, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Declaration(_Strict):
    signed: bool = False
    date: Date | None = None


class Author(_Strict):
    name: Text
    role: Text | None = None


def _author(value: Any) -> Any:
    if isinstance(value, str):
        name, _, role = value.partition(",")
        return {"name": name.strip(), "role": role.strip() or None}
    return value


# Identifiers are text as written: learner_id 0052 is not the number 52 (or 42, as YAML
# reads it in octal), 1e3 is not 1000.0 and 12_000 is not 12000. yamlio keeps the scalar's
# own text for these keys (and for each item of a list under them).
LEARNER_VERBATIM = frozenset({"name", "learner_id", "mentees"})
FRONT_MATTER_VERBATIM = frozenset({"mentee"})


MAX_ID, MAX_NAME, MAX_FIELD = 64, 100, 200


class LearnerFile(_Strict):
    """learner.yaml."""

    # lengths: the id names files (64 characters at most) and name and id go into each
    # document's title, which Word holds to 255 characters
    name: Annotated[RequiredText, Field(max_length=MAX_NAME)]
    learner_id: Annotated[RequiredText, Field(max_length=MAX_ID)]
    centre: Annotated[Text, Field(max_length=MAX_FIELD)] | None = None
    assessor: Annotated[Text, Field(max_length=MAX_NAME)] | None = None
    employer: Annotated[Text, Field(max_length=MAX_FIELD)] | None = None
    programme_start: Date | None = None
    criteria: Text | None = None
    mentees: TextList = []
    declaration: Declaration | None = None
    private_names: dict[Annotated[str, BeforeValidator(_text)], Text] = {}


def _decision(value: Any) -> str:
    return _text(value).lower().replace(" ", "_").replace("-", "_")


class Decision(_Strict):
    """One assessor decision in feedback.yaml."""

    decision: Annotated[Literal["met", "not_yet"], BeforeValidator(_decision)]
    date: Date | None = None
    assessor: Text | None = None
    comments: Text | None = None
    # written by 'evidencegen decide': the exact text the decision was made on, and the
    # centre's signature over all of it (see signing.py)
    evidence: dict[Annotated[str, BeforeValidator(_text)], Text] = {}
    signature: Text | None = None


class Countersign(_Strict):
    """An assessor's countersignature of an observation or witness record (feedback.yaml)."""

    assessor: RequiredText
    date: Date
    digest: RequiredText  # sha256 of the record file's exact bytes
    signature: Text | None = None


class FrontMatter(_Strict):
    """The YAML block at the top of a Markdown note."""

    type: NoteType | None = None
    date: Date | None = None
    mentee: Text | None = None
    duration: Duration | None = None
    mode: Mode | None = None
    criteria: TextList = []
    author: Annotated[Author, BeforeValidator(_author)] | None = None
    references: TextList = []
    title: Text | None = None


M = TypeVar("M", bound=BaseModel)


def _plain(err: Mapping[str, Any], field: str, model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"the required field '{field}' is missing"
    if kind == "extra_forbidden":
        name = field.rsplit(".", 1)[-1]
        meant = [f for f in _fields_at(model, err["loc"][:-1]) if one_edit_apart(name, f)]
        if meant:
            return f"unknown field '{field}' (did you mean '{meant[0]}'?)"
        allowed = ", ".join(_fields_at(model, err["loc"][:-1]))
        return f"unknown field '{field}' (is it misspelt? allowed fields: {allowed})"
    if kind == "string_too_short":
        return f"'{field}' is empty; it needs a value"
    if kind in ("string_too_long", "too_long"):
        most = err.get("ctx", {}).get("max_length", "")
        return f"'{field}' is longer than {most} characters; shorten it"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"'{field}' cannot be '{err.get('input')}'; use one of {expected}"
    if kind == "value_error":
        return f"'{field}': {err['ctx']['error']}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' should be true or false"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{field}' should be a group of fields on the lines below it"
    return f"'{field}': {err['msg']}"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` (a nested group's own fields)."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        inner = getattr(info, "annotation", None) if info else None
        found = next((t for t in (inner, *getattr(inner, "__args__", ()))
                      if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if found is None:
            return []
        model = found
    return list(model.model_fields)


def _misspelt_instead(errors: list[Any]) -> Any:
    """For "required field 'name' is missing" beside an unknown 'nmae': the unknown key,
    which is the line to fix (its message then says "did you mean 'name'?")."""
    missing = [e for e in errors if e["type"] == "missing"]
    for e in errors:
        if e["type"] != "extra_forbidden":
            continue
        parent, name = tuple(e["loc"][:-1]), str(e["loc"][-1])
        if any(tuple(m["loc"][:-1]) == parent and one_edit_apart(name, str(m["loc"][-1]))
               for m in missing):
            return e
    return None


def validate(
    model: type[M],
    data: Any,
    lines: KeyLines,
    path: Path,
    error: type[EvidencegenError],
    first_line: int = 1,
) -> M:
    """Validate ``data`` against ``model``; raise ``error`` for the first problem found."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise error("should be a list of 'field: value' lines", path, first_line)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = _misspelt_instead(errors) or errors[0]
        loc = tuple(err["loc"])
        # The line of the deepest key we know; a missing key points at the top.
        line = None
        for cut in range(len(loc), 0, -1):
            line = lines.get(loc[:cut])
            if line:
                break
        field = ".".join(str(p) for p in loc if not isinstance(p, int)) or "?"
        raise error(_plain(err, field, model), path, line or first_line) from None
