"""Judge coverage: evaluate each criterion's rules (held in the criteria data) on its evidence.

Every rule gives {rule, needed, found, met, reason}, and the reason is a sentence an
assessor would write, so the state of a criterion is never a bare colour.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evidencegen.criteria import CriteriaSet, Criterion, Rule
from evidencegen.fingerprints import Source, copied_from, runs
from evidencegen.models import (
    STATES,
    CriterionCoverage,
    CriterionMap,
    Learner,
    Note,
    RuleResult,
    day_text,
)
from evidencegen.schema import Decision
from evidencegen.signing import Verification
from evidencegen.text import plural


@dataclass(frozen=True)
class Facts:
    """What rules may look at besides the evidence: the learner, and the day of judging."""

    learner: Learner
    today: dt.date
    sources: tuple[Source, ...] = ()  # fingerprints of published text


@dataclass(frozen=True)
class _Found:
    found: int
    detail: str = ""
    mentee: str = ""
    unsigned: int = 0  # records of the kind that are there but not countersigned


def _fill(template: str, rule: Rule, found: _Found, facts: Facts | None = None) -> str:
    """A rule's text with its numbers in: ``{found}``; ``{found:day}`` for "1 day" or
    "14 days"; ``{found:sentence matches|sentences match}`` where the verb agrees too;
    ``{sessions}`` says what dated sessions there are so far ("one dated session ... so
    far"), so a gap never claims there is nothing when there is something."""
    values: dict[str, object] = {"needed": rule.max if rule.max is not None else rule.min,
                                 "found": found.found, "list": found.detail,
                                 "unsigned": found.unsigned,
                                 "mentee": found.mentee or "one mentee"}
    if facts is not None and "{sessions}" in template:
        values["sessions"] = _sessions_so_far(facts.learner)

    def put(m: re.Match[str]) -> str:
        name, forms = m.group(1), m.group(2)
        if name not in values:
            return m.group(0)
        if forms is None:
            return str(values[name])
        one, _, many = forms.partition("|")
        return plural(int(str(values[name])), one, many or None)

    text = re.sub(r"\{(\w+)(?::([^{}]+))?\}", put, template)
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _sessions_so_far(learner: Learner) -> str:
    """The dated sessions with the mentee who has most, in words, to start a gap."""
    by = _sessions_by_mentee(learner)
    if not by:
        return "no dated session with a mentee"
    mentee, sessions = max(by.items(), key=lambda kv: (len(kv[1]), kv[0]))
    days = sorted({n.date for n in sessions if n.date})
    count = plural(len(sessions), "dated session", words=True)
    if len(sessions) == 1:
        return f"{count} (with {mentee}, on {day_text(days[0])})"
    if len(days) == 1:
        return f"{count} with {mentee}, all on {day_text(days[0])},"
    return f"{count} with {mentee}"


def _mentee(note: Note, learner: Learner) -> str | None:
    if note.mentee:
        return note.mentee
    return learner.mentees[0] if len(learner.mentees) == 1 else None


def _sessions_by_mentee(learner: Learner) -> dict[str, list[Note]]:
    by: dict[str, list[Note]] = defaultdict(list)
    for note in learner.notes:
        mentee = _mentee(note, learner)
        if note.type == "session" and note.date and mentee:
            by[mentee].append(note)
    return by


def _elements_with_aspects(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    have: dict[str, set[str]] = defaultdict(set)
    for hit in cmap.hits:
        have[hit.element].update(hit.aspects)
    complete = [e for e, aspects in have.items() if set(rule.aspects) <= aspects]
    partial = []
    for element_id, aspects in have.items():
        lacking = [a for a in rule.aspects if a not in aspects]
        if lacking:
            name = cmap.element(element_id).name
            partial.append(f"{name} has no {' or '.join(lacking)} yet")
    detail = f" ({'; '.join(partial)})" if partial else ""
    return _Found(len(complete), detail)


def _comparison_statements(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    return _Found(len(cmap.comparisons))


def _elements_in_sessions(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    best = _Found(0)
    for mentee, sessions in _sessions_by_mentee(facts.learner).items():
        if len(sessions) < rule.min_sessions:
            continue
        rels = {n.rel for n in sessions}
        shown = {h.element for h in cmap.hits if h.note.rel in rels}
        if len(shown) > best.found:
            best = _Found(len(shown), mentee=mentee)
    if best.found == 0:
        best = _Found(0, f" (no mentee has {rule.min_sessions} dated sessions yet)")
    return best


def _dated_sessions(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    by = _sessions_by_mentee(facts.learner)
    undated = sum(1 for n in facts.learner.notes if n.type == "session" and not n.date)
    verb = "has" if undated == 1 else "have"
    extra = f"; {plural(undated, 'session note')} {verb} no date" if undated else ""
    if not by:
        return _Found(0, extra)
    mentee, sessions = max(by.items(), key=lambda kv: (len(kv[1]), kv[0]))
    return _Found(len(sessions), f" ({mentee}){extra}", mentee)


def _record_file(note: Note) -> str:
    return note.rel.partition("#")[0]


def verified_records(learner: Learner) -> frozenset[str]:
    """The observation and witness records an assessor countersigned with the centre's key."""
    return frozenset(s.subject for s in learner.signatures
                     if s.kind in ("observation", "witness") and s.verified)


def _note_types(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    # an observation or witness record counts only once countersigned: anyone can write
    # 'type: observation' and an assessor's name in front matter
    signed = verified_records(facts.learner)
    kinds = [n for n in cmap.notes() if n.type in rule.note_types]
    counted = [n for n in kinds
               if n.type not in ("observation", "witness") or _record_file(n) in signed]
    return _Found(len(counted), unsigned=len({_record_file(n) for n in kinds} -
                                             {_record_file(n) for n in counted}))


def _aspect_count(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    return _Found(sum(1 for h in cmap.hits if set(h.aspects) & set(rule.aspects)))


def _references(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    return _Found(len({r for n in cmap.notes() for r in n.references}))


def _session_span(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    by = _sessions_by_mentee(facts.learner)
    if not by:
        return _Found(0)
    mentee, sessions = max(by.items(), key=lambda kv: (len(kv[1]), kv[0]))
    dates = sorted(n.date for n in sessions if n.date)
    span = (dates[-1] - dates[0]).days
    return _Found(span, f" ({mentee}: {day_text(dates[0])} to {day_text(dates[-1])})", mentee)


def _sessions_out_of_range(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    start = facts.learner.programme_start
    problems = []
    for note in facts.learner.notes:
        if note.type != "session":
            continue
        if note.date is None:
            problems.append(f"{note.rel} has no date")
        elif note.date > facts.today:
            problems.append(f"{note.rel} is dated in the future ({day_text(note.date)})")
        elif start and note.date < start:
            problems.append(f"{note.rel} is dated before the programme started "
                            f"({day_text(note.date)}, programme start {day_text(start)})")
    return _Found(len(problems), f": {'; '.join(problems)}" if problems else "")


def _copied_text(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    found = []
    for note in cmap.notes():
        if note.type in ("observation", "witness"):
            continue  # not the learner's own words
        for sentence in note.sentences:
            source = copied_from(runs(sentence.text), facts.sources)
            if source:
                short = sentence.text if len(sentence.text) < 70 else sentence.text[:67] + "..."
                found.append(f'{note.rel} line {sentence.line}, "{short}", matches {source}')
    return _Found(len(found), f": {'; '.join(found)}" if found else "")


def _declaration(rule: Rule, cmap: CriterionMap, facts: Facts) -> _Found:
    decl = facts.learner.declaration
    return _Found(1 if decl is not None and decl.signed else 0)


CHECKS: dict[str, Callable[[Rule, CriterionMap, Facts], _Found]] = {
    "aspect_count": _aspect_count,
    "references": _references,
    "session_span_days": _session_span,
    "sessions_out_of_range": _sessions_out_of_range,
    "declaration_signed": _declaration,
    "copied_text": _copied_text,
    "elements_with_aspects": _elements_with_aspects,
    "comparison_statements": _comparison_statements,
    "elements_in_sessions": _elements_in_sessions,
    "dated_sessions": _dated_sessions,
    "note_types": _note_types,
}


def evaluate_rule(rule: Rule, cmap: CriterionMap, facts: Facts) -> RuleResult:
    check = CHECKS.get(rule.check)
    if check is None:
        from evidencegen.errors import CriteriaError

        raise CriteriaError(
            f"criterion {cmap.criterion.id}, rule '{rule.id}': unknown check '{rule.check}' "
            f"(known: {', '.join(CHECKS)})"
        )
    found = check(rule, cmap, facts)
    met = found.found <= rule.max if rule.max is not None else found.found >= rule.min
    gap = rule.gap_none if found.found == 0 and rule.gap_none else rule.gap
    if found.unsigned and rule.gap_unsigned:
        gap = rule.gap_unsigned  # the record is there: what it lacks is the countersignature
    reason = _fill(rule.met if met else gap, rule, found, facts)
    needed = rule.max if rule.max is not None else rule.min
    return RuleResult(rule.id, rule.summary, rule.level, needed, found.found, met, reason)


def _apply_decision(cov: CriterionCoverage, decision: Decision | None) -> CriterionCoverage:
    """signed_off once the assessor says met; not_yet keeps the criterion open."""
    cov.evidenced_status = cov.status
    cov.decision = decision
    if decision is not None and decision.decision == "met":
        cov.status = "signed_off"
    elif decision is not None and STATES.index(cov.status) > STATES.index("in_progress"):
        cov.status = "in_progress"
    return cov


def signatures_for(criterion: Criterion, cmap: CriterionMap, learner: Learner
                   ) -> list[Verification]:
    """Decisions on this criterion, then the records among its evidence, as checked."""
    files = {_record_file(n) for n in cmap.notes()}
    return [s for s in learner.signatures
            if (s.kind in ("decision", "word comment") and s.subject == criterion.id)
            or (s.kind in ("observation", "witness") and s.subject in files)]


def judge(criterion: Criterion, cmap: CriterionMap, facts: Facts) -> CriterionCoverage:
    cov = _judge_evidence(criterion, cmap, facts)
    cov.signatures = signatures_for(criterion, cmap, facts.learner)
    verified = any(s.verified for s in cov.signatures
                   if s.kind == "decision" and s.subject == criterion.id)
    return _apply_decision(cov, facts.learner.feedback.get(criterion.id) if verified else None)


def _judge_evidence(criterion: Criterion, cmap: CriterionMap, facts: Facts) -> CriterionCoverage:
    # a judged criterion starts with judged evidence: mapping a note to it is not enough
    has_evidence = bool(cmap.hits or cmap.comparisons or (cmap.explicit and not criterion.judge))
    if not criterion.rules:
        status = "in_progress" if cmap.explicit else "not_started"
        return CriterionCoverage(criterion, status, judged=False, evidence=cmap)
    results = [evaluate_rule(r, cmap, facts) for r in criterion.rules]
    shown = {h.element for h in cmap.hits}
    missing = [e for e in criterion.elements if e.id not in shown]
    if not has_evidence:
        status = "not_started"
    elif all(r.met for r in results if r.level == "ready"):
        has_met_level = any(r.level == "met" for r in results)
        status = "met" if has_met_level and all(r.met for r in results) else "ready"
    else:
        status = "in_progress"
    return CriterionCoverage(criterion, status, True, results, cmap, missing)


def judge_all(
    criteria: CriteriaSet, maps: dict[str, CriterionMap], facts: Facts
) -> dict[str, CriterionCoverage]:
    return {c.id: judge(c, maps[c.id], facts) for c in criteria.all_criteria()}


def _decision_json(d: Decision | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return d.model_dump(mode="json", exclude={"evidence", "signature"})


def coverage_json(
    learner: Learner, criteria: CriteriaSet, results: dict[str, CriterionCoverage],
    generated: str,
) -> dict[str, Any]:
    """The documented coverage.json: who, which unit and wording, and each criterion's state."""
    out: list[dict[str, Any]] = []
    for cov in results.values():
        evidence: list[dict[str, Any]] = []
        if cov.evidence is not None:
            for hit in cov.evidence.hits:
                item = {"element": hit.element, "source": hit.note.rel,
                        "line": hit.line, "quote": hit.quote, "aspects": list(hit.aspects),
                        "rule": hit.rule}
                if hit.clause:
                    item.update(clause=hit.clause, actor=hit.actor)
                if not cov.evidence.element(hit.element).listed:
                    item["element_name"] = cov.evidence.element(hit.element).name
                    item["listed"] = False
                evidence.append(item)
            for comp in cov.evidence.comparisons:
                evidence.append({"element": None, "kind": "comparison",
                                 "elements": list(comp.elements), "source": comp.note.rel,
                                 "line": comp.line, "quote": comp.quote, "rule": comp.rule})
            for note in cov.evidence.explicit:
                evidence.append({"element": None, "kind": "mapped by the learner",
                                 "source": note.rel, "line": note.criteria_line,
                                 "quote": note.title})
        out.append({
            "id": cov.criterion.id,
            "title": cov.criterion.text,
            "kind": cov.criterion.kind,
            "status": cov.status,
            "evidenced_status": cov.evidenced_status,
            "judged": cov.judged,
            "decision": _decision_json(cov.decision),
            "signatures": [v.as_dict() for v in cov.signatures],
            "gaps": cov.gaps,
            "rules": [r.__dict__ for r in cov.rules],
            "missing_elements": [e.id for e in cov.missing_elements],
            "evidence": evidence,
            "rejected": [
                {"element": r.element, "source": r.note.rel, "line": r.line, "quote": r.quote,
                 "reason": r.reason, "why": r.why, "rule": r.rule, "clause": r.clause}
                for r in (cov.evidence.rejected if cov.evidence is not None else [])],
        })
    return {
        "learner": {"id": learner.learner_id, "name": learner.name},
        "unit": {"number": criteria.unit.number, "title": criteria.unit.title,
                 "qualification": criteria.qualification.title},
        "criteria_version": {"id": criteria.id, "source": criteria.wording.source,
                             "version": criteria.wording.version},
        "generated": generated,
        "criteria": out,
    }
