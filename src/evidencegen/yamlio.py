"""Safe YAML loading that keeps line numbers, so every complaint can point at a line.

Dates are left as strings (the timestamp resolver is removed) and checked by the schema,
so "2026-02-31" becomes a clear message instead of a crash inside the YAML library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evidencegen.errors import EvidencegenError

# Dates and decimals stay strings: dates are checked by the schema, and criterion ids such
# as 5.10 must not turn into the number 5.1.
_KEPT_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float"}
# Hand-written files rarely use *aliases at all; a small budget keeps any expansion small
# ("billion laughs" needs many).
MAX_ALIASES = 20


class _Loader(yaml.SafeLoader):
    """SafeLoader (no Python tags), dates and decimals kept as text, and an alias budget."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.MarkedYAMLError(
                    problem="too many repeated references (&anchors and *aliases)",
                    problem_mark=event.start_mark,
                )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _KEPT_AS_TEXT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

KeyLines = dict[tuple[Any, ...], int]
_STR = "tag:yaml.org,2002:str"
_COERCED = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}


def _keep_text(node: yaml.Node, keys: frozenset[str]) -> None:
    """The top-level ``keys`` (and the items of lists under them) stay the text written."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        if key_node.value not in keys:
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for item in items:
            if isinstance(item, yaml.ScalarNode) and item.style is None and item.tag in _COERCED:
                item.tag = _STR


def _collect_lines(
    node: yaml.Node, prefix: tuple[Any, ...], offset: int, out: KeyLines,
    seen: set[int] | None = None,
) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: its lines were recorded where it was defined
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # "? [a, b]: x" in hand-written YAML
                raise yaml.MarkedYAMLError(problem="a field name should be a word, not a list "
                                           "or a group of fields",
                                           problem_mark=key_node.start_mark)
            where = (*prefix, key_node.value)
            out[where] = key_node.start_mark.line + 1 + offset
            _collect_lines(value_node, where, offset, out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            where = (*prefix, i)
            out[where] = item.start_mark.line + 1 + offset
            _collect_lines(item, where, offset, out, seen)


def load_yaml(
    text: str,
    path: Path,
    error: type[EvidencegenError],
    line_offset: int = 0,
    verbatim: frozenset[str] = frozenset(),
) -> tuple[Any, KeyLines]:
    """Parse ``text``; return the data and the line of every key (1-based, in the file).

    ``line_offset`` is the number of file lines before ``text`` (front matter starts after
    the opening ``---``). The top-level keys in ``verbatim`` keep their values' own text,
    never YAML's numbers or booleans.
    """
    try:  # the loader checks every character as it is made: inside the try
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise error(f"cannot read this as YAML: {exc}".split("\n")[0], path) from None
    try:
        node = loader.get_single_node()
        lines: KeyLines = {}
        if node is None:
            return None, lines
        _collect_lines(node, (), line_offset, lines)
        _keep_text(node, verbatim)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        raise error(
            f"cannot read this as YAML: {problem} "
            "(check the colon after each field name and the indentation)",
            path,
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise error(" ".join(f"cannot read this as YAML: {exc}".split()), path) from None
    except RecursionError:
        raise error("cannot read this as YAML: it is nested too deeply", path) from None
    finally:
        loader.dispose()
    return data, lines
