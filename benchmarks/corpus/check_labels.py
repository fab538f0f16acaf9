"""Check the hand labels of a corpus part (tune/ or heldout/) and print its counts.

    python benchmarks/corpus/check_labels.py benchmarks/corpus/tune

For every learner folder (a folder holding labels.yaml) it checks that:

- learner.yaml has the required fields;
- labels.yaml has a valid `status` (build and check, for 1.1 and 5.2);
- every labelled note exists, and every `text` (sentence pieces and setting pieces)
  occurs exactly once in the note's text, inside one sentence and on one line.  Markdown
  markup is ignored when matching (`**`, `_`/`*` emphasis, heading marks, list markers,
  table pipes); a .docx note is read with python-docx (paragraphs, then table cells);
- technique ids, reject kinds, model ids, aspects and comparison pairs are from the
  guide's lists (README.md next to this script).

It also works out, from the labels alone, the status the guide's rules give (see the
"Status expectations" section of the README) and warns when it differs from the status
written by hand: a consistency check on the labeller, not on the tool.

Exit status 1 when any error was found.  It never imports evidencegen.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

TECHNIQUES = {
    "communication", "active_listening", "regular_meetings", "respect_empathy",
    "goal_oriented", "mutual_trust", "positive_reinforcement", "constructive_feedback",
    "independence", "flexibility", "resolving_conflict",
}
REJECT_KINDS = {"generic", "hypothetical", "negated", "someone_else", "literature", "wrong_sense"}
MODELS = {
    "apprentice", "competency", "reflective", "traditional", "situational", "peer",
    "group", "e_mentoring", "reverse", "co_mentoring", "flash", "grow", "oskar", "oscar",
    "clear", "skilled_helper", "preceptorship", "developmental", "sponsorship", "formal",
    "informal", "resource_based", "speed",
}
ASPECTS = {"how", "strength", "limitation", "setting"}
STATUS_11 = {"not_started", "in_progress", "ready"}
STATUS_52 = {"not_started", "in_progress", "ready", "met"}
NOTE_SUFFIXES = {".md", ".markdown", ".txt", ".docx"}
NOTE_FOLDERS = {"sessions", "observations", "witness", "reflections", "reading", "knowledge"}
FOLDER_TYPE = {
    "sessions": "session", "observations": "observation", "witness": "witness",
    "reflections": "reflection", "reading": "knowledge", "knowledge": "knowledge",
}
FIVE_TWO_TYPES = {"session", "observation", "witness", "reflection"}
REQUIRED_LEARNER = ("name", "learner_id", "employer", "programme_start", "mentees")
RULES = {"build": {"models": 2, "techniques": 3}, "check": {"models": 3, "techniques": 5}}

LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
REF_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(reading|sources?(?: used)?|references?|bibliography)"
    r"\b[^\n]*$|^\s*(?:\*\*)?(reading|sources?|references?)\s*(?:\*\*)?\s*:",
    re.IGNORECASE,
)


class Note:
    """A note's text as the labeller sees it: lines, paragraphs and sentences."""

    def __init__(self, path: Path):
        self.path = path
        self.front: dict = {}
        if path.suffix == ".docx":
            self.lines = self._docx_lines(path)
        else:
            raw = path.read_text(encoding="utf-8")
            if raw.startswith("---\n"):
                end = raw.find("\n---", 4)
                if end != -1:
                    self.front = yaml.safe_load(raw[4:end]) or {}
                    raw = raw[end + 4:].lstrip("\n")
            self.lines = [self._clean(line) for line in raw.splitlines()]
        self.paragraphs = self._paragraphs()
        self.sentences = [s for p in self.paragraphs for s in split_sentences(p)]

    @staticmethod
    def _docx_lines(path: Path) -> list[str]:
        import docx  # python-docx, from the project's venv
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        lines: list[str] = []
        # body in document order: paragraphs and tables, as a reader of the file sees them
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
                lines.append("")  # every Word paragraph is a paragraph of its own
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        lines.append(cell.text)
                        lines.append("")
        return lines

    @staticmethod
    def _clean(line: str) -> str:
        is_item = bool(LIST_MARKER.match(line)) or bool(HEADING.match(line))
        line = HEADING.sub("", line)
        line = LIST_MARKER.sub("", line)
        line = re.sub(r"^\s*>\s?", "", line)
        line = line.replace("**", "").replace("__", "")
        line = re.sub(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])", "", line)
        if "|" in line:
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
                return ""
            line = " . ".join(c.strip() for c in line.strip().strip("|").split("|"))
            line = "\x00" + line  # a table row is a paragraph of its own
        elif is_item:
            line = "\x00" + line  # a list item or heading starts a new paragraph
        return line

    def _paragraphs(self) -> list[str]:
        paragraphs, current = [], []
        for line in self.lines:
            starts = line.startswith("\x00")
            line = line.lstrip("\x00")
            if not line.strip() or starts:
                if current:
                    paragraphs.append(" ".join(current))
                current = []
                if not line.strip():
                    continue
                if starts:
                    paragraphs.append(line.strip())
                    continue
            current.append(line.strip())
        if current:
            paragraphs.append(" ".join(current))
        # a list item or heading is its own paragraph; so is a table row
        return [p for p in paragraphs if p]

    def plain_lines(self) -> list[str]:
        return [line.lstrip("\x00") for line in self.lines]


