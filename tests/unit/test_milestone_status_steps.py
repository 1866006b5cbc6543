"""The named status steps of the milestone stage, on hand-built Docs (no statistical model)."""

from components.extract.milestones import STATUS_STEPS, Decision, decide_status
from tests.conftest import make_doc


def _status(doc, trigger_index, kind):
    sent = next(iter(doc.sents))
    return decide_status(doc[trigger_index], kind, sent)


def test_steps_are_named_and_unique():
    names = [name for name, _ in STATUS_STEPS]
    assert len(names) == len(set(names))
    assert names.index("failure or cancellation") < names.index("rejection") < names.index("negation")


def test_collapsed_truce_fails_in_the_failure_step(blank_vocab):
    # "The truce collapsed ."
    doc = make_doc(blank_vocab, [
        ("The", "DET", "DT", "det", 1, "the"), ("truce", "NOUN", "NN", "nsubj", 2, "truce"),
        ("collapsed", "VERB", "VBD", "ROOT", 2, "collapse"), (".", "PUNCT", ".", "punct", 2, "."),
    ])
    assert _status(doc, 1, "ceasefire") == Decision("failed", "failure or cancellation")


def test_called_off_summit_is_rejected(blank_vocab):
    # "They called off the summit ."
    doc = make_doc(blank_vocab, [
        ("They", "PRON", "PRP", "nsubj", 1, "they"), ("called", "VERB", "VBD", "ROOT", 1, "call"),
        ("off", "ADP", "RP", "prt", 1, "off"), ("the", "DET", "DT", "det", 4, "the"),
        ("summit", "NOUN", "NN", "dobj", 1, "summit"), (".", "PUNCT", ".", "punct", 1, "."),
    ])
    assert _status(doc, 4, "meeting") == Decision("rejected", "failure or cancellation")


def test_violation_of_a_ceasefire_fails_it(blank_vocab):
    # "a violation of the ceasefire"
    doc = make_doc(blank_vocab, [
        ("a", "DET", "DT", "det", 1, "a"), ("violation", "NOUN", "NN", "ROOT", 1, "violation"),
        ("of", "ADP", "IN", "prep", 1, "of"), ("the", "DET", "DT", "det", 4, "the"),
        ("ceasefire", "NOUN", "NN", "pobj", 2, "ceasefire"),
    ])
    assert _status(doc, 4, "ceasefire") == Decision("failed", "violation")


def test_rejected_proposal(blank_vocab):
    # "Moscow rejected the plan ."
    doc = make_doc(blank_vocab, [
        ("Moscow", "PROPN", "NNP", "nsubj", 1, "Moscow"), ("rejected", "VERB", "VBD", "ROOT", 1, "reject"),
        ("the", "DET", "DT", "det", 3, "the"), ("plan", "NOUN", "NN", "dobj", 1, "plan"), (".", "PUNCT", ".", "punct", 1, "."),
    ])
    assert _status(doc, 3, "proposal") == Decision("rejected", "rejection")


def test_held_talks(blank_vocab):
    # "They held talks ."
    doc = make_doc(blank_vocab, [
        ("They", "PRON", "PRP", "nsubj", 1, "they"), ("held", "VERB", "VBD", "ROOT", 1, "hold"),
        ("talks", "NOUN", "NNS", "dobj", 1, "talk"), (".", "PUNCT", ".", "punct", 1, "."),
    ])
    assert _status(doc, 2, "talks") == Decision("held", "talks or meeting")


def test_signed_agreement_is_agreed(blank_vocab):
    # "They signed an agreement ."
    doc = make_doc(blank_vocab, [
        ("They", "PRON", "PRP", "nsubj", 1, "they"), ("signed", "VERB", "VBD", "ROOT", 1, "sign"),
        ("an", "DET", "DT", "det", 3, "an"), ("agreement", "NOUN", "NN", "dobj", 1, "agreement"), (".", "PUNCT", ".", "punct", 1, "."),
    ])
    assert _status(doc, 3, "agreement") == Decision("agreed", "agreed")


def test_no_agreement_is_no_milestone(blank_vocab):
    # "No agreement was reached ."
    doc = make_doc(blank_vocab, [
        ("No", "DET", "DT", "det", 1, "no"), ("agreement", "NOUN", "NN", "nsubjpass", 3, "agreement"),
        ("was", "AUX", "VBD", "auxpass", 3, "be"), ("reached", "VERB", "VBN", "ROOT", 3, "reach"), (".", "PUNCT", ".", "punct", 3, "."),
    ])
    assert _status(doc, 1, "agreement") == Decision(None, "reference")


def test_verbless_possible_summit_is_proposed(blank_vocab):
    # "a possible summit"
    doc = make_doc(blank_vocab, [
        ("a", "DET", "DT", "det", 2, "a"), ("possible", "ADJ", "JJ", "amod", 2, "possible"), ("summit", "NOUN", "NN", "ROOT", 2, "summit"),
    ])
    assert _status(doc, 2, "meeting") == Decision("proposed", "no governing verb")
