"""Map what a learner wrote to criteria: which models and techniques each sentence shows.

Pure functions over notes already read: no I/O. Every piece of evidence keeps its note,
line, sentence, the clause it rests on and the id of the pattern that fired; every candidate
that was turned down keeps why (negated, hypothetical, generic, someone else, literature,
wrong sense), so an assessor can check each claim, and each refusal, against her words.
"""

from __future__ import annotations

from evidencegen.criteria import CriteriaSet
from evidencegen.models import CriterionMap, Learner, Note


def map_notes(criteria: CriteriaSet, notes: tuple[Note, ...],
              learner: Learner | None = None) -> dict[str, CriterionMap]:
    """Evidence for every criterion of the unit, keyed by criterion id."""
    maps = {c.id: CriterionMap(c) for c in criteria.all_criteria()}
    for note in notes:
        for ac in note.criteria:
            maps[ac].explicit.append(note)
    judged = [c for c in criteria.all_criteria() if c.elements and c.judge]
    if not judged:
        return maps
    from evidencegen.analysis.models import map_models  # loads spaCy: only when judging
    from evidencegen.analysis.nlp import parse_groups
    from evidencegen.analysis.practice import map_practice

    # every note's sentences in one call to the model, before the criteria read them
    parse_groups([[s.text for b in n.blocks if b.kind != "heading" for s in b.sentences]
                  for n in notes if n.words > 0])

    for crit in judged:
        chosen = [n for n in notes
                  if (n.type in crit.scan or crit.id in n.criteria) and n.words > 0]
        if crit.judge == "practice":
            map_practice(maps[crit.id], chosen, learner)
        else:
            map_models(maps[crit.id], chosen, learner)
    return maps
