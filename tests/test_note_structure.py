"""Notes as structured text: pseudo-headings, labels, nested lists, tables, body references."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import note
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from evidencegen.models import Block, Note
from evidencegen.readers import read_learner


def _read(learner_dir, body: str, name: str = "reading/models.md",
          meta: dict[str, object] | None = None) -> Note:
    folder = learner_dir({name: note(meta, body)})
    (n,) = read_learner(folder).notes
    return n


def _by_text(n: Note) -> dict[str, Block]:
    """Each block by its text (the first, where two have the same text)."""
    found: dict[str, Block] = {}
    for b in n.blocks:
        found.setdefault(b.text, b)
    return found


def test_a_bold_only_paragraph_is_a_heading_one_level_below_the_current_one(learner_dir) -> None:
    n = _read(learner_dir, """
        # Models
        ## Coaching
        **Strengths**

        It is cheap.

        __Why I chose it__

        It suits nights.
        """)
    b = _by_text(n)
    assert (b["Strengths"].kind, b["Strengths"].level) == ("heading", 3)
    assert b["Strengths"].context == ("Models", "Coaching")
    assert b["It is cheap."].context == ("Models", "Coaching", "Strengths")
    # a second pseudo-heading is a sibling of the first, not nested in it
    assert (b["Why I chose it"].kind, b["Why I chose it"].level) == ("heading", 3)
    assert b["It suits nights."].context == ("Models", "Coaching", "Why I chose it")


def test_a_short_line_ending_with_a_colon_on_its_own_is_a_heading(learner_dir) -> None:
    n = _read(learner_dir, """
        What went well:

        We met on time and she talked freely.
        """, name="sessions/2026-04-01-a.md")
    heading, para = n.blocks
    assert (heading.kind, heading.level, heading.text, heading.label) == (
        "heading", 1, "What went well:", "What went well")
    assert para.context == ("What went well",)
    assert n.words == 8  # a heading's words are not evidence


def test_a_bold_sentence_and_a_colon_line_with_text_below_are_not_headings(learner_dir) -> None:
    n = _read(learner_dir, """
        **I listened to her without interrupting at all, even when I disagreed.**

        What went well:
        we met on time.
        """)
    assert [b.kind for b in n.blocks] == ["paragraph", "paragraph"]
    assert n.blocks[1].label == "What went well"


@pytest.mark.parametrize(("line", "label"), [
    ("Strengths: it is cheap", "Strengths"),
    ("Cons \u2013 slow to arrange", "Cons"),
    ("Cons - slow to arrange", "Cons"),
    ("Cons \u2014 slow to arrange", "Cons"),
    ("**Plus side:** it costs nothing", "Plus side"),
    ("**Plus side**: it costs nothing", "Plus side"),
])
def test_a_paragraph_or_list_item_starting_with_a_short_label_has_it(
        learner_dir, line: str, label: str) -> None:
    n = _read(learner_dir, f"{line}\n\n- {line}\n")
    para, item = n.blocks
    assert (para.kind, para.label) == ("paragraph", label)
    assert (item.kind, item.label) == ("list_item", label)
    assert para.text == line.replace("**", "")  # markup removed, the label kept


@pytest.mark.parametrize("line", [
    "What I would most like to change next time: more time",  # more than four words
    "I waited, then - at last - she spoke",  # a sentence, not a label
    "At 10:30 we met",
])
def test_a_sentence_is_not_taken_for_a_label(learner_dir, line: str) -> None:
    assert _read(learner_dir, line).blocks[0].label is None


def test_nested_list_items_sit_under_the_model_and_the_label_above_them(learner_dir) -> None:
    n = _read(learner_dir, """
        # Models of mentoring

        - Coaching
          - Strengths:
            - cheap
          - Weaknesses:
            - slow
        - Peer mentoring
          - friendly

        # Comparing them

        Coaching is quicker than peer mentoring.
        """)
    b = _by_text(n)
    assert (b["Weaknesses:"].kind, b["Weaknesses:"].level, b["Weaknesses:"].label) == (
        "list_item", 2, "Weaknesses")
    assert b["slow"].context == ("Models of mentoring", "Coaching", "Weaknesses")
    assert b["slow"].level == 3
    assert b["cheap"].context == ("Models of mentoring", "Coaching", "Strengths")
    assert b["friendly"].context == ("Models of mentoring", "Peer mentoring")
    assert b["Peer mentoring"].context == ("Models of mentoring",)
    # a new heading of the same level ends the list and the heading above
    assert b["Coaching is quicker than peer mentoring."].context == ("Comparing them",)
    assert b["Comparing them"].context == ()


def test_a_markdown_table_gives_one_block_per_body_cell(learner_dir) -> None:
    n = _read(learner_dir, """
        ## Comparing the models

        | Model | Strength | Weakness |
        |---|---|---|
        | Coaching | It is cheap. | slow |
        | Peer | friendly | |

        After the table.
        """)
    cells = [b for b in n.blocks if b.kind == "table_cell"]
    assert [(c.text, c.table, c.row, c.column, c.header, c.line) for c in cells] == [
        ("Coaching", 0, 0, 0, "Model", 5), ("It is cheap.", 0, 0, 1, "Strength", 5),
        ("slow", 0, 0, 2, "Weakness", 5), ("Peer", 0, 1, 0, "Model", 6),
        ("friendly", 0, 1, 1, "Strength", 6)]
    assert cells[2].context == ("Comparing the models", "Coaching")
    assert cells[0].context == ("Comparing the models",)
    assert "Strength" not in [b.text for b in n.blocks]  # header cells are not blocks
    assert (n.sentences[2].text, n.sentences[2].line) == ("It is cheap.", 5)
    assert "<table>" in n.html and "<td>It is cheap.</td>" in n.html
    assert _by_text(n)["After the table."].kind == "paragraph"


def test_a_second_paragraph_of_a_list_item_stays_in_the_list(learner_dir) -> None:
    n = _read(learner_dir, """
        - Coaching

          It is slow. It is
          costly.
        - Peer
        """)
    b = _by_text(n)
    assert (b["It is slow. It is costly."].kind, b["It is slow. It is costly."].level) == (
        "list_item", 1)
    assert b["It is slow. It is costly."].context == ("Coaching",)
    assert [(s.text, s.line) for s in b["It is slow. It is costly."].sentences] == [
        ("It is slow.", 3), ("It is costly.", 3)]
    assert b["Peer"].context == ()


def test_text_notes_have_list_items_and_colon_headings(learner_dir) -> None:
    n = _read(learner_dir, (
        "What went well:\n"
        "- Coaching\n"
        "  - Weaknesses:\n"
        "    - slow\n"
        "\u2022 a bullet\n"
        "1. first step\n"
        "continues here\n"
        "\n"
        "A paragraph\n"
        "over two lines.\n"), name="reading/notes.txt")
    assert [(b.kind, b.level, b.text, b.line, b.context) for b in n.blocks] == [
        ("heading", 1, "What went well:", 1, ()),
        ("list_item", 1, "Coaching", 2, ("What went well",)),
        ("list_item", 2, "Weaknesses:", 3, ("What went well", "Coaching")),
        ("list_item", 3, "slow", 4, ("What went well", "Coaching", "Weaknesses")),
        ("list_item", 1, "a bullet", 5, ("What went well",)),
        ("list_item", 1, "first step continues here", 6, ("What went well",)),
        ("paragraph", 0, "A paragraph over two lines.", 9, ("What went well",)),
    ]


def test_a_references_section_and_source_lines_are_references(learner_dir) -> None:
    n = _read(learner_dir, """
        # Models

        Coaching is quick. Source: my team leader's handout.

        Source: Clutterbuck, D. (2014) Everyone needs a mentor.

        **What I read**

        - Smith, A. (2020) Mentoring in care.
        - Author, B. (2019) A guide.

        ## Reading:

        Reference: Smith, A. (2020) Mentoring in care.

        ## Next steps

        - Read more.
        """, meta={"references": ["Author, B. (2019) A guide."]})
    assert n.references == (
        "Author, B. (2019) A guide.",  # front matter first, and only once
        "Clutterbuck, D. (2014) Everyone needs a mentor.",
        "Smith, A. (2020) Mentoring in care.",
    )


def _docx(path: Path) -> docx.document.Document:
    d = docx.Document()
    d.add_paragraph("Models of mentoring", style="Title")
    d.add_heading("Coaching", level=2)
    strong = d.add_paragraph()
    strong.add_run("Weaknesses").bold = True
    d.add_paragraph("It is slow to arrange.")
    d.add_paragraph("Pros: cheap", style="List Bullet")
    d.add_paragraph("slower to start", style="List Bullet 2")
    numbered = d.add_paragraph("a numbered step", style="List Paragraph")
    num_pr = OxmlElement("w:numPr")
    ilvl, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), "2")
    num_id.set(qn("w:val"), "1")
    num_pr.extend([ilvl, num_id])
    numbered._p.get_or_add_pPr().append(num_pr)
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["Model", "Strength", "Weakness"],
                             ["Coaching", "It is cheap.", "slow"],
                             ["Peer", "friendly", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 1).add_paragraph("It is quick.")
    d.add_heading("References", level=1)
    d.add_paragraph("Smith, A. (2020) Mentoring in care.", style="List Bullet")
    d.save(str(path))
    return d


def test_word_headings_bold_paragraphs_and_list_levels(learner_dir) -> None:
    folder = learner_dir()
    _docx(folder / "models.docx")
    (n,) = read_learner(folder).notes
    b = _by_text(n)
    assert (b["Models of mentoring"].kind, b["Models of mentoring"].level) == ("heading", 1)
    assert (b["Coaching"].kind, b["Coaching"].level) == ("heading", 2)
    weak = b["Weaknesses"]
    assert (weak.kind, weak.level, weak.context) == (
        "heading", 3, ("Models of mentoring", "Coaching"))
    assert b["It is slow to arrange."].context == ("Models of mentoring", "Coaching",
                                                   "Weaknesses")
    assert (b["Pros: cheap"].kind, b["Pros: cheap"].level, b["Pros: cheap"].label) == (
        "list_item", 1, "Pros")
    assert (b["slower to start"].level, b["slower to start"].context[-1]) == (2, "Pros")
    assert (b["a numbered step"].kind, b["a numbered step"].level) == ("list_item", 3)
    assert n.references == ("Smith, A. (2020) Mentoring in care.",)


def test_word_table_cells_have_header_row_column_and_context(learner_dir) -> None:
    folder = learner_dir()
    _docx(folder / "models.docx")
    (n,) = read_learner(folder).notes
    cells = [b for b in n.blocks if b.kind == "table_cell"]
    assert [(c.text, c.row, c.column, c.header) for c in cells] == [
        ("Coaching", 0, 0, "Model"), ("It is cheap. It is quick.", 0, 1, "Strength"),
        ("slow", 0, 2, "Weakness"), ("Peer", 1, 0, "Model"), ("friendly", 1, 1, "Strength")]
    assert {c.table for c in cells} == {0}
    assert cells[1].context == ("Models of mentoring", "Coaching", "Weaknesses", "Coaching")
    # paragraph numbers run on through the table: header row 8-10, then the body
    assert [(s.text, s.line) for s in cells[1].sentences] == [("It is cheap.", 12),
                                                              ("It is quick.", 13)]
    order = [b.text for b in n.blocks]
    assert order.index("a numbered step") < order.index("Coaching", 3) < order.index("References")
