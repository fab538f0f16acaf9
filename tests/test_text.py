"""Sentences are split with their offsets, so every quote cites its line."""

from __future__ import annotations

from evidencegen.text import split_sentences, word_count


def test_sentences_split_with_offsets_and_keep_abbreviations() -> None:
    text = "We met at 2 p.m. in the lounge. She said e.g. the rota was hard.\nI listened!"
    parts = split_sentences(text)
    assert [s for _, s in parts] == [
        "We met at 2 p.m. in the lounge.",
        "She said e.g. the rota was hard.",
        "I listened!",
    ]
    assert text[parts[2][0]:].startswith("I listened")


def test_words_are_counted_as_a_word_processor_counts_them() -> None:
    assert word_count("She’s on nights; we met at 2 o’clock.") == 8