def split_sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])", paragraph)
    return [p.strip() for p in parts if p.strip()]


def locate(note: Note, text: str) -> str | None:
    """None when `text` is well placed, else why not."""
    in_lines = sum(line.count(text) for line in note.plain_lines())
    in_sentences = [s for s in note.sentences if text in s]
    joined = " ".join(note.paragraphs)
    if in_lines == 0:
        if joined.count(text):
            return "not on one line (it spans a line or paragraph break)"
        return "not found"
    if joined.count(text) != 1 or in_lines != 1:
        return f"occurs {max(in_lines, joined.count(text))} times"
    if len(in_sentences) != 1:
        return "crosses a sentence boundary"
    return None


def note_type(note: Note, rel: str) -> str:
    t = note.front.get("type")
    if t:
        return str(t)
    folder = rel.split("/")[0]
    return FOLDER_TYPE.get(folder, "reflection")


def note_date(note: Note, rel: str) -> dt.date | None:
    d = note.front.get("date")
    if isinstance(d, dt.date):
        return d
    if isinstance(d, str):
        try:
            return dt.date.fromisoformat(d)
        except ValueError:
            return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})", Path(rel).name)
    if m:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    return None


def has_references(note: Note) -> bool:
    if note.front.get("references"):
        return True
    return any(REF_HEADING.match(line.lstrip("\x00")) for line in note.lines)


