"""feedback.yaml (the assessor's decisions and countersigned records) and the checks of
every signature in it with the centre's key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from evidencegen.errors import LearnerError
from evidencegen.inputs import (
    inside,
    read_text,
)
from evidencegen.models import Feedback, Note
from evidencegen.privacy import Finding, Guard
from evidencegen.schema import (
    Countersign,
    Decision,
    validate,
)
from evidencegen.signing import SigningKey, Verification
from evidencegen.yamlio import load_yaml

RECORDS_KEY = "countersigned"  # feedback.yaml: records an assessor countersigned, by file


def read_feedback(folder: Path) -> Feedback:
    """The assessor's decisions and countersignatures from feedback.yaml (absent: none yet).

    Anyone who can write in the folder can write this file: what it says counts only once
    ``signing`` has verified it with the centre's key.
    """
    path = folder / "feedback.yaml"
    if not path.is_file():
        return Feedback()
    inside(path, folder, LearnerError)
    data, lines = load_yaml(read_text(path, LearnerError), path, LearnerError)
    if data is None:
        return Feedback()
    if not isinstance(data, dict):
        raise LearnerError("feedback.yaml should list criteria, e.g. '5.2:' with a decision "
                           "under it", path, 1)
    decisions: dict[str, Decision] = {}
    where: dict[str, int] = {}
    records: dict[str, Countersign] = {}
    for key, entry in data.items():
        ac = str(key)
        sub = {k[1:]: v for k, v in lines.items() if k and k[0] == key}
        line = lines.get((key,), 1)
        if ac == RECORDS_KEY:
            if not isinstance(entry, dict):
                raise LearnerError(f"'{RECORDS_KEY}' should list record files, each with "
                                   "assessor, date, digest and signature", path, line)
            for rel, record in entry.items():
                rsub = {k[1:]: v for k, v in sub.items() if k and k[0] == rel}
                records[str(rel)] = validate(Countersign, record, rsub, path, LearnerError,
                                             first_line=sub.get((rel,), line))
            continue
        if not isinstance(entry, dict):
            raise LearnerError(f"'{ac}' should have decision, date, assessor and comments "
                               "on the lines below it", path, line)
        decisions[ac] = validate(Decision, entry, sub, path, LearnerError, first_line=line)
        where[ac] = line
    return Feedback(decisions, where, records)


def decision_checks(folder: Path, learner_id: str, name: str, feedback: Feedback,
                     key: SigningKey | None) -> tuple[Verification, ...]:
    """Every decision in feedback.yaml, checked with the centre's key (none: all claims)."""
    from evidencegen.signing import verify_decision

    return tuple(verify_decision(key, folder, learner_id, name, ac, d)
                 for ac, d in feedback.decisions.items())


def record_checks(folder: Path, learner_id: str, name: str, notes: Iterable[Note],
                   records: dict[str, Countersign], key: SigningKey | None
                   ) -> tuple[Verification, ...]:
    """Every observation or witness record among the notes, by file: countersigned or not."""
    from evidencegen.signing import verify_record

    found: dict[str, Note] = {}
    for n in notes:
        if n.type in ("observation", "witness"):
            found.setdefault(n.path.relative_to(folder).as_posix(), n)
    return tuple(verify_record(key, folder, learner_id, name, rel, n.type, records.get(rel),
                               n.author_name) for rel, n in sorted(found.items()))


def redact_signatures(found: tuple[Verification, ...], guard: Guard
                       ) -> tuple[Verification, ...]:
    """Verifications naming files by their redacted names (a file's name can hold a name)."""
    def clean(rel: str) -> str:
        return guard.redact_path(rel)[0]

    return tuple(replace(v, subject=v.subject if v.kind in ("decision", "word comment")
                         else clean(v.subject),
                         files=tuple((clean(p), d) for p, d in v.files)) for v in found)


def redact_decisions(decisions: dict[str, Decision], guard: Guard, where: str,
                      lines: dict[str, int] | None = None
                      ) -> tuple[dict[str, Decision], list[Finding]]:
    """Assessor comments (feedback.yaml, Word comments) with people and identifiers out."""
    texts = [d.comments for d in decisions.values() if d.comments]
    if not texts:
        return decisions, []
    guard = guard.discover(texts)
    out, findings = dict(decisions), []
    for ac, decision in decisions.items():
        if decision.comments:
            comments, found = guard.redact(decision.comments, where, (lines or {}).get(ac, 1))
            findings += found
            out[ac] = decision.model_copy(update={"comments": comments})
    return out, findings
