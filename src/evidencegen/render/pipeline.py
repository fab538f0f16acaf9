"""From a judged criterion to document bytes: template, then PDF and DOCX.

Rendering keeps no state between calls: each function returns what it made (the files, and
where the PDF layout put each section), and the location sheet is given those sections. The
one thing shared is the template environment, cached per process for each state of the
template folders (render/environment.py), so a batch worker compiles each template once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html

from evidencegen import __version__
from evidencegen.models import CriterionCoverage
from evidencegen.render.context import build_context, input_timestamp, technique_rows
from evidencegen.render.environment import (
    environment,
    find_file,
    render_template,
    search_path,
)

if TYPE_CHECKING:
    from evidencegen.branding import Centre
    from evidencegen.models import Analysis
    from evidencegen.render.docx import FinishDocx
    from evidencegen.render.environment import Sandbox

# Sections the location sheet does not cite: they hold no evidence (by heading id).
NOT_EVIDENCE = frozenset({"missing", "sources", "declaration", "assessor"})


@dataclass(frozen=True)
class Section:
    """A top-level section (h2) of a document: its id, heading, and the PDF pages it runs
    over (first, last), or None when no PDF was laid out."""

    id: str
    label: str
    pages: tuple[int, int] | None = None


@dataclass(frozen=True)
class Rendered:
    """One document in each format asked for, and its sections."""

    files: dict[str, bytes]
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """What the location sheet says of one criterion's document: its file stem and its
    sections (with PDF pages when a PDF was made)."""

    stem: str
    sections: tuple[Section, ...] = ()


def _headings(html: str) -> list[tuple[str, str]]:
    body = lxml.html.document_fromstring(html).find("body")
    if body is None:
        return []
    return [(h.get("id", ""), " ".join(h.text_content().split()))
            for h in body.iter("h2") if h.get("id")]


def _sections(html: str, anchors: dict[str, int] | None, last: int) -> tuple[Section, ...]:
    """Each h2 and, from the layout, the pages from its own to the next h2's (a section can
    end on the page where the next begins)."""
    heads = _headings(html)
    if anchors is None:
        return tuple(Section(ident, label) for ident, label in heads)
    found = [(ident, label, anchors[ident]) for ident, label in heads if ident in anchors]
    out = []
    for n, (ident, label, start) in enumerate(found):
        end = found[n + 1][2] if n + 1 < len(found) else last
        out.append(Section(ident, label, (start, max(start, end))))
    return tuple(out)


@dataclass(frozen=True)
class Renderer:
    """The settings a learner's documents are rendered with; every method is a pure
    function of them and its arguments."""

    templates: Path | None = None
    pdf_variant: str = "pdf/ua-1"
    centre: Centre | None = None

    def __post_init__(self) -> None:
        if self.templates is not None:
            object.__setattr__(self, "templates", self.templates.resolve())

    @property
    def env(self) -> Sandbox:
        return environment(self.templates)

    @property
    def roots(self) -> tuple[Path, ...]:
        return tuple(search_path(self.templates)) + ((self.centre.folder,) if self.centre
                                                     else ())

    def html(self, analysis: Analysis, cov: CriterionCoverage, final: bool,
             today: dt.date) -> tuple[str, Path]:
        ctx = build_context(analysis.learner, analysis.criteria, cov, final, today)
        ctx.centre = self.centre
        names = [f"criterion-{cov.criterion.id}.html.j2", "criterion.html.j2"]
        return render_template(self.env, names, ctx.as_template_vars())

    def render_form(self, analysis: Analysis, cov: CriterionCoverage, form: str, name: str,
                    today: dt.date, formats: tuple[str, ...]) -> dict[str, bytes]:
        """An assessor form; its Word file is marked so a completed copy reads back as one."""
        learner = analysis.learner
        rows = technique_rows(cov) if cov.criterion.elements else []
        sessions = [n for n in (cov.evidence.notes() if cov.evidence else [])
                    if n.type == "session" and n.mentee]
        mentees = sorted({n.mentee for n in sessions if n.mentee}) or list(learner.mentees)
        context = {
            "learner": learner, "criteria": analysis.criteria, "criterion": cov.criterion,
            "form": form, "form_name": name, "claimed": rows, "mentees": mentees,
            "doc_title": f"{name}: {learner.learner_id} Unit {analysis.criteria.unit.number} "
                         f"AC {cov.criterion.id}",
            "version": __version__, "centre": self.centre,
        }
        html, template = render_template(self.env, [f"form-{form}.html.j2", "form.html.j2"],
                                         context)
        return self._lay_out(html, template, today, formats,
                             category=f"evidencegen form: {form}").files

    def _lay_out(self, html: str, template: Path, today: dt.date, formats: tuple[str, ...],
                 category: str = "") -> Rendered:
        """Both formats from one HTML. pandoc converts the Word file in its own process
        while WeasyPrint lays out the PDF; the Word contents then shows the PDF's pages until
        Word counts its own."""
        finish_docx = self._start_docx(html, today, category) if "docx" in formats else None
        laid = None
        if "pdf" in formats:
            from evidencegen.render.pdf import lay_out_pdf

            laid = lay_out_pdf(html, template.parent, find_file("style.css", self.templates),
                               self.roots, self.pdf_variant)
        out: dict[str, bytes] = {}
        if finish_docx is not None:
            out["docx"] = finish_docx(laid.anchors if laid else None)
        if laid is not None:
            out["pdf"] = laid.data
        return Rendered(out, _sections(html, laid.anchors if laid else None,
                                       laid.pages if laid else 0))

    def _start_docx(self, html: str, today: dt.date, category: str = "") -> FinishDocx:
        from evidencegen.render.docx import start_docx

        def mark(doc: object) -> None:
            doc.core_properties.category = category  # type: ignore[attr-defined]

        return start_docx(html, dt.datetime.combine(today, dt.time(12, 0)),
                          mark if category else None,
                          (self.centre.folder,) if self.centre else (),
                          self.centre.word_reference if self.centre else None)

    def render(self, analysis: Analysis, cov: CriterionCoverage, final: bool, today: dt.date,
               formats: tuple[str, ...]) -> Rendered:
        html, template = self.html(analysis, cov, final, today)
        return self._lay_out(html, template, today, formats)

    def render_sheet(self, analysis: Analysis, documents: dict[str, Sheet], today: dt.date,
                     formats: tuple[str, ...]) -> dict[str, bytes]:
        """The evidence location sheet: every criterion, its state, where its evidence is.

        ``documents`` holds each documented criterion's file stem and sections as
        ``render`` returned them. Each format's sheet links to the documents of its own
        format (Word to .docx at the heading's bookmark, PDF to .pdf at the heading's named
        destination); the page numbers cited are the PDF's, said as such.
        """
        out: dict[str, bytes] = {}
        finish_docx = None
        if "docx" in formats:  # converting while the PDF's sheet is laid out
            html, _ = self.sheet_html(analysis, documents, today, "docx")
            finish_docx = self._start_docx(html, today)
        if "pdf" in formats:
            html, template = self.sheet_html(analysis, documents, today, "pdf")
            out.update(self._lay_out(html, template, today, ("pdf",)).files)
        if finish_docx is not None:
            out["docx"] = finish_docx(None)
        return out

    def sheet_html(self, analysis: Analysis, documents: dict[str, Sheet], today: dt.date,
                   fmt: str) -> tuple[str, Path]:
        """The location sheet's HTML for one format (``docx`` or ``pdf``)."""
        from evidencegen.render.layout import heading_mark

        rows = []
        paged = False
        for outcome in analysis.criteria.outcomes:
            for crit in outcome.criteria:
                cov = analysis.coverage[crit.id]
                notes = [n.rel for n in cov.evidence.notes()] if cov.evidence else []
                doc = documents.get(crit.id)
                name = f"{doc.stem}.{fmt}" if doc else None
                sections = []
                for s in doc.sections if doc else ():
                    if s.id in NOT_EVIDENCE:
                        continue
                    anchor = heading_mark(s.id) if fmt == "docx" else f"nameddest={s.id}"
                    sections.append({"label": s.label, "pages": s.pages,
                                     "href": f"{name}#{anchor}"})
                    paged = paged or s.pages is not None
                rows.append({"criterion": crit, "outcome": outcome, "coverage": cov,
                             "document": name, "sections": sections, "notes": notes})
        context = {"learner": analysis.learner, "criteria": analysis.criteria, "rows": rows,
                   "generated": today, "version": __version__, "centre": self.centre,
                   "timestamp": input_timestamp(analysis.learner), "format": fmt,
                   "paged": paged}
        return render_template(self.env, ["sheet.html.j2"], context)
