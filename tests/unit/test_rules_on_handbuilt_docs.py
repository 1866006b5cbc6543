"""The rule stages on hand-built parsed Docs: no statistical model needed."""

from datetime import date

from components.extract.actors import ActorExtractor
from components.extract.casualties import CasualtyExtractor
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from components.extract.milestones import MilestoneExtractor
from tests.conftest import make_doc

K = load_knowledge()


def run_casualties(doc, published=date(2025, 5, 17)):
    layout = Layout()
    actors = ActorExtractor(K).extract(doc, layout)
    return CasualtyExtractor(K).extract(doc, layout, actors, published)


def test_active_voice_two_kinds_in_one_clause(blank_vocab):
    # "A Russian drone attack killed nine people and wounded five."
    doc = make_doc(blank_vocab, [
        ("A", "DET", "DT", "det", 3, "a"), ("Russian", "ADJ", "JJ", "amod", 3, "russian"),
        ("drone", "NOUN", "NN", "compound", 3, "drone"), ("attack", "NOUN", "NN", "nsubj", 4, "attack"),
        ("killed", "VERB", "VBD", "ROOT", 4, "kill"), ("nine", "NUM", "CD", "nummod", 6, "nine"),
        ("people", "NOUN", "NNS", "dobj", 4, "people"), ("and", "CCONJ", "CC", "cc", 4, "and"),
        ("wounded", "VERB", "VBD", "conj", 4, "wound"), ("five", "NUM", "CD", "dobj", 8, "five"),
        (".", "PUNCT", ".", "punct", 4, "."),
    ], ents=[(1, 2, "NORP")])
    result = run_casualties(doc)
    assert result.totals == {"killed": 9, "wounded": 5}
    killed = next(c for c in result.casualties if c.kind == "killed")
    assert killed.perpetrator == "Russia"
    assert killed.date == "2025-05-17"
    assert doc.text[killed.start:killed.end] == "killed nine"


def test_victim_groups_add_up_in_the_passive(blank_vocab):
    # "Two soldiers and three civilians were killed."
    doc = make_doc(blank_vocab, [
        ("Two", "NUM", "CD", "nummod", 1, "two"), ("soldiers", "NOUN", "NNS", "nsubjpass", 6, "soldier"),
        ("and", "CCONJ", "CC", "cc", 1, "and"), ("three", "NUM", "CD", "nummod", 4, "three"),
        ("civilians", "NOUN", "NNS", "conj", 1, "civilian"), ("were", "AUX", "VBD", "auxpass", 6, "be"),
        ("killed", "VERB", "VBN", "ROOT", 6, "kill"), (".", "PUNCT", ".", "punct", 6, "."),
    ])
    result = run_casualties(doc)
    assert result.totals == {"killed": 5}
    assert result.casualties[0].victims == "civilians, soldiers"


def test_years_and_ages_are_not_tolls(blank_vocab):
    # "In 2022, the 27-year-old was arrested." -> no killed or wounded
    doc = make_doc(blank_vocab, [
        ("In", "ADP", "IN", "prep", 6, "in"), ("2022", "NUM", "CD", "pobj", 0, "2022"), (",", "PUNCT", ",", "punct", 6, ","),
        ("the", "DET", "DT", "det", 4, "the"), ("27-year-old", "NOUN", "NN", "nsubjpass", 6, "27-year-old"),
        ("was", "AUX", "VBD", "auxpass", 6, "be"), ("arrested", "VERB", "VBN", "ROOT", 6, "arrest"), (".", "PUNCT", ".", "punct", 6, "."),
    ])
    result = run_casualties(doc)
    assert result.totals == {}


def test_no_one_was_hurt(blank_vocab):
    doc = make_doc(blank_vocab, [
        ("No", "DET", "DT", "det", 1, "no"), ("one", "PRON", "NN", "nsubjpass", 3, "one"), ("was", "AUX", "VBD", "auxpass", 3, "be"),
        ("hurt", "VERB", "VBN", "ROOT", 3, "hurt"), (".", "PUNCT", ".", "punct", 3, "."),
    ])
    assert run_casualties(doc).totals == {}


def test_held_talks_with_parties_place_and_weekday(blank_vocab):
    # "Russia and Ukraine held talks in Istanbul on Friday."
    doc = make_doc(blank_vocab, [
        ("Russia", "PROPN", "NNP", "nsubj", 3, "Russia"), ("and", "CCONJ", "CC", "cc", 0, "and"),
        ("Ukraine", "PROPN", "NNP", "conj", 0, "Ukraine"), ("held", "VERB", "VBD", "ROOT", 3, "hold"),
        ("talks", "NOUN", "NNS", "dobj", 3, "talk"), ("in", "ADP", "IN", "prep", 3, "in"),
        ("Istanbul", "PROPN", "NNP", "pobj", 5, "Istanbul"), ("on", "ADP", "IN", "prep", 3, "on"),
        ("Friday", "PROPN", "NNP", "pobj", 7, "Friday"), (".", "PUNCT", ".", "punct", 3, "."),
    ], ents=[(0, 1, "GPE"), (2, 3, "GPE"), (6, 7, "GPE")])
    layout = Layout()
    actors = ActorExtractor(K).extract(doc, layout)
    assert {a.name for a in actors.actors} == {"Russia", "Ukraine"}
    assert [p.name for p in actors.places] == ["Istanbul"]
    milestones = MilestoneExtractor().extract(doc, layout, actors, [], date(2025, 5, 17))
    assert len(milestones) == 1
    m = milestones[0]
    assert (m.kind, m.status, sorted(m.parties), m.location, m.date) == ("talks", "held", ["Russia", "Ukraine"], "Istanbul", "2025-05-16")


