"""Words, sentences and phrase matching on the learner's own wording."""

from __future__ import annotations

import pytest

from evidencegen.text import compile_phrase, find, first_positive, negated, split_sentences, tokens


def matches(phrase: str, sentence: str) -> bool:
    return bool(find(compile_phrase(phrase), tokens(sentence)))


@pytest.mark.parametrize(
    ("phrase", "sentence"),
    [
        ("listen", "I listened carefully to her worries."),
        ("listen", "Listening without rushing her helped."),
        ("paraphrase", "I paraphrased what she had told me."),
        ("agreed ... meet", "We agreed to meet every other Tuesday."),
        ("empath*", "I tried to be empathetic about the rota."),
        ("e-mentor", "E-mentoring suits staff on nights."),
        ("every other", "We meet every other week."),
    ],
)
def test_phrase_matches_inflections_gaps_and_prefixes(phrase: str, sentence: str) -> None:
    assert matches(phrase, sentence)


@pytest.mark.parametrize(
    ("phrase", "sentence"),
    [
        ("agreed ... meet",
         "We agreed that the handover notes were too long and we should probably meet."),
        ("listen", "The resident's daughter was listed as next of kin."),
        ("goal", "She went to the gold award ceremony."),
    ],
)
def test_phrase_does_not_match_beyond_its_gap_or_other_words(phrase: str, sentence: str) -> None:
    assert not matches(phrase, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I did not give feedback this time.",
        "We have not yet met regularly.",
        "I didn't listen properly because the alarm went off.",
        "Feedback was not given because she was upset.",
        "There was no feedback at the end.",
        "I never gave her feedback.",
        "I forgot to give feedback.",
    ],
)
def test_negated_mentions_are_not_evidence(sentence: str) -> None:
    phrases = [compile_phrase(p) for p in ("feedback", "listen", "met regularly")]
    assert first_positive(phrases, tokens(sentence)) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "I didn't rush her, and I gave feedback on the handover.",
        "She was not happy at first but I listened until she had finished.",
        "Although it was not planned, we met regularly after that.",
    ],
)
def test_negation_stops_at_the_clause_boundary(sentence: str) -> None:
    phrases = [compile_phrase(p) for p in ("feedback", "listen", "met regularly")]
    assert first_positive(phrases, tokens(sentence)) is not None


def test_negated_reports_the_span_it_was_given() -> None:
    toks = tokens("I did not give feedback")
    (start, end), = find(compile_phrase("feedback"), toks)
    assert negated(toks, start, end)


def test_sentences_split_with_offsets_and_keep_abbreviations() -> None:
    text = "We met at 2 p.m. in the lounge. She said e.g. the rota was hard.\nI listened!"
    parts = split_sentences(text)
    assert [s for _, s in parts] == [
        "We met at 2 p.m. in the lounge.",
        "She said e.g. the rota was hard.",
        "I listened!",
    ]
    assert text[parts[2][0]:].startswith("I listened")
