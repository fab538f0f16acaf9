"""Notes as structured text: headings, labelled paragraphs, nested lists and table cells.

What a sentence means depends on what it sits under: "slow" under "Coaching" and then
"Weaknesses:" is a limitation of coaching. So a note is read as an outline, and every block
carries its context (enclosing headings and pseudo-headings, parent list items, the row's
first cell), and the analysis never has to re-derive it. Markdown (and what .odt and .rtf
files are converted to), plain text and Word documents all give the same kinds of block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from evidencegen.models import Block, Sentence
from evidencegen.text import split_sentences

if TYPE_CHECKING:
    from markdown_it.token import Token

HEADING_WORDS = 8  # "What went well:" and "**Why I chose it**" are headings; a sentence is not
LABEL_WORDS = 4  # "Pros: cheap", "Cons – slow", "Plus side: ..."
_LABEL_END = re.compile(r":\s+(?=\S)|\s+[-\u2013\u2014]\s+(?=\S)|\s*\u2014\s*(?=\S)")
_LABEL_BAD = re.compile(r"[.!?;,:()\[\]\"]")
_REFERENCE_HEADS = re.compile(
    r"^(?:my |further |the )?(?:references?|reading(?: list)?|sources?(?: used)?|"
    r"what i read|bibliography|books and articles)$", re.IGNORECASE)
_REFERENCE_LINE = re.compile(r"^(?:source|reference)\s*:\s*(\S.*)$", re.IGNORECASE)


Cell = tuple[int, str]  # a table cell: its first line, its text
MERGED = -1  # the line of a Cell that continues a merged cell above: context, not a block


def make_block(kind: str, text: str, line: int, **where: object) -> Block:
    """A block whose sentences keep their own lines (``text`` may span several lines)."""
    sentences = []
    seen = lines = 0  # newlines counted so far, up to offset ``seen``: linear in the text
    for off, sentence in split_sentences(text):
        lines += text.count("\n", seen, off)
        seen = off
        sentences.append(Sentence(sentence, line + lines))
    return Block(kind, " ".join(text.split()), line, tuple(sentences), **where)  # type: ignore[arg-type]


def clean_label(text: str) -> str:
    """A label without its trailing colon or dash: "Weaknesses:" → "Weaknesses"."""
    return text.strip().rstrip(":-\u2013\u2014 ").strip()


def find_label(text: str) -> str | None:
    """The short label a block starts with ("Cons – slow" → "Cons"), or None.

    A label is at most four words, starts with a letter and holds no sentence punctuation,
    so "I waited, then – at last – she spoke" is not labelled.
    """
    text = " ".join(text.split())
    m = _LABEL_END.search(text)
    if m is None:
        return None
    label = clean_label(text[: m.start()])
    words = label.split()
    if not 1 <= len(words) <= LABEL_WORDS or not label[0].isalpha() or _LABEL_BAD.search(label):
        return None
    return label


def only_label(text: str, bold_only: bool = False) -> str | None:
    """The label a block consists of ("Strengths:", or bold "Strengths"), or None."""
    text = " ".join(text.split())
    words = len(text.split())
    if not 1 <= words <= HEADING_WORDS or text.count(":") > 1:
        return None
    if text.endswith(":") or (bold_only and not text.endswith(".")):
        return clean_label(text) or None
    return None


def is_pseudo_heading(text: str, bold_only: bool = False) -> bool:
    """A paragraph that works as a heading: all bold, or a short line ending with a colon.

    Both are short (at most eight words): a whole sentence in bold is emphasis, not a heading,
    and a heading's words do not count as evidence.
    """
    return "\n" not in text.strip() and only_label(text, bold_only) is not None


def heading_label(text: str) -> str | None:
    """A heading written as a label ("What went well:") is named without the colon."""
    norm = " ".join(text.split())
    label = clean_label(norm)
    return label if label and label != norm else None


class Outline:
    """Collects blocks and keeps track of the headings and list items they sit under."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._headings: list[tuple[int, str]] = []  # (level, name)
        self._items: list[tuple[int, str]] = []  # (depth, label or text)
        self._level = 0  # level of the last real heading: pseudo-headings go one deeper

    def context(self) -> tuple[str, ...]:
        return tuple(t for _, t in self._headings) + tuple(t for _, t in self._items)

    def heading(self, text: str, line: int, level: int | None = None) -> None:
        """A heading; ``level`` None makes a pseudo-heading under the last real heading."""
        if not text.strip():
            return
        if level is None:
            level = min(self._level + 1, 6)
        else:
            level = max(1, min(level, 6))
            self._level = level
        self._items.clear()
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        label = heading_label(text)
        block = make_block("heading", text, line, level=level, label=label,
                           context=self.context())
        self._headings.append((level, label or block.text))
        self.blocks.append(block)

    def item(self, text: str, line: int, depth: int, bold_only: bool = False) -> None:
        """A list item at ``depth`` (1 = top); it is context for the items nested in it."""
        if not text.strip():
            return
        self.end_lists(depth - 1)
        label = only_label(text, bold_only) or find_label(text)
        block = make_block("list_item", text, line, level=depth, label=label,
                           context=self.context())
        self._items.append((depth, label or block.text))
        self.blocks.append(block)

    def paragraph(self, text: str, line: int, kind: str = "paragraph", bold_only: bool = False,
                  in_list: bool = False) -> None:
        """A paragraph, quote or code block; outside a list it may be a pseudo-heading.

        ``in_list``: it belongs to the open list item (a second paragraph, a quote inside
        it), keeps the list's depth and sits under the item.
        """
        if not text.strip():
            return
        if not in_list:
            self._items.clear()
            if kind == "paragraph" and is_pseudo_heading(text, bold_only):
                self.heading(text, line)
                return
        depth = self._items[-1][0] if in_list and self._items else 0
        if in_list and kind == "paragraph":
            kind = "list_item"
        label = find_label(text) if kind in ("paragraph", "list_item") else None
        self.blocks.append(make_block(kind, text, line, level=depth, label=label,
                                      context=self.context()))

    def end_lists(self, depth: int) -> None:
        """Lists deeper than ``depth`` have ended (0: every list)."""
        while self._items and self._items[-1][0] > depth:
            self._items.pop()

    def table(self, index: int, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
        """A table's body cells, one block each, under the column's header."""
        self._items.clear()
        heads = [" ".join(h.split()) for h in header]
        for r, cells in enumerate(rows):
            first = " ".join(cells[0][1].split()) if cells else ""
            for c, (line, text) in enumerate(cells):
                if not text.strip() or line == MERGED:
                    continue
                context = self.context() + ((first,) if c and first else ())
                self.blocks.append(make_block(
                    "table_cell", text, line, context=context, table=index, row=r, column=c,
                    header=heads[c] if c < len(heads) and heads[c] else None))


def split_header(rows: list[list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    """A table's header texts and body rows. A table of one row has no header (its cells
    are the text); an empty header row (pandoc writes one for RTF tables) gives way to the
    first row below it."""
    if len(rows) <= 1:
        return [], rows
    header, body = rows[0], rows[1:]
    if not any(text.strip() for _, text in header) and len(body) > 1:
        header, body = body[0], body[1:]
    return [text for _, text in header], body


def body_references(blocks: Iterable[Block]) -> list[str]:
    """References written in the text: what sits under a "References" (or "Reading",
    "Sources", "What I read", "Bibliography") heading, and "Source: ..." lines."""
    found: list[str] = []
    for b in blocks:
        if b.kind not in ("paragraph", "list_item"):
            continue
        if m := _REFERENCE_LINE.match(b.text):
            found.append(m.group(1).strip())
        elif b.label is not None and clean_label(b.text) == b.label:
            continue  # "Reading:" itself, a list item that only names what follows
        elif any(_REFERENCE_HEADS.match(c) for c in b.context):
            found.append(b.text)
    return found


def merge_references(*groups: Iterable[str]) -> tuple[str, ...]:
    """References in order of appearance, each once (spacing and case do not matter)."""
    seen: dict[str, str] = {}
    for group in groups:
        for ref in group:
            text = " ".join(ref.split())
            if text:
                seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _inline_text(tok: Token) -> tuple[str, bool]:
    """An inline token's plain text (markup removed), and whether all of it is bold."""
    parts: list[str] = []
    bold = depth = 0
    plain = False
    for c in tok.children or []:
        if c.type == "strong_open":
            depth += 1
            bold += 1
        elif c.type == "strong_close":
            depth -= 1
        elif c.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif c.type in ("text", "code_inline"):
            parts.append(c.content)
            plain = plain or (depth == 0 and bool(c.content.strip()))
    return "".join(parts), bold > 0 and not plain


def markdown_blocks(tokens: Sequence[Token], offset: int) -> list[Block]:
    """The blocks of a parsed Markdown note; ``offset``: file lines before the body."""
    out = Outline()
    containers: list[str] = []  # "list" and "quote", innermost last
    item_pending = False  # the next paragraph is a list item's own text
    tables = 0
    rows: list[list[Cell]] = []
    for i, tok in enumerate(tokens):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers.append("quote" if t == "blockquote_open" else "list")
        elif t in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
            out.end_lists(containers.count("list"))
        elif t in ("list_item_open", "list_item_close"):
            item_pending = t == "list_item_open"
        elif t == "tr_open":
            rows.append([])
        elif t == "table_close":
            header, body = split_header(rows)
            out.table(tables, header, body)
            tables, rows = tables + 1, []
        elif t in ("fence", "code_block") and tok.map:
            out.paragraph(tok.content, offset + tok.map[0] + 1, "code",
                          in_list="list" in containers)
        elif t == "inline" and i:
            parent = tokens[i - 1]
            text, bold = _inline_text(tok)
            if parent.type in ("th_open", "td_open"):
                rows[-1].append((offset + (tok.map or [0])[0] + 1, text))
                continue
            if parent.map is None:
                continue
            line = offset + parent.map[0] + 1
            depth = containers.count("list")
            if parent.type == "heading_open":
                out.heading(text, line, int(parent.tag[1:]))
            elif containers and containers[-1] == "list" and item_pending:
                out.item(text, line, depth, bold)
                item_pending = False
            elif containers:
                out.paragraph(text, line, "quote" if containers[-1] == "quote" else "paragraph",
                              in_list=depth > 0)
            else:
                out.paragraph(text, line, bold_only=bold)
    return out.blocks


_BULLET = re.compile(r"^(\s*)(?:[-*\u2022]|\d{1,3}[.)])\s+(?=\S)")
_CHUNK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


class _TextBlock:
    """The lines of the paragraph or list item being read from a text file."""

    def __init__(self, out: Outline) -> None:
        self.out = out
        self.lines: list[str] = []
        self.start = self.depth = 0

    def begin(self, line: int, depth: int) -> None:
        self.flush()
        self.start, self.depth = line, depth

    def flush(self) -> None:
        if self.lines:
            text = "\n".join(self.lines)
            if self.depth:
                self.out.item(text, self.start, self.depth)
            else:
                self.out.paragraph(text, self.start)
        self.lines = []


def text_blocks(body: str, offset: int) -> list[Block]:
    """Plain text: blank-line separated paragraphs; "- ", "* ", "• " and "1. " lines are list
    items (indented deeper: nested), a short line ending with ":" is a pseudo-heading."""
    out = Outline()
    pending = _TextBlock(out)
    indents: list[int] = []  # the indentation of each open list level
    seen = lines = 0  # newlines before offset ``seen``, counted once each
    for chunk in _CHUNK.finditer(body):
        lines += body.count("\n", seen, chunk.start())
        seen = chunk.start()
        first = offset + lines + 1
        pending.begin(first, 0)
        for k, raw in enumerate(chunk.group().rstrip("\n").split("\n")):
            number = first + k
            bullet = _BULLET.match(raw)
            if bullet:
                indent = len(bullet.group(1).expandtabs(4))
                while indents and indents[-1] > indent:
                    indents.pop()
                if not indents or indent > indents[-1]:
                    indents.append(indent)
                pending.begin(number, len(indents))
                pending.lines.append(raw[bullet.end():])
            elif not (pending.depth and raw[:1].isspace()) and is_pseudo_heading(raw):
                pending.begin(number, 0)
                indents.clear()
                out.heading(raw.strip(), number)
            else:
                if not pending.lines:
                    if not pending.depth:
                        indents.clear()
                    pending.start = number
                pending.lines.append(raw)
        pending.flush()
    return out.blocks
