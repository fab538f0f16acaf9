"""Accuracy of evidencegen's judgement on the hand-labelled corpus (benchmarks/corpus/).

For each part (tune, heldout) it prints per-technique and overall precision and recall for
5.2 per (sentence, technique), how often each kind of decoy is taken as evidence, 1.1's
model recall, strength/limitation precision and recall, comparison and setting-link recall,
and the agreement of 1.1 and 5.2 statuses with the labels under the packaged rules ("build")
and a stricter centre's rules ("check"). With --floors FILE it exits 1 when a figure is below
its floor, so CI catches a regression.

The labels' statuses take an observation or witness record as the assessor's own, so the
statuses are judged on a copy of each learner whose records the corpus's assessor has
countersigned with a key made for the run: what a centre's signed portfolio looks like.

    python benchmarks/accuracy.py                    # both parts
    python benchmarks/accuracy.py --part heldout --confusions
    python benchmarks/accuracy.py --floors benchmarks/accuracy-floors.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evidencegen.api import analyse, countersign
from evidencegen.signing import SigningKey, new_key

CORPUS = Path(__file__).parent / "corpus"
TODAY = dt.date(2026, 12, 1)
REJECT_KINDS = ("generic", "hypothetical", "negated", "someone_else", "literature",
                "wrong_sense")


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: PR) -> PR:
        return PR(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass
class Scores:
    techniques: dict[str, PR] = field(default_factory=lambda: defaultdict(PR))
    decoys: Counter = field(default_factory=Counter)
    decoys_taken: Counter = field(default_factory=Counter)
    models: PR = field(default_factory=PR)
    aspects: dict[str, PR] = field(default_factory=lambda: defaultdict(PR))
    comparisons: PR = field(default_factory=PR)
    setting: PR = field(default_factory=PR)
    status: dict[str, list[tuple[str, str, str, str]]] = field(
        default_factory=lambda: defaultdict(list))  # rules -> (learner, ac, want, got)
    confusions: list[str] = field(default_factory=list)
    unmatched_labels: list[str] = field(default_factory=list)
    size: Counter = field(default_factory=Counter)  # learners, notes, sentences


def _base(rel: str) -> str:
    return rel.split("#", 1)[0]


def _same_model(label: str, predicted: str) -> bool:
    if label == predicted:
        return True
    if label.startswith("other:") and predicted.startswith("other:"):
        a, b = label[6:].lower(), predicted[6:].lower()
        return a in b or b in a or a.split()[0] == b.split()[0]
    return False


def score_learner(folder: Path, scores: Scores) -> None:
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    analysis = analyse(folder, today=TODAY)
    maps = analysis.maps
    sentences_of: dict[str, list[str]] = defaultdict(list)
    scores.size["learners"] += 1
    scores.size["notes"] += len(analysis.learner.notes)
    scores.size["sentences"] += sum(len(n.sentences) for n in analysis.learner.notes)
    for note in analysis.learner.notes:
        sentences_of[_base(note.rel)].extend(norm(s.text) for s in note.sentences)
    practice = maps["5.2"]
    predicted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rules: dict[tuple[str, str], str] = {}
    for hit in practice.hits:
        predicted[_base(hit.note.rel)][norm(hit.quote)].add(hit.element)
        rules[(norm(hit.quote), hit.element)] = getattr(hit, "rule", "")
    for rel, note_labels in (labels.get("notes") or {}).items():
        note_labels = note_labels or {}
        said = predicted.get(rel, {})
        claimed: set[tuple[str, str]] = set()
        for item in note_labels.get("sentences") or []:
            text = norm(item["text"])
            quotes = [q for q in said if text in q]
            if not any(text in s for s in sentences_of.get(rel, [])):
                scores.unmatched_labels.append(f"{folder.name}/{rel}: {item['text']}")
            got = set().union(*(said[q] for q in quotes)) if quotes else set()
            if "reject" in item:
                kind = item["reject"]
                scores.decoys[kind] += 1
                if got:
                    scores.decoys_taken[kind] += 1
                    for tech in got:
                        scores.techniques[tech].fp += 1  # a decoy taken is a false hit
                    fired = sorted({rules.get((q, e), "") for q in quotes for e in said[q]})
                    scores.confusions.append(f"DECOY {kind} taken as {sorted(got)} {fired}: "
                                             f"{folder.name}/{rel}: {text}")
                for q in quotes:
                    claimed |= {(q, e) for e in said[q]}
                continue
            want = set(item.get("techniques") or [])
            for tech in want | got:
                pr = scores.techniques[tech]
                if tech in want and tech in got:
                    pr.tp += 1
                elif tech in want:
                    pr.fn += 1
                    scores.confusions.append(f"MISS {tech}: {folder.name}/{rel}: {text}")
                else:
                    pr.fp += 1
                    fired = sorted({rules.get((q, tech), "") for q in quotes})
                    scores.confusions.append(f"EXTRA {tech} (labelled {sorted(want)}) {fired}: "
                                             f"{folder.name}/{rel}: {text}")
            for q in quotes:
                claimed |= {(q, e) for e in said[q]}
        for quote, elements in said.items():
            for e in elements:
                if (quote, e) not in claimed:
                    scores.techniques[e].fp += 1
                    scores.confusions.append(f"EXTRA {e} (unlabelled) [{rules.get((quote, e))}]: "
                                             f"{folder.name}/{rel}: {quote}")
        _score_models(folder, rel, note_labels, maps["1.1"], scores)
    records = [n.path.relative_to(folder) for n in analysis.learner.notes
               if n.type in ("observation", "witness")]
    with tempfile.TemporaryDirectory() as tmp:
        signed, key = _countersigned(folder, records, Path(tmp))
        for rules_name, rules in (("build", None), ("check", CORPUS / "centre-rules.yaml")):
            result = analyse(signed, today=TODAY, rules=rules, key=key)
            for ac, want in ((labels.get("status") or {}).get(rules_name) or {}).items():
                got = result.coverage[str(ac)].status
                scores.status[rules_name].append((folder.name, str(ac), want, got))


def _countersigned(folder: Path, records: list[Path], tmp: Path) -> tuple[Path, SigningKey]:
    """A copy of the learner whose observation and witness records an assessor has signed."""
    key = new_key(tmp / "corpus.key", demo=True)
    copy = tmp / folder.name
    shutil.copytree(folder, copy)
    for record in sorted(set(records)):
        countersign(copy, copy / record, "Corpus Assessor", key, date=TODAY)
    return copy, key


def _score_models(folder: Path, rel: str, note_labels: dict, cmap, scores: Scores) -> None:
    want_models = [str(m) for m in note_labels.get("models") or []]
    hits = [h for h in cmap.hits if _base(h.note.rel) == rel]
    got_models = {h.element for h in hits}
    if want_models:
        for m in want_models:
            if any(_same_model(m, g) for g in got_models):
                scores.models.tp += 1
            else:
                scores.models.fn += 1
                scores.confusions.append(f"MISS model {m}: {folder.name}/{rel}")
    want_aspects = {(str(m), a) for m, aspects in (note_labels.get("aspects") or {}).items()
                    for a in aspects or []}
    got_aspects = {(h.element, a) for h in hits for a in h.aspects}
    for aspect in ("strength", "limitation"):
        want = {m for m, a in want_aspects if a == aspect}
        got = {m for m, a in got_aspects if a == aspect}
        pr = scores.aspects[aspect]
        for m in want:
            if any(_same_model(m, g) for g in got):
                pr.tp += 1
            else:
                pr.fn += 1
                scores.confusions.append(f"MISS {aspect} of {m}: {folder.name}/{rel}")
        for g in got:
            if not any(_same_model(m, g) for m in want):
                pr.fp += 1
                scores.confusions.append(f"EXTRA {aspect} of {g}: {folder.name}/{rel}")
    comps = [c for c in cmap.comparisons if _base(c.note.rel) == rel]
    for pair in note_labels.get("comparisons") or []:
        a, b = (str(x) for x in pair)
        if any(any(_same_model(a, e) for e in c.elements)
               and any(_same_model(b, e) for e in c.elements) for c in comps):
            scores.comparisons.tp += 1
        else:
            scores.comparisons.fn += 1
            scores.confusions.append(f"MISS comparison {a}/{b}: {folder.name}/{rel}")
    setting_quotes = [norm(h.quote) for h in hits if "setting" in h.aspects]
    for piece in note_labels.get("setting") or []:
        if any(norm(piece) in q for q in setting_quotes):
            scores.setting.tp += 1
        else:
            scores.setting.fn += 1
            scores.confusions.append(f"MISS setting: {folder.name}/{rel}: {piece}")


def score_part(part: str) -> Scores:
    scores = Scores()
    for folder in sorted((CORPUS / part).iterdir()):
        if (folder / "labels.yaml").is_file():
            score_learner(folder, scores)
    return scores


def figures(s: Scores) -> dict[str, float]:
    total = sum(s.techniques.values(), PR())
    decoys = sum(s.decoys.values())
    out = {
        "5.2 precision": total.precision,
        "5.2 recall": total.recall,
        "decoys taken as evidence": sum(s.decoys_taken.values()) / decoys if decoys else 0.0,
        "1.1 models recall": s.models.recall,
        "1.1 strength precision": s.aspects["strength"].precision,
        "1.1 strength recall": s.aspects["strength"].recall,
        "1.1 limitation precision": s.aspects["limitation"].precision,
        "1.1 limitation recall": s.aspects["limitation"].recall,
        "1.1 comparisons recall": s.comparisons.recall,
        "1.1 setting links recall": s.setting.recall,
    }
    for rules, rows in s.status.items():
        out[f"status agreement ({rules})"] = (
            sum(1 for *_, w, g in rows if w == g) / len(rows) if rows else 1.0)
    return out


def report(part: str, s: Scores, confusions: bool) -> str:
    lines = [f"== {part} == {s.size['learners']} learners, {s.size['notes']} notes, "
             f"{s.size['sentences']} sentences"]
    lines.append(f"{'technique':<24}{'P':>6}{'R':>6}{'tp':>5}{'fp':>5}{'fn':>5}")
    for tech in sorted(s.techniques):
        pr = s.techniques[tech]
        lines.append(f"{tech:<24}{pr.precision:>6.2f}{pr.recall:>6.2f}"
                     f"{pr.tp:>5}{pr.fp:>5}{pr.fn:>5}")
    lines.append("decoys taken as evidence: " + ", ".join(
        f"{k} {s.decoys_taken[k]}/{s.decoys[k]}" for k in REJECT_KINDS if s.decoys[k]))
    for name, value in figures(s).items():
        lines.append(f"{name:<32}{value:>6.2f}")
    for rules, rows in s.status.items():
        for learner, ac, want, got in rows:
            if want != got:
                lines.append(f"status ({rules}) {learner} {ac}: labelled {want}, got {got}")
    if s.unmatched_labels:
        lines.append(f"{len(s.unmatched_labels)} labels match no sentence as the tool splits "
                     "them (scored as misses):")
        lines.extend("  " + u for u in s.unmatched_labels)
    if confusions:
        lines.extend(sorted(s.confusions))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("tune", "heldout"), action="append")
    parser.add_argument("--confusions", action="store_true", help="list every error")
    parser.add_argument("--floors", type=Path, help="YAML of part -> figure -> minimum")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    parts = args.part or ["tune", "heldout"]
    floors = yaml.safe_load(args.floors.read_text()) if args.floors else {}
    failed = []
    results = {}
    for part in parts:
        scores = score_part(part)
        print(report(part, scores, args.confusions))
        results[part] = figures(scores)
        for name, minimum in (floors or {}).get(part, {}).items():
            value = results[part][name]
            if name == "decoys taken as evidence" and value > minimum:
                failed.append(f"{part}: {name} {value:.3f} > {minimum}")
            elif name != "decoys taken as evidence" and value < minimum:
                failed.append(f"{part}: {name} {value:.3f} < {minimum}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    for line in failed:
        print("BELOW FLOOR " + line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
