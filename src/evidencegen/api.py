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
from evidencegen.coverage import Facts, coverage_json, judge_all
from evidencegen.criteria import CriteriaSet, Criterion, apply_overrides, resolve_criteria
from evidencegen.errors import CriteriaError, LearnerError, PrivacyError
from evidencegen.mapping import map_notes
from evidencegen.models import Analysis, Learner
from evidencegen.output import safe_id, write_all
from evidencegen.privacy import LABELS
from evidencegen.readers import read_document, read_learner
from evidencegen.signing import SigningKey, load_key

if TYPE_CHECKING:
    from evidencegen.branding import Centre
    from evidencegen.models import Feedback
    from evidencegen.schema import Countersign, Decision

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
    signing_key: Path | None = None  # the centre's key, to verify decisions and records


@dataclass
class BuildResult:
    analysis: Analysis
    folder: Path
    files: list[Path] = field(default_factory=list)
    documented: list[Criterion] = field(default_factory=list)


def analyse(
    folder: Path, exclude: tuple[Path, ...] = (), today: dt.date | None = None,
    rules: Path | None = None, extra_fingerprints: tuple[Path, ...] = (),
    key: SigningKey | None = None,
) -> Analysis:
    """Read a learner folder (or one document) and judge every criterion of her unit.

    Decisions and observation records count only when verified with ``key``; without one,
    they are shown as unverified claims.
    """
    learner = read_document(folder, key) if folder.is_file() else \
        read_learner(folder, exclude, key)
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


def _key(options: BuildOptions) -> SigningKey | None:
    return load_key(options.signing_key) if options.signing_key is not None else None


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
    from evidencegen.render.pipeline import Renderer, Sheet  # heavy: WeasyPrint, python-docx

    out = options.out.resolve()
    today = options.today or _today()
    if folder.is_file():
        raise LearnerError("build needs a learner folder (with learner.yaml), not one file; "
                           "use 'evidencegen check' to check a single document", folder)
    analysis = analyse(folder, exclude=(out,), today=today, rules=options.rules,
                       key=_key(options))
    learner, criteria = analysis.learner, analysis.criteria
    refuse_personal_data(analysis, options.strict_privacy)
    chosen = select_criteria(criteria, options.criteria)
    if not chosen:
        raise CriteriaError(f"criteria file '{criteria.id}' marks no criterion for documents")
    target = out / safe_id(learner.learner_id, learner.folder / "learner.yaml")
    renderer = Renderer(options.templates, options.pdf_variant, _centre(options))
    files: dict[str, bytes] = {}
    documents: dict[str, Sheet] = {}
    for crit in chosen:
        stem = file_stem(learner, criteria, crit)
        rendered = renderer.render(analysis, analysis.coverage[crit.id], options.final, today,
                                   options.formats)
        for fmt, data in rendered.files.items():
            files[f"{stem}.{fmt}"] = data
        documents[crit.id] = Sheet(stem, rendered.sections)
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
    analysis = analyse(folder, exclude=(out,), today=today, rules=options.rules,
                       key=_key(options))
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


def _entry(model: Decision | Countersign) -> dict[str, object]:
    data = model.model_dump(exclude_none=True)
    return {k: v for k, v in data.items() if v != {}}


def write_feedback(folder: Path, feedback: Feedback) -> Path:
    """feedback.yaml, rewritten in its readable form with every signature kept."""
    import yaml

    from evidencegen.output import write_atomic
    from evidencegen.readers import RECORDS_KEY

    data: dict[str, object] = {ac: _entry(d) for ac, d in feedback.decisions.items()}
    if feedback.records:
        data[RECORDS_KEY] = {rel: _entry(c) for rel, c in sorted(feedback.records.items())}
    head = ("# Assessor decisions and countersigned records, written by 'evidencegen decide'\n"
            "# and 'evidencegen sign'. A signature covers the entry and the exact text of the\n"
            "# files it names: an edit to either makes it an unverified claim.\n")
    text = head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    path = folder / "feedback.yaml"
    write_atomic(path, text.encode("utf-8"))
    return path


def _assessor(name: str, learner: Learner) -> str:
    from evidencegen.signing import same_person

    name = " ".join(name.split())
    if not name:
        raise LearnerError("--assessor needs the assessor's name")
    if same_person(name, learner.name):
        raise LearnerError(f"the assessor '{name}' is the learner herself; a learner cannot "
                           "sign her own work off", learner.folder / "learner.yaml")
    return name


@dataclass(frozen=True)
class Signed:
    """What decide or sign wrote: the entry and the exact files its signature covers."""

    subject: str
    files: tuple[str, ...]
    path: Path


def decide(folder: Path, ac: str, verdict: str, assessor: str, key: SigningKey,
           comments: str | None = None, date: dt.date | None = None) -> Signed:
    """Record an assessor's decision in feedback.yaml, signed over the evidence as it is now.

    The evidence is every file that gave the criterion evidence (its notes and records):
    editing one of them afterwards voids the decision; adding a new note does not.
    """
    from evidencegen.models import Feedback
    from evidencegen.readers import read_feedback
    from evidencegen.schema import Decision
    from evidencegen.signing import decision_payload, file_digest, sign

    folder = folder.resolve()
    analysis = analyse(folder, key=key)
    learner = analysis.learner
    crit = analysis.criteria.require(ac)
    name = _assessor(assessor, learner)
    files = sorted({n.path.relative_to(folder).as_posix() for n in
                    analysis.maps[crit.id].notes()})
    decision = Decision(decision=verdict, date=date or _today(), assessor=name,
                        comments=" ".join((comments or "").split()) or None,
                        evidence={rel: file_digest(folder / rel) for rel in files})
    decision = decision.model_copy(update={"signature": sign(
        key, decision_payload(learner.learner_id, crit.id, decision))})
    old = read_feedback(folder)
    written = write_feedback(folder, Feedback({**old.decisions, crit.id: decision}, {},
                                              old.records))
    return Signed(crit.id, tuple(files), written)


def countersign(folder: Path, record: Path, assessor: str, key: SigningKey,
                date: dt.date | None = None) -> Signed:
    """Countersign an observation or witness record over its exact text, in feedback.yaml."""
    from evidencegen.models import Feedback
    from evidencegen.readers import read_feedback
    from evidencegen.schema import Countersign
    from evidencegen.signing import file_digest, record_payload, sign

    folder = folder.resolve()
    path = record if record.is_absolute() else (
        folder / record if (folder / record).exists() else Path.cwd() / record)
    path = path.resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise LearnerError("no such record in the learner's folder", record)
    learner = read_learner(folder, key=key)
    rel = path.relative_to(folder).as_posix()
    kinds = {n.type for n in learner.notes if n.path == path}
    if not kinds & {"observation", "witness"}:
        said = f"it reads as {', '.join(sorted(kinds))}" if kinds else "it is not read as a note"
        raise LearnerError(f"only observation and witness records are countersigned; {said} "
                           "(give it 'type: observation' or put it in observations/)", path)
    entry = Countersign(assessor=_assessor(assessor, learner), date=date or _today(),
                        digest=file_digest(path))
    entry = entry.model_copy(update={"signature": sign(
        key, record_payload(learner.learner_id, rel, entry))})
    old = read_feedback(folder)
    written = write_feedback(folder, Feedback(old.decisions, {}, {**old.records, rel: entry}))
    return Signed(rel, (rel,), written)
