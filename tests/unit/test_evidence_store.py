"""The store's reads behind the evidence panel and the correction editor: which figure stands
for each incident in the totals, where it is in its article, and what an audit row is about."""

from datetime import date

import pytest

from components.models import Actor, Article, Casualty, Extraction
from components.store import Filters, Store

# Two outlets report one shelling (invented for these tests); the second has a higher toll.
FIRST = ("Artillery fire hit the covered market in Lysove on Sunday, killing six people. "
         "Six people died at the market, the mayor repeated later. "
         "Since the fighting began, 900 residents of the district have been killed.")
SECOND = "The toll from Sunday's shelling of the Lysove market rose to eight, the regional office said."


def _casualty(text: str, phrase: str, count: int, **kw) -> Casualty:
    start = text.index(phrase)
    sentence = next(s for s in text.split(". ") if phrase in s)
    return Casualty("killed", count, count, count, None, sentence, start, start + len(phrase), location="Lysove", date="2025-03-09", **kw)


@pytest.fixture()
def store(database_url):
    s = Store(database_url)
    s.save(Article(text=FIRST, title="Market shelled in Lysove", published=date(2025, 3, 10), source="Valley Courier"), Extraction(
        id="a", actors=[Actor("Lysove Council", "organization", "Ukraine", canonical="Lysove Council", mentions=1, spans=[(43, 49)])],
        casualties=[_casualty(FIRST, "killing six", 6, incident=0, counted=True),
                    _casualty(FIRST, "Six people died", 6, incident=0, counted=False),
                    _casualty(FIRST, "900 residents", 900, incident=-1, cumulative=True)]))
    s.save(Article(text=SECOND, title="Lysove toll rises", published=date(2025, 3, 11), source="Hill Post"), Extraction(
        id="b", casualties=[_casualty(SECOND, "rose to eight", 8, incident=0, counted=True)]))
    return s


def _ids(store: Store) -> tuple[int, int]:
    articles = store.articles().set_index("source")["id"]
    return int(articles["Valley Courier"]), int(articles["Hill Post"])


def test_the_evidence_of_a_total_adds_up_to_it_and_points_at_its_sentence(store):
    assert store.casualty_totals() == {"killed": 8}
    rows = store.totals_evidence(kind="killed")
    assert len(rows) == 1 and int(rows["count"].sum()) == 8
    row = rows.iloc[0]
    _, second = _ids(store)
    assert int(row["article_id"]) == second and SECOND[int(row["start"]):int(row["end"])] == "rose to eight"
    assert row["location"] == "Lysove" and "rose to eight" in row["sentence"]


def test_the_evidence_follows_the_filters_like_the_totals(store):
    only_first = Filters(sources=("Valley Courier",))
    assert store.casualty_totals(only_first) == {"killed": 6}
    rows = store.totals_evidence(only_first, kind="killed")
    assert rows["count"].tolist() == [6] and FIRST[int(rows.iloc[0]["start"]):int(rows.iloc[0]["end"])] == "killing six"
    # A bar of the charts: a day, a place.
    assert len(store.totals_evidence(day=date(2025, 3, 9))) == 1
    assert store.totals_evidence(day=date(2025, 3, 20)).empty
    assert len(store.totals_evidence(place="Lysove")) == 1 and store.totals_evidence(place="Elsewhere").empty
    assert store.totals_evidence(kind="wounded").empty


def test_every_report_of_an_incident_and_the_one_in_the_totals(store):
    incident = int(store.totals_evidence().iloc[0]["incident_id"])
    sources = store.incident_sources(incident)
    assert sources["count"].tolist() == [6, 8]  # oldest first
    assert sources["in_totals"].tolist() == [False, True]
    assert {"item_id", "start", "end"} <= set(sources.columns)


def test_the_standing_of_each_figure_says_which_one_counts(store):
    first, second = _ids(store)
    standing = store.totals_standing(first)
    assert not standing["in_totals"].any()  # the newer report stands for the incident
    counted = standing[standing["counted"].astype(bool)]
    assert len(counted) == 1 and int(counted.iloc[0]["counting_article"]) == second
    assert standing["cumulative"].astype(bool).sum() == 1
    assert store.totals_standing(second)["in_totals"].tolist() == [True]


def test_figures_marked_in_the_totals_are_exactly_what_the_totals_add(store):
    casualties = store.casualties().set_index("id")
    marked = [int(i) for a in _ids(store) for i in store.totals_standing(a).query("in_totals")["id"]]
    assert sum(int(casualties.loc[i, "count"]) for i in marked) == store.casualty_totals()["killed"]
    # After a correction makes the older report the only one, its figure counts instead.
    newer = int(store.totals_evidence().iloc[0]["item_id"])
    store.corrections.delete_item("casualty", newer, "a duplicate wire copy")
    first, _ = _ids(store)
    standing = store.totals_standing(first)
    assert standing["in_totals"].sum() == 1 and store.casualty_totals() == {"killed": 6}


