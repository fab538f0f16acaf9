"""From a judged criterion to document bytes: template, then PDF and DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from evidencegen import __version__
from evidencegen.models import CriterionCoverage
from evidencegen.render.context import build_context, input_timestamp, technique_rows
from evidencegen.render.environment import (
    find_file,
    make_environment,
    render_template,
    search_path,
)

if TYPE_CHECKING:
    from evidencegen.branding import Centre
    from evidencegen.models import Analysis


class Renderer:
    """Holds the template environment so a batch worker compiles each template once."""

    def __init__(self, templates: Path | None, pdf_variant: str = "pdf/ua-1",
                 centre: Centre | None = None):
        self.pdf_variant = pdf_variant
        self.centre = centre
        self.pages: dict[str, dict[str, tuple[int, int]]] = {}  # criterion -> section pages
        self.templates = templates.resolve() if templates else None
        self.env = make_environment(self.templates)
        self.roots = tuple(search_path(self.templates)) + ((centre.folder,) if centre else ())

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
        return self._lay_out(html, template, today, formats, category=f"evidencegen form: {form}")

    def _lay_out(self, html: str, template: Path, today: dt.date, formats: tuple[str, ...],
                 category: str = "") -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        if "docx" in formats:
            from evidencegen.render.docx import render_docx

            def mark(doc: object) -> None:
                doc.core_properties.category = category  # type: ignore[attr-defined]

            out["docx"] = render_docx(html, dt.datetime.combine(today, dt.time(12, 0)),
                                      mark if category else None,
                                      (self.centre.folder,) if self.centre else (),
                                      self.centre.word_reference if self.centre else None)
        if "pdf" in formats:
            from evidencegen.render.pdf import render_pdf_sections

            stylesheet = find_file("style.css", self.templates)
            out["pdf"], self.last_sections = render_pdf_sections(
                html, template.parent, stylesheet, self.roots, self.pdf_variant)
        return out

    def render(self, analysis: Analysis, cov: CriterionCoverage, final: bool, today: dt.date,
               formats: tuple[str, ...]) -> dict[str, bytes]:
        html, template = self.html(analysis, cov, final, today)
        self.last_sections = {}
        out = self._lay_out(html, template, today, formats)
        self.pages[cov.criterion.id] = self.last_sections
        return out

    def render_sheet(self, analysis: Analysis, files: dict[str, str], today: dt.date,
                     formats: tuple[str, ...]) -> dict[str, bytes]:
        """The evidence location sheet: every criterion, its state, where its evidence is."""
        rows = []
        for outcome in analysis.criteria.outcomes:
            for crit in outcome.criteria:
                cov = analysis.coverage[crit.id]
                notes = [n.rel for n in cov.evidence.notes()] if cov.evidence else []
                doc = files.get(crit.id)
                sections = [(label, pages) for label, pages in self.pages.get(crit.id, {}).items()
                            if label not in ("Still missing", "Authenticity declaration",
                                             "Assessor decision", "Sources")]
                rows.append({"criterion": crit, "outcome": outcome, "coverage": cov,
                             "document": doc, "sections": sections, "notes": notes})
        context = {"learner": analysis.learner, "criteria": analysis.criteria, "rows": rows,
                   "generated": today, "version": __version__, "centre": self.centre,
                   "timestamp": input_timestamp(analysis.learner)}
        html, template = render_template(self.env, ["sheet.html.j2"], context)
        return self._lay_out(html, template, today, formats)
