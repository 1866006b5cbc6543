"""Milestones on the kinds of phrasing real news uses (sentences written by the team).

Each case stands for a kind of phrasing met in real reporting, not for one sentence:
precision first (what is not diplomacy, not news), then the status of what is.
"""

import pytest

pytestmark = pytest.mark.model


def _pairs(extractor, text):
    return sorted((m.kind, m.status) for m in extractor.extract(text).milestones)


@pytest.mark.parametrize(
    "text",
    [
        # a candidate's meeting with his own side's donors
        "On Friday the governor is due to meet his party's biggest donors at a hotel in Chicago.",
        # a private person
        "The consultant said the lobbyist had met her twice over lunch.",
        # a business deal
        "The Gazprom-Shell deal will be the largest takeover in the energy sector this year.",
        # the state of sanctions, not an imposition
        "Iran has been under American and European sanctions over its nuclear programme for a decade.",
        # a musing
        "He has said he might lift sanctions on Venezuela if he wins.",
        # a question
        "Is it wise for a defence minister to meet arms dealers in private?",
        # a photo caption
        "Russian President Vladimir Putin (R) meets Belarusian President Alexander Lukashenko in Minsk.",
        # people of a state are not the state
        "I met last week with two Russian journalists and a Ukrainian poet.",
        # a negated capability is no event
        "Talks could not be held under such pressure, the Azerbaijani envoy said.",
        # failing to reach a truce is not a failed truce
        "The two governments failed on Monday to reach a ceasefire in Sudan.",
        # a description of someone
        "Sergei Lavrov, who has spent months seeking a truce in Libya, flew to Cairo.",
        # a past period
        "Fighting between Azerbaijan and Armenia flared again last year after a truce collapsed.",
        # a climate accord
        "Germany and Brazil pledged on Monday to ratify a new climate accord.",
        # a call to respect an existing truce
        "The German chancellor urged Russia and Ukraine to respect the truce.",
        # a known deal's effects
        "Analysts say the grain deal will have a lasting effect on bread prices.",
        # a unit named after talks
        "The ministry's negotiations support unit issued a statement on Sunday.",
    ],
)
def test_not_a_milestone(extractor, text):
    assert _pairs(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a ceasefire written with spaced hyphens, and its violations
        ("Aid groups said the Sudanese army's repeated violations of the cease - fire in Darfur had killed dozens.",
         [("ceasefire", "failed")]),
        # a truce in force
        ("Aid workers fear the shelling of Marib will resume when the current truce between the Houthis and Saudi Arabia expires.",
         [("ceasefire", "completed")]),
        # withdrawal from a treaty rejects it
        ("Russia announced its decision to withdraw from the arms control treaty with the United States.",
         [("agreement", "rejected")]),
        # a side paused its fighting
        ("Turkey halted its air campaign against Kurdish fighters in Syria on Monday.", [("ceasefire", "completed")]),
        # the lifting of an embargo
        ("After the lifting of the EU arms embargo on Belarus, Minsk placed orders for helicopters.", [("sanctions", "completed")]),
        # a dialogue cut off
        ("Seoul and Pyongyang have cut off formal dialogue on their border dispute.", [("talks", "failed")]),
        # a cancelled meeting, and the leader met instead
        ("Donald Trump cancelled a planned meeting with Vladimir Putin on Friday. He conferred with Volodymyr Zelensky instead.",
         [("meeting", "held"), ("meeting", "rejected")]),
    ],
)
def test_status_of_real_phrasing(extractor, text, expected):
    assert _pairs(extractor, text) == expected


def test_he_is_the_person_named_before(extractor):
    text = "Alexander Lukashenko landed in Beijing on Monday. He met with Chinese Premier Li Qiang at the Great Hall."
    got = extractor.extract(text).milestones
    assert [(m.kind, m.status) for m in got] == [("meeting", "held")]
    assert "Alexander Lukashenko" in got[0].participants
    assert set(got[0].parties) == {"Belarus", "China"}


