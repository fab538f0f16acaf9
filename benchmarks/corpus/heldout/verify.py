"""Check the held-out labels against the notes (run with the project's venv python).

    /work/main/.venv/bin/python benchmarks/corpus/heldout/verify.py

For every learner folder: learner.yaml and labels.yaml exist; statuses are valid; every
labelled note exists; every `text` and `setting` piece occurs exactly once in its note and
inside one sentence (Markdown ** _ and list markers stripped, lines of a paragraph joined,
.docx read as paragraphs then table cells); technique ids, reject kinds, model ids and
aspects are from the corpus README's lists. Prints counts; exits 1 on any problem.
"""
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TECHNIQUES = {"communication", "active_listening", "regular_meetings", "respect_empathy",
              "goal_oriented", "mutual_trust", "positive_reinforcement",
              "constructive_feedback", "independence", "flexibility", "resolving_conflict"}
REJECTS = {"generic", "hypothetical", "negated", "someone_else", "literature", "wrong_sense"}
MODELS = {"apprentice", "competency", "reflective", "traditional", "situational", "peer",
          "group", "e_mentoring", "reverse", "co_mentoring", "flash", "grow", "oskar", "oscar",
          "clear", "skilled_helper", "preceptorship", "developmental", "sponsorship", "formal",
          "informal", "resource_based", "speed"}
ASPECTS = {"how", "strength", "limitation", "setting"}
STATUSES = {"not_started", "in_progress", "ready", "met"}
NOTE_DIRS = ("sessions", "observations", "witness", "reflections", "reading", "knowledge")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])")


def strip_inline(s):
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", s)
    return s


def blocks_md(text):
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        text = text[end + 5:]
    blocks, cur = [], []
    for line in text.splitlines():
        if not line.strip():
            if cur:
                blocks.append(" ".join(cur)); cur = []
            continue
        if line.lstrip().startswith("#"):
            if cur:
                blocks.append(" ".join(cur)); cur = []
            blocks.append(line.lstrip("# ").strip())
            continue
        if LIST_MARK.match(line):
            if cur:
                blocks.append(" ".join(cur)); cur = []
            cur = [LIST_MARK.sub("", line).strip()]
            continue
        cur.append(line.strip())
    if cur:
        blocks.append(" ".join(cur))
    return [strip_inline(b) for b in blocks]


def blocks_docx(path):
    import docx
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs if p.text.strip()]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                if cell.text.strip():
                    out.append(cell.text)
    return out


def sentences(path):
    blocks = blocks_docx(path) if path.suffix == ".docx" else blocks_md(path.read_text("utf-8"))
    out = []
    for b in blocks:
        out.extend(s.strip() for s in SPLIT.split(b) if s.strip())
    return out


def main():
    problems, stats = [], Counter()
    decoys, techs = Counter(), Counter()
    learners = sorted(p for p in HERE.iterdir() if p.is_dir() and (p / "learner.yaml").exists())
    for ld in learners:
        def bad(msg):
            problems.append(f"{ld.name}: {msg}")
        learner = yaml.safe_load((ld / "learner.yaml").read_text("utf-8"))
        for key in ("name", "learner_id", "employer", "programme_start", "mentees"):
            if key not in learner:
                bad(f"learner.yaml lacks {key}")
        labels = yaml.safe_load((ld / "labels.yaml").read_text("utf-8"))
        for mode in ("build", "check"):
            st = labels["status"][mode]
            if set(st) != {"1.1", "5.2"} or not set(st.values()) <= STATUSES:
                bad(f"status.{mode} invalid: {st}")
        notes_on_disk = {str(p.relative_to(ld)) for d in NOTE_DIRS for p in (ld / d).glob("*")
                         if p.suffix in (".md", ".txt", ".docx")}
        for rel in sorted(notes_on_disk - set(labels["notes"])):
            bad(f"note not in labels.yaml: {rel}")
        for rel, lab in labels["notes"].items():
            path = ld / rel
            if not path.exists():
                bad(f"missing note {rel}"); continue
            sents = sentences(path)
            stats["notes"] += 1
            stats["sentences"] += len(sents)
            joined = "\n".join(sents)

            def once(text, what):
                if "**" in text or "\n" in text:
                    bad(f"{rel}: markup or newline in {what} {text!r}")
                n_sent = sum(1 for s in sents if text in s)
                n_all = joined.count(text)
                if n_sent != 1 or n_all != 1:
                    bad(f"{rel}: {what} {text!r} in {n_sent} sentences, {n_all} times")
            for item in lab.get("sentences") or []:
                once(item["text"], "text")
                has_t, has_r = "techniques" in item, "reject" in item
                if has_t == has_r:
                    bad(f"{rel}: need exactly one of techniques/reject: {item}")
                elif has_t:
                    if not item["techniques"] or not set(item["techniques"]) <= TECHNIQUES:
                        bad(f"{rel}: bad techniques {item['techniques']}")
                    stats["positives"] += 1
                    techs.update(item["techniques"])
                else:
                    if item["reject"] not in REJECTS:
                        bad(f"{rel}: bad reject kind {item['reject']}")
                    decoys[item["reject"]] += 1
            models = lab.get("models") or []
            for m in models:
                if m not in MODELS and not (isinstance(m, str) and m.startswith("other:")):
                    bad(f"{rel}: bad model {m}")
            for m, asp in (lab.get("aspects") or {}).items():
                if m not in models:
                    bad(f"{rel}: aspects for unlisted model {m}")
                if not set(asp) <= ASPECTS:
                    bad(f"{rel}: bad aspects {asp}")
            for pair in lab.get("comparisons") or []:
                if len(pair) != 2 or not set(pair) <= set(models):
                    bad(f"{rel}: bad comparison {pair}")
            for piece in lab.get("setting") or []:
                once(piece, "setting")
            if models:
                stats["1.1 notes"] += 1
                stats["models"] += len(models)
                stats["comparisons"] += len(lab.get("comparisons") or [])
                stats["setting pieces"] += len(lab.get("setting") or [])
        stats["learners"] += 1
        print(f"{ld.name}: build {labels['status']['build']}  check {labels['status']['check']}")
    print(dict(stats))
    print("decoys:", dict(decoys), "total", sum(decoys.values()))
    print("technique labels:", dict(techs))
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    if "--sentences" in sys.argv:
        for arg in sys.argv[2:]:
            for s in sentences(Path(arg)):
                print("|", s)
        sys.exit(0)
    sys.exit(main())
