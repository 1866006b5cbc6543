"""Groups named by description, peoples that are no actor, bodies named with their operation
(issue 14). Hand-built Docs (spacy.blank vocab), sentences written by the team."""

from __future__ import annotations

from components.extract.actors import ActorExtractor
from components.extract.knowledge import load_knowledge
from components.extract.layout import Layout
from tests.unit.test_actors_handbuilt import build

K = load_knowledge()


def actors_of(doc):
    return {a.name: a for a in ActorExtractor(K).extract(doc, Layout()).actors}


def test_descriptions_of_a_group_are_its_aliases(blank_vocab):
    doc = build(blank_vocab, "Two strikes hit ISIL tactical units and an ISIL terrorist group while SDF forces advanced .",
                [("ISIL", "ORG", "Islamic State"), ("ISIL", "ORG", "Islamic State"), ("SDF", "ORG", "Syrian Democratic Forces")])
    actors = actors_of(doc)
    assert {"ISIL tactical units", "ISIL terrorist group"} <= set(actors["Islamic State"].aliases)
    assert "SDF forces" in actors["Syrian Democratic Forces"].aliases


def test_coalition_partners_and_advisers_count_toward_the_coalition(blank_vocab):
    doc = build(blank_vocab, "Coalition partners and Coalition advisers support the fight against ISIL .", [("ISIL", "ORG", "Islamic State")])
    coalition = actors_of(doc)["Global Coalition to Defeat ISIS"]
    assert {"Coalition partners", "Coalition advisers"} <= set(coalition.aliases)


def test_a_verb_after_the_group_is_no_description(blank_vocab):
    doc = build(blank_vocab, "ISIL fighters fled but ISIL claimed the attack .", [("ISIL", "ORG", "Islamic State"), ("ISIL", "ORG", "Islamic State")])
    assert set(actors_of(doc)["Islamic State"].aliases) == {"ISIL", "ISIL fighters"}


def test_a_people_before_a_group_is_part_of_its_name_and_no_actor(blank_vocab):
    doc = build(blank_vocab, "Patches of the Kurdish YPG were seen .", [("the Kurdish", "ORG"), ("YPG", "ORG", "People's Protection Units")])
    actors = actors_of(doc)
    assert set(actors) == {"People's Protection Units"}
    assert "Kurdish YPG" in actors["People's Protection Units"].aliases


def test_the_opposition_of_a_state_is_not_the_state(blank_vocab):
    doc = build(blank_vocab, "New aid goes to the Syrian opposition .", [("Syrian", "NORP", "Syria")])
    actors = actors_of(doc)
    assert set(actors) == {"Syrian opposition"}
    assert (actors["Syrian opposition"].kind, actors["Syrian opposition"].country) == ("organization", "Syria")


def test_a_task_force_is_also_named_without_its_operation(blank_vocab):
    doc = build(blank_vocab, "CJTF-OIR said so . As the CJTF reports show , strikes went on .",
                [("CJTF-OIR", "ORG"), ("CJTF", "ORG")])
    actors = actors_of(doc)
    assert len(actors) == 1
    body = next(iter(actors.values()))
    assert "CJTF" in body.aliases and body.mentions == 2


def test_officials_and_allies_of_a_state_count_toward_it_but_its_civilians_do_not(blank_vocab):
    doc = build(blank_vocab, "We met senior Iraqi officials and our Turkish allies ; Syrian civilians fled .",
                [("Iraqi", "NORP", "Iraq"), ("Turkish", "NORP", "Turkey"), ("Syrian", "NORP", "Syria")])
    actors = actors_of(doc)
    assert "senior Iraqi officials" in actors["Iraq"].aliases
    assert "Turkish allies" in actors["Turkey"].aliases
    assert "Syria" not in actors  # named only by the adjective of its civilians


def test_a_government_with_modifiers_is_the_state(blank_vocab):
    doc = build(blank_vocab, "We back Turkey 's democratically elected government .", [("Turkey", "GPE", "Turkey")],
                pos={"democratically": "ADV", "elected": "VERB"})
    assert "Turkey 's democratically elected government" in actors_of(doc)["Turkey"].aliases


def test_a_leader_the_model_read_as_a_nationality_still_names_his_regime(blank_vocab):
    doc = build(blank_vocab, "They condemned the Asad regime today .", [("Asad", "NORP")])
    assert "Asad regime" in actors_of(doc)["Syria"].aliases


def test_words_of_a_bodys_name_the_model_left_out(blank_vocab):
    doc = build(blank_vocab, "He served with Disposal Mobile Unit Two and with Combined Joint Forces Land Command .",
                [("Disposal Mobile Unit", "ORG"), ("Joint Forces Land Command", "ORG")], pos={"Two": "NUM"})
    assert {"Disposal Mobile Unit Two", "Combined Joint Forces Land Command"} <= set(actors_of(doc))


def test_a_hyphenated_modifier_inside_a_groups_description(blank_vocab):
    doc = build(blank_vocab, "They trained Peshmerga counter - attack brigades .", [("Peshmerga", "ORG", "Peshmerga")],
                pos={"counter": "NOUN", "attack": "NOUN"})
    assert "Peshmerga counter - attack brigades" in actors_of(doc)["Peshmerga"].aliases


def test_a_state_named_only_by_adjectives_of_things_is_no_actor(blank_vocab):
    doc = build(blank_vocab, "The Syrian civil war hurt German companies , and Russian air strikes hit Idlib .",
                [("Syrian", "NORP", "Syria"), ("German", "NORP", "Germany"), ("Russian", "NORP", "Russia"), ("Idlib", "GPE")])
    result = ActorExtractor(K).extract(doc, Layout())
    assert {a.name for a in result.actors} == {"Russia"}
    # the mentions stay for the stages that read them (a toll's perpetrator, a talk's parties)
    assert {m.name for m in result.mentions if m.what == "actor"} == {"Syria", "Germany", "Russia"}


def test_mediators_and_counterparts_of_a_state_are_the_state_acting(blank_vocab):
    doc = build(blank_vocab, "She raised the strike with Turkish mediators and Polish counterparts .",
                [("Turkish", "NORP", "Turkey"), ("Polish", "NORP", "Poland")])
    assert {"Turkey", "Poland"} <= set(actors_of(doc))


def test_an_acronym_in_brackets_is_the_body_before_it(blank_vocab):
    doc = build(blank_vocab, "The Office for Relief Works ( ORW ) is working with UNICEF . ORW said so .",
                [("The Office for Relief Works", "ORG"), ("ORW", "ORG"), ("UNICEF", "ORG", "UNICEF"), ("ORW", "ORG")])
    actors = actors_of(doc)
    assert "ORW" not in actors
    assert "ORW" in actors["Office for Relief Works"].aliases and actors["Office for Relief Works"].mentions == 3


def test_a_body_named_again_by_its_head_word_is_the_body_named_before(blank_vocab):
    doc = build(blank_vocab, "The Council of the Union extended the measures . The Council also listed two ministers . "
                "The Relief Commission agreed and the Commission paid .",
                [("Council of the Union", "ORG"), ("Relief Commission", "ORG"), ("Commission", "ORG")])
    result = ActorExtractor(K).extract(doc, Layout())
    names = {a.name: a for a in result.actors}
    assert names["Council of the Union"].mentions == 2 and "Council" in names["Council of the Union"].aliases
    assert "Commission" not in names and names["Relief Commission"].mentions == 2