def test_the_articles_naming_an_actor(store):
    named = store.actor_mentions(name="Lysove Council")
    assert len(named) == 1 and [list(s) for s in named.iloc[0]["spans"]] == [[43, 49]]
    assert store.actor_mentions(Filters(sources=("Hill Post",)), name="Lysove Council").empty


def test_audit_rows_carry_the_sentence_and_kind_of_their_item(store):
    first, _ = _ids(store)
    counted = store.casualties().query("counted and article_id == @first").iloc[0]
    store.corrections.update_item("casualty", int(counted["id"]), {"count": 7}, "the mayor's figure")
    store.corrections.add_item("casualty", first, {"kind": "wounded", "count": 3, "sentence": "the mayor repeated later"}, "missed")
    audit = store.corrections.audit()
    added, updated = audit.iloc[0], audit.iloc[1]
    assert updated["evidence"].startswith("Artillery fire hit the covered market") and updated["item_kind"] == "killed"
    assert added["evidence"] == "the mayor repeated later" and added["item_kind"] == "wounded"


def test_each_mention_of_an_actor_with_the_sentence_around_it(store):
    rows = store.actor_mention_sentences(names=("Lysove Council",))
    assert rows[["start", "end"]].astype(int).values.tolist() == [[43, 49]]
    assert rows.iloc[0]["sentence"] == "Artillery fire hit the covered market in Lysove on Sunday, killing six people."
    assert store.actor_mention_sentences(Filters(sources=("Hill Post",)), names=("Lysove Council",)).empty
    assert store.actor_mention_sentences(names=()).empty and store.actor_mention_sentences(names=("Nobody",)).empty


def test_mentions_come_newest_article_first_in_reading_order_and_stop_at_the_limit(database_url):
    s = Store(database_url)
    older = "The envoy met the Harbour Guild on Monday. Later the Harbour Guild left. The Harbour Guild said nothing more."
    newer = "A quiet day. The Harbour Guild kept its stalls open."
    spans = [(older.index("Harbour Guild", i), older.index("Harbour Guild", i) + 13) for i in (0, 30, 60)]
    guild = "Harbour Guild"
    s.save(Article(text=older, title="Envoy visits", published=date(2025, 4, 1), source="Quay News"),
           Extraction(id="o", actors=[Actor(guild, "organization", None, canonical=guild, mentions=4,
                                            spans=[spans[2], spans[0], (500, 513), spans[1]])]))  # one span past the text's end
    s.save(Article(text=newer, title="Stalls open", published=date(2025, 4, 2), source="Quay News"),
           Extraction(id="n", actors=[Actor(guild, "organization", None, canonical=guild, mentions=1, spans=[])]))
    rows = s.actor_mention_sentences(names=(guild,))
    assert rows["title"].tolist() == ["Stalls open", "Envoy visits", "Envoy visits", "Envoy visits"]
    assert rows.iloc[0][["start", "end", "sentence"]].isna().all()  # named, its place not recorded: the article alone
    assert rows["start"].iloc[1:].astype(int).tolist() == [s_ for s_, _ in spans]
    assert rows["sentence"].iloc[1:].tolist() == ["The envoy met the Harbour Guild on Monday.", "Later the Harbour Guild left.",
                                                  "The Harbour Guild said nothing more."]
    assert len(s.actor_mention_sentences(names=(guild,), limit=2)) == 2
    one_day = s.actor_mention_sentences(Filters(date_from=date(2025, 4, 1), date_to=date(2025, 4, 1)), names=(guild,))
    assert set(one_day["title"]) == {"Envoy visits"}


def test_the_figures_of_a_period_are_its_incidents_at_their_newest_report(store):
    rows = store.figures_in_period(date_from=date(2025, 3, 9), date_to=date(2025, 3, 9), kind="killed")
    assert rows["count"].tolist() == [8] and rows.iloc[0]["location"] == "Lysove"  # the newer report stands for the incident
    assert SECOND[int(rows.iloc[0]["start"]):int(rows.iloc[0]["end"])] == "rose to eight"
    assert store.figures_in_period(date_from=date(2025, 3, 10), date_to=date(2025, 3, 16)).empty  # dated by the incident, not the article
    assert len(store.figures_in_period(locations=("Lysove",))) == 1 and store.figures_in_period(locations=("Elsewhere",)).empty
    assert store.figures_in_period(countries=("Ukraine",)).empty  # the incident has no country
    assert store.figures_in_period(kind="wounded").empty
    assert store.figures_in_period(Filters(sources=("Valley Courier",)), kind="killed")["count"].tolist() == [6]
