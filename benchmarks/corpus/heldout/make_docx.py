"""Write the two Word notes of the held-out corpus (run with the project's venv python).

    /work/main/.venv/bin/python benchmarks/corpus/heldout/make_docx.py

The notes are the content; this script only lays them out the way a learner using Word
would: real Heading styles or bold-only paragraphs as headings, 'List Bullet' paragraphs,
and a table. Re-running it rewrites the same two files.
"""
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent


def bold_para(doc, text):
    p = doc.add_paragraph()
    p.add_run(text).bold = True
    return p


def h03_reading():
    doc = Document()
    doc.core_properties.author = "Aisha Rahman"
    doc.core_properties.title = "Models for mentoring"
    doc.add_heading("Models for mentoring: CLEAR, OSCAR and the skilled helper", level=1)
    doc.add_paragraph(
        "I chose these three because our practice development lead recommended them at the "
        "mentoring workshop in April.")

    doc.add_heading("CLEAR (Hawkins)", level=2)
    for line in [
        "Contract: agree at the start what the session is for and what is off limits.",
        "Listen: the mentor mostly listens and reflects back what she hears.",
        "Explore: look at the issue from different sides, including how the mentee feels about it.",
        "Action: the mentee decides on her own next step.",
        "Review: look back at what was agreed and how the session went.",
    ]:
        doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(
        "Its best point is the contract at the start, which makes the boundaries clear before "
        "anything personal comes up.")
    doc.add_paragraph(
        "On the other hand, five stages is a lot to get through in a thirty minute slot "
        "between shifts.")
    doc.add_paragraph(
        "With L I used the contracting stage in our first session, when we agreed what "
        "mentoring would and would not cover.")

    doc.add_heading("OSCAR", level=2)
    doc.add_paragraph("OSCAR stands for Outcome, Situation, Choices, Actions and Review.")
    doc.add_paragraph(
        "It is solution focused, so the conversation stays on what the person wants to happen "
        "and what is already going right.")
    doc.add_paragraph(
        "This suits support workers who are tired of being told what they are doing wrong.")
    doc.add_paragraph(
        "The drawback I found is that it can skip over feelings, and some problems in learning "
        "disability work are emotional before they are practical.")

    doc.add_heading("Egan's skilled helper", level=2)
    doc.add_paragraph(
        "Egan's model has three stages: the current picture, the preferred picture and the "
        "way forward.")
    doc.add_paragraph(
        "It is strong on listening and on gently challenging the blind spots a person has "
        "about their own situation.")
    doc.add_paragraph(
        "I have only read the summary chapter so far, so I cannot say much more about it yet.")

    doc.add_heading("How they compare", level=2)
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    rows = [
        ["", "CLEAR", "OSCAR", "Skilled helper"],
        ["Starts with", "agreeing a contract", "the outcome the mentee wants", "the current picture"],
        ["Main focus", "listening and exploring", "solutions and what works", "the problem, then a better future"],
        ["Who sets the next step", "the mentee", "the mentee", "mentor and mentee together"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    doc.add_paragraph(
        "Both CLEAR and OSCAR finish with a review, whereas Egan's model finishes with the way "
        "forward.")
    doc.add_paragraph(
        "OSCAR is quicker than CLEAR, which makes it the better one for our sleep-in staff, who "
        "only have a few minutes at handover.")

    bold_para(doc, "References")
    for ref in [
        "Hawkins, P. and Smith, N. (2013) Coaching, Mentoring and Organizational Consultancy. "
        "2nd edn. Maidenhead: Open University Press.",
        "Egan, G. (2014) The Skilled Helper. 10th edn. Belmont: Brooks/Cole.",
        "Fenwick Care Academy (2026) Unit 435 Mentoring in social care: study pack.",
    ]:
        doc.add_paragraph(ref, style="List Bullet")
    doc.save(HERE / "H-03" / "reading" / "2026-05-20-models-comparison.docx")


def h04_session():
    doc = Document()
    doc.core_properties.author = "Kerry-Ann Lister"
    doc.core_properties.title = "Mentoring session 1"
    bold_para(doc, "Mentoring session 1 – Mentee S")
    doc.add_paragraph("Harbour Lane, staff office, 12 May 2026, 45 minutes, face to face.")

    bold_para(doc, "Background")
    doc.add_paragraph(
        "S is a recovery worker who joined us from a bank healthcare assistant job on an acute "
        "mental health ward. She is good with tenants but finds the paperwork and the lone "
        "working hard.")

    bold_para(doc, "What we talked about")
    for line in [
        "I asked S what a good week at Harbour Lane would look like for her, and wrote her "
        "answer down in her own words.",
        "She told me about a tenant who had threatened her last month, and I gave her time to "
        "say how frightened she had been before we moved on to anything practical.",
        "The team manager had already done an incident debrief with her, so I did not go over "
        "the incident itself.",
        "We agreed one target for the month: S will complete two of her tenants' recovery star "
        "reviews on her own, with me on the end of the phone if she needs me.",
    ]:
        doc.add_paragraph(line, style="List Bullet")

    bold_para(doc, "Ground rules")
    for line in [
        "We will meet every third Tuesday, and either of us can swap the date with 48 hours' "
        "notice.",
        "Nothing S tells me goes to the team manager without her knowing, unless she or a "
        "tenant is at risk.",
    ]:
        doc.add_paragraph(line, style="List Bullet")

    bold_para(doc, "For my own learning")
    doc.add_paragraph(
        "The course handbook says flexibility is one of the most important skills a mentor "
        "can have.")
    doc.add_paragraph(
        "If S's caseload goes up in June, I might need to offer her shorter sessions.")
    doc.save(HERE / "H-04" / "sessions" / "2026-05-12-first-session.docx")


if __name__ == "__main__":
    h03_reading()
    h04_session()
