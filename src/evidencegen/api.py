"""The library API behind the CLI: analyse a learner folder, build her evidence documents.

Everything is read, checked, mapped and rendered before anything is written, so a bad note
or template stops the run with nothing half-made in OUT.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidencegen import fingerprints
from evidencegen.coverage import CriterionCoverage, Facts, coverage_json, judge_all
from evidencegen.criteria import CriteriaSet, Criterion, apply_overrides, resolve_criteria
from evidencegen.errors import CriteriaError, LearnerError, PrivacyError
from evidencegen.mapping import CriterionMap, map_notes
from evidencegen.output import safe_id, write_all
from evidencegen.privacy import LABELS
from evidencegen.readers import Learner, read_document, read_learner

if TYPE_CHECKING:
    from evidencegen.branding import Centre

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("evidence")
    formats: tuple[str, ...] = FORMATS
    criteria: tuple[str, ...] = ()  # empty: every criterion the tool documents
    templates: Path | None = None
    final: bool = False
    today: dt.date | None = None
    rules: Path | None = None
    strict_privacy: bool = False
    pdf_variant: str = "pdf/ua-1"
    centre: Path | None = None


@dataclass
class Analysis:
    learner: Learner
    criteria: CriteriaSet
    maps: dict[str, CriterionMap]
    coverage: dict[str, CriterionCoverage]


@dataclass
class BuildResult:
    analysis: Analysis
    folder: Path
    files: list[Path] = field(default_factory=list)
    documented: list[Criterion] = field(default_factory=list)


def analyse(
    folder: Path, exclude: tuple[Path, ...] = (), today: dt.date | None = None,
    rules: Path | None = None, extra_fingerprints: tuple[Path, ...] = (),
) -> Analysis:
    """Read a learner folder (or one document) and judge every criterion of her unit."""
    learner = read_document(folder) if folder.is_file() else read_learner(folder, exclude)
    criteria = resolve_criteria(learner.criteria, learner.folder, learner.folder / "learner.yaml")
    if rules is not None:
        criteria = apply_overrides(criteria, rules)
    for note in learner.notes:
        for ac in note.criteria:
            criteria.require(ac, note.path, note.criteria_line)
    for ac, line in learner.feedback_lines.items():
        criteria.require(ac, learner.folder / "feedback.yaml", line)
    maps = map_notes(criteria, learner.notes, learner)
    sources = fingerprints.shipped() + tuple(
        s for path in extra_fingerprints for s in fingerprints.load_file(path))
    facts = Facts(learner, today or dt.date.today(), sources)
    return Analysis(learner, criteria, maps, judge_all(criteria, maps, facts))


def _centre(options: BuildOptions) -> Centre | None:
    from evidencegen.branding import load_centre

    return load_centre(options.centre) if options.centre is not None else None


def _today() -> dt.date:
    """The day of judging and of the documents: SOURCE_DATE_EPOCH's day when it is set."""
    from evidencegen.render.context import source_date_epoch

    fixed = source_date_epoch()
    return fixed.date() if fixed else dt.date.today()


def refuse_personal_data(analysis: Analysis, strict: bool) -> None:
    """Under --strict-privacy, personal data anywhere stops the run before any writing."""
    found = analysis.learner.privacy
    if strict and found:
        first = found[0]
        more = f", and {len(found) - 1} more" if len(found) > 1 else ""
        raise PrivacyError(f"{LABELS[first.kind]}{more}; nothing was written "
                           "(--strict-privacy): remove it from the notes",
                           analysis.learner.folder / first.path, first.line)


def select_criteria(criteria: CriteriaSet, wanted: tuple[str, ...]) -> list[Criterion]:
    if not wanted:
        return criteria.documented()
    return [criteria.require(ac) for ac in dict.fromkeys(wanted)]


def file_stem(learner: Learner, criteria: CriteriaSet, criterion: Criterion) -> str:
    return f"{safe_id(learner.learner_id)}_{safe_id(criteria.unit.number)}_{criterion.id}"


def build(folder: Path, options: BuildOptions) -> BuildResult:
    """Build the documents and coverage.json for one learner into OUT/<safe learner id>/."""
    from evidencegen.render.pipeline import Renderer  # heavy: WeasyPrint, python-docx

    out = options.out.resolve()
    today = options.today or _today()
    if folder.is_file():
        raise LearnerError("build needs a learner folder (with learner.yaml), not one file; "
                           "use 'evidencegen check' to check a single document", folder)
    analysis = analyse(folder, exclude=(out,), today=today, rules=options.rules)
    learner, criteria = analysis.learner, analysis.criteria
    refuse_personal_data(analysis, options.strict_privacy)
    chosen = select_criteria(criteria, options.criteria)
    if not chosen:
        raise CriteriaError(f"criteria file '{criteria.id}' marks no criterion for documents")
    target = out / safe_id(learner.learner_id, learner.folder / "learner.yaml")
    renderer = Renderer(options.templates, options.pdf_variant, _centre(options))
    files: dict[str, bytes] = {}
    documents: dict[str, str] = {}
    for crit in chosen:
        stem = file_stem(learner, criteria, crit)
        rendered = renderer.render(analysis, analysis.coverage[crit.id], options.final, today,
                                   options.formats)
        for fmt, data in rendered.items():
            files[f"{stem}.{fmt}"] = data
        documents[crit.id] = f"{stem}.{'pdf' if 'pdf' in rendered else 'docx'}"
    sheet = renderer.render_sheet(analysis, documents, today, options.formats)
    sheet_stem = f"{safe_id(learner.learner_id)}_{safe_id(criteria.unit.number)}_evidence-location"
    for fmt, data in sheet.items():
        files[f"{sheet_stem}.{fmt}"] = data
    report = coverage_json(learner, criteria, analysis.coverage, today.isoformat())
    files["coverage.json"] = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode()
    written = write_all(target, files)
    return BuildResult(analysis, target, written, chosen)


FORMS = {"observation": "Observation record", "witness": "Expert witness testimony"}


def forms(folder: Path, options: BuildOptions) -> BuildResult:
    """Observation and witness forms for competence criteria, pre-filled from her notes."""
    from evidencegen.render.pipeline import Renderer

    out = options.out.resolve()
    today = options.today or dt.date.today()
    analysis = analyse(folder, exclude=(out,), today=today, rules=options.rules)
    learner, criteria = analysis.learner, analysis.criteria
    if options.criteria:
        chosen = select_criteria(criteria, options.criteria)
        for crit in chosen:
            if crit.kind != "competence":
                raise CriteriaError(f"{crit.id} is a knowledge criterion: it is evidenced by "
                                    "written work, not by observation")
    else:
        chosen = [c for c in criteria.documented() if c.kind == "competence"]
    renderer = Renderer(options.templates, options.pdf_variant, _centre(options))
    files: dict[str, bytes] = {}
    for crit in chosen:
        for form in FORMS:
            rendered = renderer.render_form(analysis, analysis.coverage[crit.id], form,
                                            FORMS[form], today, options.formats)
            stem = f"{file_stem(learner, criteria, crit)}_{FORMS[form].lower().replace(' ', '-')}"
            for fmt, data in rendered.items():
                files[f"{stem}.{fmt}"] = data
    target = out / safe_id(learner.learner_id, learner.folder / "learner.yaml")
    return BuildResult(analysis, target, write_all(target, files), chosen)
