"""Make a synthetic cohort of N learners with realistic notes (seeded, so repeatable).

Run:  python benchmarks/make_cohort.py OUT_DIR [-n 20] [--seed 1] [--varied]

Each learner gets 3 to 7 dated sessions with one mentee, drawn from a pool of sentences in
a care worker's voice, a reading note on 2 to 5 models, and sometimes an observation. With
--varied each session also gets 12 sentences no other learner writes (as in a real cohort,
where the language analysis meets new sentences and words with every learner).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

SESSION_LINES = [
    "We met in the small office before the late shift so we would not be interrupted.",
    "I let her finish before I said anything and then summarised back what she had told me.",
    "We agreed to meet every other Tuesday at the same time.",
    "I acknowledged how she felt about the rota and said I had felt the same at first.",
    "We reviewed her progress against the action plan and agreed one new goal.",
    "I told her that what she says in our sessions stays confidential.",
    "I praised the way she handled the family visit and told her well done.",
    "I gave her feedback on what went well and what would be even better next time.",
    "She chose to lead the huddle herself and I stepped back.",
    "We moved the session to a phone call because the floor was short of staff.",
    "She had a disagreement with another senior and we talked it through together.",
    "Most of the session was about her training dates and the new uniform order.",
    "I did not give feedback this time because she was upset about a resident.",
]
MODELS = {
    "Apprentice model": ("The mentee learns by shadowing an experienced carer on shift.",
                         "One benefit is that the learning is practical.",
                         "The drawback is that she may copy bad habits."),
    "Peer mentoring": ("Two colleagues at the same level support each other.",
                       "It works well because they share the same pressures.",
                       "However, friends may avoid difficult conversations."),
    "Group mentoring": ("One mentor meets several new starters together.",
                        "It is efficient for a busy home.",
                        "The downside is less individual attention."),
    "Reverse mentoring": ("A junior carer mentors a senior about the care planning app.",
                          "The advantage is that it values what new staff bring.",
                          "The risk is that seniors may not accept it."),
    "Traditional one-to-one model": ("A senior mentors one newer colleague over months.",
                                     "Its strength is the depth of the relationship.",
                                     "However, it depends heavily on one person."),
}


OPENERS = ["Today we talked about", "She asked me about", "We went over", "I explained",
           "She was worried about", "We practised", "I showed her", "She told me about"]
TOPICS = ["the handover with the night team", "a resident's care plan", "the medication round",
          "the falls policy", "a difficult phone call with a relative", "the new hoist",
          "her supervision notes", "the fire drill", "a complaint from a visitor",
          "the end of life plan", "the food and fluid charts", "the safeguarding referral"]
PLACES = ["in the lounge", "on the first floor", "in the garden room", "at the nurses' station",
          "in the quiet room", "by the front office"]


def varied_lines(index: int, session: int, rng: random.Random, count: int = 12) -> str:
    """Sentences unique to this learner and session (a resident's code names them)."""
    return " ".join(f"{rng.choice(OPENERS)} {rng.choice(TOPICS)} {rng.choice(PLACES)} with "
                    f"resident {chr(65 + rng.randrange(26))}{index:04d}{session}{k}."
                    for k in range(count))


def make_learner(folder: Path, index: int, rng: random.Random, varied: bool = False) -> None:
    (folder / "sessions").mkdir(parents=True)
    (folder / "reading").mkdir()
    start = dt.date(2026, 3, 2) + dt.timedelta(days=rng.randrange(60))
    (folder / "learner.yaml").write_text(
        f"name: Learner {index:04d}\nlearner_id: SYN-{index:04d}\ncentre: Synthetic Centre\n"
        f"programme_start: {start}\nmentees: [Mentee {chr(65 + index % 26)}]\n"
        f"declaration:\n  signed: {str(rng.random() < 0.7).lower()}\n  date: {start}\n")
    day = start + dt.timedelta(days=7)
    for s in range(rng.randint(3, 7)):
        body = " ".join(rng.sample(SESSION_LINES, rng.randint(3, 6)))
        if varied:
            body += " " + varied_lines(index, s, rng)
        (folder / "sessions" / f"{day}-session-{s + 1}.md").write_text(
            f"---\ntype: session\ndate: {day}\nmentee: Mentee {chr(65 + index % 26)}\n"
            f"duration: {rng.choice([30, 45, 60])}\nmode: face-to-face\ncriteria: [5.2]\n---\n"
            f"{body}\n")
        day += dt.timedelta(days=rng.choice([7, 14, 21]))
    chosen = rng.sample(sorted(MODELS), rng.randint(2, 5))
    parts = [f"## {name}\n{' '.join(MODELS[name])} In our home it could suit new starters.\n"
             for name in chosen]
    parts.append(f"## Comparing\nUnlike the {chosen[0].lower()}, {chosen[1].lower()} relies on "
                 "people learning from each other.\n")
    (folder / "reading" / "models.md").write_text(
        "---\ntype: knowledge\ncriteria: [1.1]\nreferences:\n  - Example, A. (2024) Mentoring "
        "in care. Leeds.\n---\n" + "\n".join(parts))
    if rng.random() < 0.4:
        (folder / "observations").mkdir()
        (folder / "observations" / f"{day}-observation.md").write_text(
            f"---\ntype: observation\ndate: {day}\ncriteria: [5.2]\nauthor: A Assessor, "
            "Assessor\n---\nThe learner listened well and agreed the next session date.\n")


def make_cohort(out: Path, n: int, seed: int = 1, varied: bool = False) -> Path:
    rng = random.Random(seed)
    for i in range(n):
        make_learner(out / f"learner-{i:04d}", i, rng, varied)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--varied", action="store_true",
                        help="12 sentences per session no other learner writes")
    args = parser.parse_args()
    make_cohort(args.out, args.n, args.seed, args.varied)
    print(f"made {args.n} learners in {args.out}")


if __name__ == "__main__":
    main()
