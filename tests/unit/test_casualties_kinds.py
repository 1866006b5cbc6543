"""Casualty tolls by kind of phrasing, in sentences the team wrote.

Each group is one kind of phrasing met in real reporting (the misses of the development
leads, studied by kind): one victim named or described without a number, victims named on
the verb above the trigger, tolls of the next trigger not added to this one, tolls that add
to the one before, and statements that are no toll at all.
"""

import json
from datetime import date

import pytest

pytestmark = pytest.mark.model

DAY = date(2024, 4, 16)


def totals(extractor, text: str, published: date | None = DAY) -> dict[str, int]:
    return extractor.extract(text, published).totals


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen shot dead the head of the local water board outside his office on Tuesday.",
        "A schoolteacher was shot and killed near the market on Friday, police said.",
        "The deputy mayor was ambushed on his way home and later died in hospital, officials said.",
        "Militants claimed responsibility for the murder of a customs officer in the port city.",
        "Two men hacked a shopkeeper to death on Monday night.",
        "A local chief was fatally shot at a checkpoint on Sunday.",
    ],
)
def test_one_victim_named_by_role_counts_one(extractor, text):
    assert totals(extractor, text).get("killed") == 1


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("At least 12 fishermen were feared killed when their boats were shelled on Sunday.", 12),
        ("Four miners were found burned to death inside the shaft on Monday.", 4),
        ("The clashes over grazing land resulted in the death of six herders, the governor said.", 6),
        ("Fifteen people were confirmed killed in the raid on the village.", 15),
    ],
)
def test_victims_named_on_the_verb_above_the_trigger(extractor, text, killed):
    assert totals(extractor, text).get("killed") == killed


def test_a_hedged_toll_says_so(extractor):
    (toll,) = [c for c in extractor.extract("Nine farmers were feared killed on Sunday.", DAY).casualties if c.kind == "killed"]
    assert (toll.count, toll.qualifier) == (9, "unconfirmed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eleven villagers were killed and at least 30 injured on Monday when a bomb went off.", {"killed": 11, "wounded": 30}),
        ("The raid on the camp left 25 people dead and over 40 others injured.", {"killed": 25, "wounded": 40}),
        ("A brawl in the jail left four inmates dead and another three wounded.", {"killed": 4, "wounded": 3}),
        ("At least 120 have been killed so far and more than 90 others injured in the bombing.", {"killed": 120, "wounded": 90}),
    ],
)
def test_the_next_triggers_victims_are_not_added(extractor, text, expected):
    got = totals(extractor, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Militants beheaded three elders and killed at least five other villagers in the raid.", 8),
        ("Three people were killed in the shelling on Monday. Two more people were killed on Tuesday night.", 5),
        ("The fighting has killed 20 people this week. Police said 14 civilians died in the clashes while six more were killed "
         "at a roadblock.", 20),
    ],
)
def test_tolls_that_add_to_the_one_before(extractor, text, killed):
    assert totals(extractor, text).get("killed") == killed


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("It is easier to start a feud than to kill a man.", DAY),
        ("The envoys admitted that the talks had reached a dead end.", DAY),
        ("In that country seven people are murdered every day, a report found.", DAY),
        ("The former president died in 2004 after a long illness.", DAY),
        ("The singer's death at the age of 80 was announced on Friday.", DAY),
        ("He was sentenced to death by a military court.", DAY),
        ("The rebels threatened to kill the hostages if the army advanced.", DAY),
        ("Hundreds of workers lost their jobs when the mill closed.", DAY),
        ("On 3 May 1999 a bomb in the old market killed 40 people.", None),
    ],
)
def test_no_toll_in_what_is_not_a_report(extractor, text, published):
    assert "killed" not in totals(extractor, text, published)


def test_purpose_infinitive_after_an_act_is_a_report(extractor):
    text = "Raiders used machetes to kill at least nine villagers on Monday, local officials said."
    assert totals(extractor, text).get("killed") == 9


def test_the_year_of_a_dated_article_is_not_background(extractor):
    text = "Gunmen killed seven traders on 2 April 2024 near the border post, police said."
    assert totals(extractor, text).get("killed") == 7


@pytest.mark.parametrize(
    "text",
    [
        "Thousands died in the famine that followed the siege.",
        "The city has suffered six bombings this year. At least 90 people have been killed.",
        "The raid was carried out in revenge for the killing of a herder.",
        "Crowds marked the anniversary of the death of a revered cleric.",
        "Police arrested six men over last month's blast at a market that killed nine people.",
    ],
)
def test_summaries_motives_and_earlier_events_are_not_this_reports_toll(extractor, text):
    assert "killed" not in totals(extractor, text)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Hundreds of people were killed when the dam burst on Monday night.", 200),
        ("A mayor was shot and killed outside the town hall on Friday; his bodyguard was also killed.", 2),
        ("A journalist was killed near the river on Tuesday. The journalist, Ana Ruiz, was shot as she left her home.", 1),
        ("The total number of people killed in the clashes has been put at 32 people by local officials.", 32),
        ("Gunmen killed 12 former guards on Sunday, a day after their release from a jail where they had served time "
         "for abuses during the 1998 uprising.", 12),
    ],
)
def test_tolls_told_plainly_still_count(extractor, text, killed):
    assert totals(extractor, text).get("killed") == killed


def test_eval_reads_the_labelled_file_as_it_is_and_groups_the_misses_by_kind(extractor, tmp_path):
    from components.tools.evaluate import eval_casualties

    rows = [
        {"id": "right", "text": "Gunmen killed four farmers on Monday, police said.", "published": "2024-04", "gold": {"killed": 4, "wounded": None}},
        {"id": "missed", "text": "The bridge was closed on Monday for repairs.", "gold": {"killed": 3, "wounded": 0}},
        {"id": "over", "text": "Gunmen killed four farmers on Monday, police said.", "gold": {"killed": 2, "wounded": None}},
        {"id": "quiet", "text": "Two soldiers were killed on Monday.", "casualties": {"killed": None, "wounded": None}},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    scores = eval_casualties(path, extractor)
    assert (scores.n, scores.killed_exact, scores.none_n, scores.none_false_positive) == (3, 1, 1, 1)
    assert {m.id: m.cause for m in scores.misses} == {
        "missed": "no toll read", "over": "over-count (parts added twice, another incident, attackers)",
        "quiet": "a toll on a text without one"}
    report = scores.report()
    assert "killed exact match:  0.333 (1/3)" in report and "false positives on texts without casualties: 1.000 (1/1)" in report
    assert report.index("no toll read: 1") > report.index("mean absolute error")
