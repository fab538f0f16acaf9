"""Make the Word notes of the tune part of the corpus, so they can be regenerated.

    /work/main/.venv/bin/python benchmarks/corpus/tune/make_docx.py

Writes three .docx notes (their labels are in each learner's labels.yaml):

- T-04/reading/models-for-ward-3.docx: real Heading 1 / Heading 2 styles, a comparison
  table, and a "Reading" heading over the references;
- T-04/witness/2026-05-12-witness-testimony.docx: an expert witness testimony, its details
  in a two-column table, then plain paragraphs;
- T-05/sessions/2026-05-06-session-3.docx: a session note with bold-only paragraphs as
  pseudo-headings and 'List Bullet' paragraphs under them.

The core properties and the zip entries carry a fixed date, so a rerun gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def new_document(title: str, author: str) -> docx.Document:
    document = docx.Document()
    props = document.core_properties
    props.title = title
    props.author = author
    props.created = dt.datetime(2026, 11, 1, 9, 0, 0)
    props.modified = dt.datetime(2026, 11, 1, 9, 0, 0)
    props.last_modified_by = author
    document.styles["Normal"].font.size = Pt(11)
    return document


def save(document: docx.Document, out: Path) -> None:
    """Save, then rewrite the zip with fixed entry times so a rerun gives the same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(out)
    with zipfile.ZipFile(out) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def bold_paragraph(document: docx.Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True


def models_for_ward_3() -> None:
    d = new_document("Models for mentoring", "Nadia Hussain")
    d.add_heading("Models for mentoring: what would suit a rehabilitation ward", level=1)
    d.add_paragraph(
        "This piece compares three models I came across while getting ready to mentor D: "
        "preceptorship, GROW and CLEAR."
    )

    d.add_heading("Preceptorship", level=2)
    d.add_paragraph(
        "Preceptorship is a set period of structured support, often about a year, for someone "
        "newly qualified or new to a role, given by an experienced practitioner called a "
        "preceptor. There is a list of competences to be signed off, and protected time is "
        "meant to be built into the rota."
    )
    d.add_paragraph(
        "Its main strength is that expectations are written down, so the new starter and the "
        "ward both know what being ready looks like. The weakness is that it can turn into a "
        "tick-box exercise: when the ward is short, sign-offs get rushed and the conversation "
        "about how the person is coping gets lost."
    )
    d.add_paragraph(
        "On Ward 3 every new support worker already has a preceptorship pack, so D has one "
        "running alongside our mentoring."
    )

    d.add_heading("GROW", level=2)
    d.add_paragraph(
        "GROW comes from coaching and gives a single conversation four stages: Goal, Reality, "
        "Options and Will. It works in busy places because a short GROW conversation can be "
        "done in fifteen minutes at the end of a shift. However, it starts from a goal, and a "
        "new starter often cannot say what her goal is until she understands the job."
    )

    d.add_heading("CLEAR", level=2)
    d.add_paragraph(
        "CLEAR was put forward by Peter Hawkins and has five stages: Contract, Listen, "
        "Explore, Action and Review."
    )
    d.add_paragraph(
        "Its first stage is agreeing what the conversation is for and what stays private, "
        "which I found useful because D was anxious about what would be passed on to the "
        "nurses. The downside is that five stages take longer to work through, and on our "
        "ward the review stage is the one that gets dropped when we are called away."
    )

    d.add_heading("How they compare", level=2)
    rows = [
        ("", "Preceptorship", "GROW", "CLEAR"),
        ("What it is", "A programme lasting months", "A shape for one conversation",
         "A shape for one conversation"),
        ("Who leads", "The preceptor, against set competences", "The mentee picks the goal",
         "Mentor and mentee agree a contract first"),
        ("Best for", "New staff learning the basics safely", "Quick problem-solving on shift",
         "Sessions where trust and boundaries matter"),
        ("Weak spot", "Can become paperwork", "Needs a clear goal", "Takes longer"),
    ]
    table = d.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
            if r == 0 or c == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
    d.add_paragraph(
        "GROW and CLEAR are alike in that both give one conversation a structure, whereas "
        "preceptorship is a whole programme that lasts for months. CLEAR is more careful than "
        "GROW about the relationship, because it starts with a contract and with listening "
        "before any goal is set."
    )
    d.add_paragraph(
        "In practice I used preceptorship as the frame D was already in and CLEAR for our "
        "monthly sessions, with GROW for short conversations on shift."
    )

    d.add_heading("Reading", level=2)
    for ref in (
        "Hawkins, P. and Smith, N. (2013) Coaching, Mentoring and Organizational "
        "Consultancy: Supervision, Skills and Development. 2nd edn. Maidenhead: Open "
        "University Press.",
        "Whitmore, J. (2017) Coaching for Performance. 5th edn. London: Nicholas Brealey.",
        "Department of Health (2010) Preceptorship Framework for Newly Registered Nurses, "
        "Midwives and Allied Health Professionals. London: DH.",
    ):
        d.add_paragraph(ref)
    out = HERE / "T-04" / "reading" / "models-for-ward-3.docx"
    save(d, out)


def witness_testimony() -> None:
    d = new_document("Expert witness testimony", "K. Adebayo")
    d.add_paragraph("Expert witness testimony – Unit 435 Mentoring in social care", style="Title")
    details = [
        ("Learner", "Nadia Hussain (T-04)"),
        ("Witness", "K. Adebayo, Ward Sister, Ward 3"),
        ("Date of session", "12 May 2026"),
        ("Mentee", "Mentee D"),
        ("Criteria", "5.2"),
    ]
    table = d.add_table(rows=len(details), cols=2)
    table.style = "Table Grid"
    for r, (key, value) in enumerate(details):
        table.cell(r, 0).text = key
        table.cell(r, 1).text = value
    for text in (
        "I have been the ward sister on Ward 3 for six years and have worked with Nadia since "
        "she joined the ward in 2023.",
        "I was present for the whole of Nadia's mentoring session with D on 12 May in the "
        "ward seminar room, with the agreement of both of them.",
        "Nadia opened by going back to the goals they set in February and asked D to say "
        "where she was with each one.",
        "She then gave D clear and specific feedback on a handover she had overheard that "
        "morning, explaining that the time of the last painkillers had been left out and why "
        "the next shift needs it.",
        "Her explanations were plain and free of jargon, and she checked that D had "
        "understood before moving on.",
        "Before they finished they booked the June session for the same day and time.",
        "I did not see any conflict between them during the session.",
        "As a Trust we value mentoring highly and it is part of our workforce plan.",
        "Signed: K. Adebayo, Ward Sister",
    ):
        d.add_paragraph(text)
    out = HERE / "T-04" / "witness" / "2026-05-12-witness-testimony.docx"
    save(d, out)


def session_3_mentee_e() -> None:
    d = new_document("Mentoring session 3", "Bernadette Walsh")
    bold_paragraph(d, "Mentoring session 3 – Mentee E – 6 May 2026")
    d.add_paragraph(
        "We met in the sensory room at Oakfield at half past three, after the members had "
        "gone home on the transport."
    )
    sections = [
        ("What E wanted to talk about", [
            "The new art group she has started running on Wednesday mornings.",
            "A member's wife who keeps ringing her on her personal mobile.",
        ]),
        ("What I did", [
            "I asked E to start, and let her talk about the art group for as long as she wanted.",
            "Told her the art group was one of the best new things at the centre this year, "
            "and that two members' families had mentioned it to me.",
            "On the phone calls, I said honestly that giving out her own number had been a "
            "mistake and explained why, without making her feel stupid.",
            "We role-played what she could say to the wife next time she rings.",
        ]),
        ("Agreed", [
            "E will decide herself how to tell the wife about the office number, and let me "
            "know what she chose.",
            "We keep our three-weekly Wednesday slot; the next one is 27 May.",
        ]),
        ("Not covered", [
            "I did not get to her goals sheet this time.",
        ]),
        ("Other", [
            "The centre manager is setting up a feedback form for families, to go out in June.",
        ]),
    ]
    for heading, items in sections:
        bold_paragraph(d, heading)
        for item in items:
            d.add_paragraph(item, style="List Bullet")
    out = HERE / "T-05" / "sessions" / "2026-05-06-session-3.docx"
    save(d, out)


def main() -> None:
    models_for_ward_3()
    witness_testimony()
    session_3_mentee_e()
    for path in sorted(HERE.glob("*/*/*.docx")):
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()