def test_a_deal_that_frays_has_failed(extractor):
    text = "The agreement between Armenia and Azerbaijan was announced on Monday, but it began to fray within days."
    assert _pairs(extractor, text) == [("agreement", "failed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # headlines in the present tense
        ("Russia and Ukraine exchange 95 prisoners of war each in a deal mediated by the United Arab Emirates.", [("prisoner_exchange", "completed")]),
        ("Ethiopia and the TPLF sign a permanent cessation of hostilities agreement in Pretoria.", [("ceasefire", "agreed")]),
        # a deal told by its participle, or welcomed
        ("Fighting continues in Donetsk despite the ceasefire agreed in Minsk last week.", [("ceasefire", "agreed")]),
        ("Norway welcomes the agreement between the Government of South Sudan and the SPLM-IO.", [("agreement", "agreed")]),
        # a vote that extends an embargo has extended it
        ("The UN Security Council votes to extend the arms embargo on South Sudan.", [("sanctions", "completed")]),
    ],
)
def test_headlines_and_statements(extractor, text, expected):
    assert _pairs(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a government freeing its own prisoners is no exchange
        "The junta pardoned and released 300 political prisoners on Independence Day.",
    ],
)
def test_not_an_exchange_or_a_new_treaty(extractor, text):
    assert _pairs(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a meeting planned by the clause above its verb
        ("Sergei Lavrov will fly to Ankara next week to meet with Turkish Foreign Minister Hakan Fidan.", [("meeting", "planned")]),
        # a call
        ("Volodymyr Zelensky spoke by phone with Alexander Lukashenko on Tuesday.", [("meeting", "held")]),
        # leaders who talked on the margins of a summit met there
        ("Vladimir Putin and Alexander Lukashenko discussed gas prices on the sidelines of the BRICS summit in Kazan.",
         [("meeting", "held")]),
        # a deal about to be announced is agreed
        ("Israel and Hamas are expected to announce a deal on Friday, mediators said.", [("agreement", "agreed")]),
        # an agreement that took effect
        ("The grain deal between Russia and Ukraine took effect in August.", [("agreement", "completed")]),
        # talks named by their city, one side named
        ("Ukrainian negotiators walked out of the Istanbul talks on Monday.", [("talks", "failed")]),
    ],
)
def test_statements_of_diplomacy(extractor, text, expected):
    assert _pairs(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a legislature's deal is domestic politics
        "The Senate will vote on the bill next week after lawmakers reached a deal on funding.",
        # a candidate's promise
        "The candidate said he would scrap the nuclear deal with Iran if elected.",
        # history told as a count
        "Since the war began, several ceasefires have failed.",
        # a text dated by its participle
        "The memorandum, signed in 1994, guaranteed Ukraine's borders.",
        # a habit, not an event
        "Sergei Lavrov and his Turkish counterpart have met dozens of times this year.",
        # the terms of a deal, not news of it
        "Hamas said the hostages would stay in Gaza, as agreed under the deal.",
    ],
)
def test_not_news_of_diplomacy(extractor, text):
    assert _pairs(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # talks at a named venue, or mediated: one side named is enough
        ("A Ukrainian delegation will fly to Riyadh on Monday for talks on a maritime truce.", [("talks", "planned")]),
        ("Qatar-mediated talks in Doha to end the fighting in Gaza broke down on Friday after Hamas rejected the terms.",
         [("talks", "failed")]),
        # agreeing to observe a truce is agreeing to it
        ("Armenia and Azerbaijan agreed on Tuesday to strictly observe the ceasefire along their border.", [("ceasefire", "agreed")]),
        # agreeing to free prisoners is an exchange agreed
        ("The Houthis and the Yemeni government agreed in Geneva to free 600 prisoners.", [("prisoner_exchange", "agreed")]),
    ],
)
def test_talks_and_agreements_with_one_side_named(extractor, text, expected):
    assert _pairs(extractor, text) == expected


def test_an_offer_of_dialogue_is_a_proposal(extractor):
    text = "The European Union is expected to offer Belarus a fresh dialogue in a joint commission, which has not sat since 2020."
    assert _pairs(extractor, text) == [("proposal", "proposed")]


def test_the_talks_named_before_keep_their_sides(extractor):
    text = ("Armenia and Azerbaijan agreed to hold talks in Abu Dhabi on Monday. "
            "The talks lasted about three hours, officials said.")
    got = extractor.extract(text).milestones
    assert [(m.kind, m.status) for m in got] == [("talks", "held")]
    assert set(got[0].parties) == {"Armenia", "Azerbaijan"}


def test_a_truce_with_conditions_is_proposed(extractor):
    text = "A truce would have to be accompanied by a halt to arms deliveries to Armenia, Azerbaijan's foreign minister said."
    assert _pairs(extractor, text) == [("ceasefire", "proposed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an opinion poll is nobody's proposal
        ("Only a third of voters said the government should impose sanctions on Iran, a poll found.", []),
        # an official's call is one
        ("France said the European Union should impose sanctions on Iran.", [("sanctions", "proposed")]),
        # a truce both sides accuse each other of breaking has failed
        ("The three-day truce in Idlib expired on Sunday with both sides accusing each other of breaking it.", [("ceasefire", "failed")]),
        # a candidate's offer is a campaign promise
        ("Republican presidential candidate Donald Trump said he is willing to meet Kim Jong Un for talks.", []),
    ],
)
def test_opinions_broken_truces_and_candidates(extractor, text, expected):
    assert _pairs(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a deal on a price is business
        ("The defence ministry reached an agreement with Airbus on the price of new tanker aircraft.", []),
        # leaders who agreed something at a meeting met
        ("Vladimir Putin and Alexander Lukashenko agreed to deepen trade ties at a meeting in Sochi.", [("meeting", "held")]),
        # a new round of talks set for a date
        ("The UN envoy said a new round of talks would begin in Geneva on March 3.", [("talks", "planned")]),
    ],
)
def test_settings_rounds_and_prices(extractor, text, expected):
    assert _pairs(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an understanding reached is an agreement
        ("Serbia and Kosovo reached an understanding on licence plates in Brussels on Sunday.", [("agreement", "agreed")]),
        # an understanding of something is not
        ("Officials said they now had a better understanding of the crisis.", []),
        # blacklisting is a sanction imposed
        ("The U.S. Treasury blacklisted three Iranian shipping firms on Thursday.", [("sanctions", "completed")]),
    ],
)
def test_understandings_and_blacklists(extractor, text, expected):
    assert _pairs(extractor, text) == expected


def test_a_welcomed_release_of_hostages_happened(extractor):
    text = "The Norwegian foreign minister welcomed the release of two Norwegian hostages held by Hamas in Gaza."
    assert _pairs(extractor, text) == [("prisoner_exchange", "completed")]