def check_learner(folder: Path, errors: list[str], warnings: list[str], totals: dict) -> None:
    name = folder.name
    learner_path = folder / "learner.yaml"
    if not learner_path.exists():
        errors.append(f"{name}: no learner.yaml")
        return
    learner = yaml.safe_load(learner_path.read_text(encoding="utf-8")) or {}
    for key in REQUIRED_LEARNER:
        if key not in learner:
            errors.append(f"{name}/learner.yaml: missing {key}")
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8")) or {}
    status = labels.get("status") or {}
    for rules in ("build", "check"):
        s = status.get(rules) or {}
        if s.get("1.1") not in STATUS_11:
            errors.append(f"{name}: status.{rules}.1.1 = {s.get('1.1')!r} "
                          f"is not one of {sorted(STATUS_11)}")
        if s.get("5.2") not in STATUS_52:
            errors.append(f"{name}: status.{rules}.5.2 = {s.get('5.2')!r} "
                          f"is not one of {sorted(STATUS_52)}")

    note_files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix in NOTE_SUFFIXES and not p.name.startswith(".")
    )
    labelled = labels.get("notes") or {}
    rels = [p.relative_to(folder).as_posix() for p in note_files]
    for rel in labelled:
        if rel not in rels:
            errors.append(f"{name}: labelled note {rel} does not exist")

    mentees = learner.get("mentees") or []
    start = learner.get("programme_start")
    signed = bool((learner.get("declaration") or {}).get("signed"))
    # for the derived status
    sessions_by_mentee: dict[str, list[tuple[dt.date | None, set]]] = defaultdict(list)
    any_technique = False
    observed = False
    model_aspects: dict[str, set] = defaultdict(set)
    comparisons = 0
    settings = 0
    references = False
    any_11 = False

    for path, rel in zip(note_files, rels, strict=False):
        note = Note(path)
        ntype = note_type(note, rel)
        totals["notes"] += 1
        totals["sentences"] += len(note.sentences)
        totals[f"notes:{path.suffix}"] += 1
        entry = labelled.get(rel) or {}
        if not entry and ntype in FIVE_TWO_TYPES:
            warnings.append(f"{name}/{rel}: no labels (a note that shows nothing?)")
        techniques_here: set = set()
        for i, item in enumerate(entry.get("sentences") or []):
            where = f"{name}/{rel} sentences[{i}]"
            text = item.get("text")
            if not isinstance(text, str) or not text:
                errors.append(f"{where}: no text")
                continue
            problem = locate(note, text)
            if problem:
                errors.append(f"{where}: {text!r} {problem}")
            if "techniques" in item and "reject" in item:
                errors.append(f"{where}: both techniques and reject")
            if "techniques" in item:
                ids = item["techniques"] or []
                bad = [t for t in ids if t not in TECHNIQUES]
                if bad or not ids:
                    errors.append(f"{where}: unknown or empty techniques {bad or ids}")
                techniques_here.update(t for t in ids if t in TECHNIQUES)
                totals["positives"] += 1
            elif "reject" in item:
                if item["reject"] not in REJECT_KINDS:
                    errors.append(f"{where}: unknown reject kind {item['reject']!r}")
                totals[f"reject:{item['reject']}"] += 1
            else:
                errors.append(f"{where}: neither techniques nor reject")
        if entry.get("sentences") and ntype not in FIVE_TWO_TYPES:
            warnings.append(f"{name}/{rel}: sentence labels in a {ntype} note")
        for tech in techniques_here:
            totals[f"technique:{tech}"] += 1

        models = entry.get("models") or []
        for m in models:
            other = isinstance(m, str) and m.startswith("other:") and len(m) > 6
            if m not in MODELS and not other:
                errors.append(f"{name}/{rel}: unknown model id {m!r}")
        aspects = entry.get("aspects") or {}
        for m, asp in aspects.items():
            if m not in models:
                errors.append(f"{name}/{rel}: aspects for {m!r}, which is not in models")
            bad = [a for a in asp or [] if a not in ASPECTS]
            if bad:
                errors.append(f"{name}/{rel}: unknown aspects {bad} for {m!r}")
            model_aspects[m].update(asp or [])
        for pair in entry.get("comparisons") or []:
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] != pair[1]):
                errors.append(f"{name}/{rel}: comparison {pair!r} is not a pair of two models")
            elif any(m not in models for m in pair):
                errors.append(f"{name}/{rel}: comparison {pair!r} names a model not in models")
            comparisons += 1
        for j, text in enumerate(entry.get("setting") or []):
            problem = locate(note, text)
            if problem:
                errors.append(f"{name}/{rel} setting[{j}]: {text!r} {problem}")
            settings += 1
        if models:
            any_11 = True
            totals["notes_1.1"] += 1
            totals["models"] += len(models)
            totals["comparisons"] += len(entry.get("comparisons") or [])
            references = references or has_references(note)

        # 5.2 bookkeeping
        if techniques_here:
            any_technique = True
        if ntype in ("observation", "witness") and techniques_here:
            observed = True
        if ntype == "session":
            mentee = note.front.get("mentee") or (mentees[0] if len(mentees) == 1 else None)
            sessions_by_mentee[str(mentee)].append((note_date(note, rel), techniques_here))

    # the status the guide's rules give, from the labels
    def derived(rules: str) -> dict:
        need = RULES[rules]
        full = [m for m, a in model_aspects.items() if {"strength", "limitation"} <= a]
        if len(full) >= need["models"] and comparisons and settings and references:
            s11 = "ready"
        else:
            s11 = "in_progress" if any_11 else "not_started"
        s52 = "in_progress" if any_technique else "not_started"
        for _mentee, sessions in sessions_by_mentee.items():
            dated = [(d, t) for d, t in sessions if d is not None]
            if len(dated) < 2 or len(dated) != len(sessions):
                continue
            days = [d for d, _ in dated]
            if (max(days) - min(days)).days < 14:
                continue
            if start and any(d < start for d in days):
                continue
            techs = set().union(*(t for _, t in dated))
            if len(techs) >= need["techniques"] and signed:
                s52 = "met" if observed else "ready"
        return {"1.1": s11, "5.2": s52}

    for rules in ("build", "check"):
        got = derived(rules)
        want = status.get(rules) or {}
        for crit in ("1.1", "5.2"):
            if want.get(crit) != got[crit]:
                warnings.append(
                    f"{name}: status.{rules}.{crit} is {want.get(crit)!r} by hand, "
                    f"{got[crit]!r} from the labels"
                )
        totals[f"status:{rules}:1.1:{status.get(rules, {}).get('1.1')}"] += 1
        totals[f"status:{rules}:5.2:{status.get(rules, {}).get('5.2')}"] += 1


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    root = Path(argv[1])
    folders = sorted(p.parent for p in root.glob("*/labels.yaml"))
    if not folders:
        print(f"no learner folders with labels.yaml under {root}")
        return 1
    errors: list[str] = []
    warnings: list[str] = []
    totals: Counter = Counter()
    for folder in folders:
        check_learner(folder, errors, warnings, totals)
    for e in errors:
        print("ERROR  ", e)
    for w in warnings:
        print("warning", w)
    print()
    print(f"learners: {len(folders)}")
    kinds = ", ".join(
        f"{k.split(':', 1)[1]} {v}" for k, v in sorted(totals.items()) if k.startswith("notes:.")
    )
    print(f"notes: {totals['notes']} ({kinds})")
    print(f"sentences (roughly): {totals['sentences']}")
    print(f"labelled positives: {totals['positives']}")
    decoys = {k.split(':', 1)[1]: v for k, v in totals.items() if k.startswith("reject:")}
    decoy_list = ", ".join(f"{k} {v}" for k, v in sorted(decoys.items()))
    print(f"labelled decoys: {sum(decoys.values())} ({decoy_list})")
    techs = {k.split(':', 1)[1]: v for k, v in totals.items() if k.startswith("technique:")}
    print("notes showing each technique: "
          + ", ".join(f"{t} {techs.get(t, 0)}" for t in sorted(TECHNIQUES)))
    print(f"1.1 notes: {totals['notes_1.1']}, models described: {totals['models']}, "
          f"comparison pairs: {totals['comparisons']}")
    for rules in ("build", "check"):
        for crit in ("1.1", "5.2"):
            states = {k.rsplit(':', 1)[1]: v for k, v in totals.items()
                      if k.startswith(f"status:{rules}:{crit}:")}
            print(f"status {rules} {crit}: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    print(f"\n{len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
