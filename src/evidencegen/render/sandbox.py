"""The sandbox templates run in: Jinja's immutable sandbox, made narrower.

Jinja's ``ImmutableSandboxedEnvironment`` already refuses Python internals (``__class__``,
``__globals__``...), the mutating methods of lists and dicts, and ranges over 100,000. On top
of it, templates here:

- read templates only from inside the template folders (no symlink out, nothing huge);
- lose the ``cycler``, ``joiner`` and ``lipsum`` globals (unused, and ``lipsum`` makes text
  of any size);
- see dates through their fields and ``strftime``/``isoformat`` only (no parsing class
  methods), numbers through no attributes at all, and strings without the methods that pad
  or multiply text (``center``, ``ljust``, ``zfill``, ``replace``, ``join``...): the
  filters of the same names are bounded instead;
- cannot build a value larger than ``MAX_ITEMS`` in one step: ``*`` on text or sequences,
  ``**``, widths in ``%`` and ``format`` strings, and the ``center``/``indent``/``batch``/
  ``slice``/``replace``/``join``/``format`` filters are checked before they run.

A template can still loop for a long time; a batch's per-learner time limit bounds that.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import filters as jfilters
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_ITEMS = 1_000_000  # characters or items one template operation may produce
MAX_BITS = 100_000  # digits of a number, in bits (about 30,000 decimal digits)
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
REMOVED_GLOBALS = ("cycler", "joiner", "lipsum")
DATE_ATTRIBUTES = frozenset({"year", "month", "day", "hour", "minute", "second",
                             "microsecond", "strftime", "isoformat", "weekday", "isoweekday"})
STR_REFUSED = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join"})
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what} would make a value larger than templates may build "
                         f"({MAX_ITEMS:,} characters or items)")


def _check_size(size: int, what: str) -> None:
    if size > MAX_ITEMS:
        raise _too_big(what)


def _check_percent(text: str) -> None:
    """Widths and precisions in a ``%`` format string stay small, and never come from ``*``."""
    for width, precision in _PERCENT_SPEC.findall(text):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_ITEMS):
                raise _too_big(f"the format '%{width}'")


def _check_braces(text: str) -> None:
    """The same for ``str.format``: no nested fields in a spec, no huge widths."""
    for _, field, spec, _ in string.Formatter().parse(text):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise SecurityError("a format spec may not hold another field")
        if any(int(n) > MAX_ITEMS for n in re.findall(r"\d+", spec)):
            raise _too_big(f"the format spec '{spec}'")


def _bounded(name: str, check: Callable[..., None]) -> Callable[..., Any]:
    original = jfilters.FILTERS[name]

    passed = hasattr(original, "jinja_pass_arg")  # Jinja passes it a context first

    def run(*args: Any, **kwargs: Any) -> Any:
        check(*args[1:] if passed else args, **kwargs)
        return original(*args, **kwargs)

    run.__name__ = name
    if passed:
        run.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return run


def _width(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> None:
    if isinstance(width, int):
        _check_size(len(str(value)) + width, "this width")


def _indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> None:
    if isinstance(width, int):
        lines = str(value).count("\n") + 1
        _check_size(len(str(value)) + width * lines, "this indent")
    elif isinstance(width, str):
        _check_size(len(str(value)) + len(width) * (str(value).count("\n") + 1), "this indent")


def _batch(value: Any, linecount: Any = 1, *args: Any, **kwargs: Any) -> None:
    if isinstance(linecount, int):
        _check_size(linecount, "this batch size")


def _slice(value: Any, slices: Any = 1, *args: Any, **kwargs: Any) -> None:
    if isinstance(slices, int):
        _check_size(slices, "this number of slices")


def _replace(value: Any, old: Any = "", new: Any = "", *args: Any,
             **kwargs: Any) -> None:
    text, old, new = str(value), str(old), str(new)
    count = text.count(old) if old else len(text) + 1
    _check_size(len(text) + count * max(0, len(new) - len(old)), "this replacement")


@jinja2.pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    """Jinja's join, measured first (the items are a list by then, however they came)."""
    items = list(value)
    _check_size(sum(len(str(v)) for v in items) + len(str(d)) * max(0, len(items) - 1),
                "this join")
    return jfilters.sync_do_join(eval_ctx, items, d, attribute)


def _format(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_percent(str(value))


BOUNDED_FILTERS = {"center": _width, "indent": _indent, "batch": _batch, "slice": _slice,
                   "replace": _replace, "format": _format}


class RefusedTemplate(jinja2.TemplateError):
    """A template file that exists but may not be used (a link out, or too large)."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads templates from inside its folders only: a symlink out of them is not followed,
    and a template larger than MAX_TEMPLATE_BYTES is refused."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            filename = os.path.join(folder, *pieces)
            if not os.path.isfile(filename):
                continue
            real, root = os.path.realpath(filename), os.path.realpath(folder)
            if os.path.commonpath([real, root]) != root:
                raise RefusedTemplate(f"'{template}' is a link to a file outside the "
                                      "template folders")
            if os.path.getsize(real) > MAX_TEMPLATE_BYTES:
                raise RefusedTemplate(f"'{template}' is larger than "
                                      f"{MAX_TEMPLATE_BYTES // 2**20} MB")
            return super().get_source(environment, template)
        raise jinja2.TemplateNotFound(template, f"'{template}' is not in the template folders")


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, narrowed as the module docstring says."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        for name, check in BOUNDED_FILTERS.items():
            self.filters[name] = _bounded(name, check)
        self.filters["join"] = _join

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, dt.date):
            return attr in DATE_ATTRIBUTES
        if isinstance(obj, (int, float, complex)):
            return False
        if isinstance(obj, str) and attr in STR_REFUSED:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_braces(value.__self__)
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    _check_size(len(seq) * n, "this repetition")
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > MAX_BITS:
                raise _too_big("this multiplication")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and \
                    abs(left) > 1 and left.bit_length() * right > MAX_BITS:
                raise _too_big("this power")
        elif operator == "%" and isinstance(left, str):
            _check_percent(left)
        return super().call_binop(context, operator, left, right)