def test_negated_truce_is_not_a_milestone(blank_vocab):
    # "The talks did not result in a truce."
    doc = make_doc(blank_vocab, [
        ("The", "DET", "DT", "det", 1, "the"), ("talks", "NOUN", "NNS", "nsubj", 4, "talk"), ("did", "AUX", "VBD", "aux", 4, "do"),
        ("not", "PART", "RB", "neg", 4, "not"), ("result", "VERB", "VB", "ROOT", 4, "result"), ("in", "ADP", "IN", "prep", 4, "in"),
        ("a", "DET", "DT", "det", 7, "a"), ("truce", "NOUN", "NN", "pobj", 5, "truce"), (".", "PUNCT", ".", "punct", 4, "."),
    ])
    layout = Layout()
    actors = ActorExtractor(K).extract(doc, layout)
    kinds = [m.kind for m in MilestoneExtractor().extract(doc, layout, actors, [], date(2025, 5, 17))]
    assert "ceasefire" not in kinds
    # The same sentence without the negation does give a ceasefire, so the negation is what removed it.
    affirmed = make_doc(blank_vocab, [
        ("The", "DET", "DT", "det", 1, "the"), ("talks", "NOUN", "NNS", "nsubj", 2, "talk"), ("resulted", "VERB", "VBD", "ROOT", 2, "result"),
        ("in", "ADP", "IN", "prep", 2, "in"), ("a", "DET", "DT", "det", 5, "a"), ("truce", "NOUN", "NN", "pobj", 3, "truce"),
        (".", "PUNCT", ".", "punct", 2, "."),
    ])
    actors = ActorExtractor(K).extract(affirmed, layout)
    assert ("ceasefire", "agreed") in [(m.kind, m.status) for m in MilestoneExtractor().extract(affirmed, layout, actors, [], date(2025, 5, 17))]


def test_possible_meeting_is_proposed_with_its_condition(blank_vocab):
    # "A meeting between Putin and Zelensky would be possible only after an agreement."
    # (a meeting needs its sides named: "a meeting would be possible" alone is nobody's meeting)
    doc = make_doc(blank_vocab, [
        ("A", "DET", "DT", "det", 1, "a"), ("meeting", "NOUN", "NN", "nsubj", 7, "meeting"),
        ("between", "ADP", "IN", "prep", 1, "between"), ("Putin", "PROPN", "NNP", "pobj", 2, "Putin"),
        ("and", "CCONJ", "CC", "cc", 3, "and"), ("Zelensky", "PROPN", "NNP", "conj", 3, "Zelensky"),
        ("would", "AUX", "MD", "aux", 7, "would"),
        ("be", "AUX", "VB", "ROOT", 7, "be"), ("possible", "ADJ", "JJ", "acomp", 7, "possible"), ("only", "ADV", "RB", "advmod", 10, "only"),
        ("after", "ADP", "IN", "prep", 7, "after"), ("an", "DET", "DT", "det", 12, "an"), ("agreement", "NOUN", "NN", "pobj", 10, "agreement"),
        (".", "PUNCT", ".", "punct", 7, "."),
    ], ents=[(3, 4, "PERSON"), (5, 6, "PERSON")])
    layout = Layout()
    actors = ActorExtractor(K).extract(doc, layout)
    milestones = MilestoneExtractor().extract(doc, layout, actors, [], date(2025, 5, 17))
    assert [(m.kind, m.status) for m in milestones] == [("meeting", "proposed")]
    assert milestones[0].condition == "only after an agreement"


def test_actor_merging_credits_and_compounds(blank_vocab):
    # "Putin-Zelensky talks : Zelensky met Volodymyr Zelensky 's aides . Photo : Anna KOVAL / AFP"
    words = [("Putin-Zelensky", "PROPN", "NNP", "compound", 1, "x"), ("talks", "NOUN", "NNS", "ROOT", 1, "talk"), ("\n", "SPACE", "_SP", "dep", 1, "\n"),
             ("Photo", "NOUN", "NN", "ROOT", 3, "photo"), (":", "PUNCT", ":", "punct", 3, ":"), ("Anna", "PROPN", "NNP", "compound", 6, "Anna"),
             ("KOVAL", "PROPN", "NNP", "appos", 3, "KOVAL"), ("/", "SYM", "SYM", "punct", 3, "/"), ("AFP", "PROPN", "NNP", "appos", 3, "AFP")]
    doc = make_doc(blank_vocab, words, ents=[(0, 1, "PERSON"), (5, 7, "PERSON"), (8, 9, "ORG")], text_spaces=[True, False, False, False, True, True, True, True, False])
    from components.extract.layout import find_layout

    layout = find_layout(doc.text)
    actors = ActorExtractor(K).extract(doc, layout)
    names = {a.name for a in actors.actors}
    assert names == {"Vladimir Putin", "Volodymyr Zelensky"}
    assert "Anna Koval" not in names and "AFP" not in names


def test_elliptical_toll_reads_the_number_before_the_trigger(blank_vocab):
    # "Nine dead ." : the number is beside the trigger, not its argument
    from components.extract.casualties import _nearby

    doc = make_doc(blank_vocab, [
        ("Nine", "NUM", "CD", "ROOT", 0, "nine"), ("dead", "ADJ", "JJ", "amod", 0, "dead"), (".", "PUNCT", ".", "punct", 0, "."),
    ])
    part = _nearby(doc[1], next(iter(doc.sents)), set())
    assert part is not None and part.count.value == 9 and [t.i for t in part.tokens] == [0]
