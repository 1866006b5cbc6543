"""The sentence around a span of stored text (an actor's mention, which is stored without one)."""

from __future__ import annotations

import pytest

from components.store.sentences import MAX_SIDE, sentence_around, sentence_bounds

TEXT = ("QUAYSIDE, Veloria — Talks resumed at dawn. Gen. Oren Tal of the U.S. Army met Mr. Ades in the old customs house on Monday! "
        "\"We are close,\" Ades said. Roughly approx. forty delegates stayed.\n"
        "A new paragraph names the Harbour Guild without a full stop")


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(("words", "sentence"), [
    ("QUAYSIDE", "QUAYSIDE, Veloria — Talks resumed at dawn."),
    ("Oren Tal", "Gen. Oren Tal of the U.S. Army met Mr. Ades in the old customs house on Monday!"),  # titles and initials go on
    ("Ades in", "Gen. Oren Tal of the U.S. Army met Mr. Ades in the old customs house on Monday!"),
    ("We are close", "\"We are close,\" Ades said."),  # a quotation's own comma does not end it; its closing mark is kept
    ("forty", "Roughly approx. forty delegates stayed."),  # a lower-case word after the stop: the sentence goes on
    ("Harbour Guild", "A new paragraph names the Harbour Guild without a full stop"),  # a line break ends one
])
def test_the_sentence_holding_a_span(words, sentence):
    assert sentence_around(TEXT, *span(words)) == sentence


def test_a_span_across_two_sentences_gets_both():
    start, _ = span("dawn")
    _, end = span("Oren")
    assert sentence_around(TEXT, start, end).startswith("QUAYSIDE") and sentence_around(TEXT, start, end).endswith("Monday!")


def test_a_text_without_stops_gives_words_around_the_span_not_the_whole_line():
    text = "word " * 2000
    first, last = sentence_bounds(text, 5000, 5004)
    assert 5000 - MAX_SIDE <= first <= 5000 and 5004 <= last <= 5004 + MAX_SIDE
    assert text[first - 1] == " " and text[last] == " "  # cut between words


def test_a_span_reaching_before_the_text_is_clipped_to_it():
    assert sentence_around("Short one. Another.", -3, 5) == "Short one."
