"""Near-duplicates: MinHash LSH over word shingles, and story ids in the store."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from components.models import Article
from components.store import Store
from components.store.dedupe import NearDuplicateIndex, group_near_duplicates, jaccard, shingles, signature
from components.store.stories import StoryIndex, assign_story_ids, stories, story_count, story_index

WIRE = (
    "KHARKIV, Ukraine - A Russian missile strike on a residential district of Kharkiv killed nine people and wounded "
    "twenty-three on Tuesday, the regional governor said, in the deadliest attack on the city this month. "
    "Rescue crews pulled survivors from the rubble of a five-storey building through the night, and officials said "
    "at least four people were still missing. The governor said the missile was fired from the Belgorod region "
    "shortly after midnight and struck minutes after the air raid alert sounded. "
    "Ukraine's foreign minister called on allies to send more air defence systems, saying the city of more than a "
    "million people had been shelled almost every day since the spring. Russia did not comment on the strike. "
    "Talks between the two sides on a prisoner exchange were held in Istanbul last week, mediated by Turkey."
)
# The same wire story as a second outlet runs it: its own dateline, one sentence cut, a few words changed.
EDITED = (
    WIRE.replace("KHARKIV, Ukraine - ", "KHARKIV (Northern Dispatch) - ")
    .replace("twenty-three", "23")
    .replace(" Russia did not comment on the strike.", "")
    + " Our correspondent reported from the scene."
)
OTHER = (
    "GENEVA - Delegations from Sudan's warring parties met in Geneva on Wednesday for talks on humanitarian access, "
    "the United Nations said, the first direct meeting between the two sides in more than a year. The talks are "
    "expected to last several days and focus on opening aid corridors to El Fasher and the capital, Khartoum. "
    "Aid agencies say millions of people face famine after more than a year of fighting between the army and "
    "the Rapid Support Forces. A previous round of negotiations in Jeddah ended without an agreement."
)


def test_shingles_ignore_case_punctuation_and_spacing():
    assert shingles("Talks HELD,  in Doha!") == shingles("talks held in doha")
    assert shingles("two words") == {"two words"}


def test_an_edited_copy_is_a_near_duplicate_and_another_story_is_not():
    assert jaccard(WIRE, EDITED) >= 0.8
    assert jaccard(WIRE, OTHER) < 0.1
    index = NearDuplicateIndex()
    index.add("wire", WIRE)
    index.add("other", OTHER)
    found = index.find(EDITED)
    assert found is not None and found[0] == "wire" and found[1] >= 0.8
    assert index.find("A completely different text about the weather in the mountains, with rain expected on Sunday and snow later.") is None


def test_short_texts_are_not_compared():
    assert signature("Talks held in Doha on Monday.") is None
    index = NearDuplicateIndex()
    assert not index.add("short", "Talks held.")
    assert index.find("Talks held.") is None


def test_group_near_duplicates_names_each_story_by_its_first_article():
    update = EDITED + " Later the toll rose."
    groups = group_near_duplicates([(1, WIRE), (2, OTHER), (3, EDITED), (4, update), (5, "too short")])
    assert groups == {1: 1, 2: 2, 3: 1, 4: 1, 5: 5}


def article(text: str, source: str) -> Article:
    return Article(text=text, title=source, published=date(2025, 6, 3), source=source)


def test_stored_near_duplicates_share_a_story(database_url):
    store = Store(database_url)
    index = StoryIndex(store)
    ids = [store.save(article(t, s), None, skipped_reason="test").article_id for t, s in
           [(WIRE, "Desk Wire"), (OTHER, "Geneva Post"), (EDITED, "Northern Dispatch")]]
    assert [index.assign(i, t) for i, t in zip(ids, [WIRE, OTHER, EDITED], strict=True)] == [ids[0], ids[1], ids[0]]
    assert story_count(store) == 2
    table = stories(store)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["story_id"] == ids[0] and row["articles"] == 2 and row["sources"] == ["Desk Wire", "Northern Dispatch"]


def test_articles_stored_without_a_story_get_one_on_catch_up(database_url):
    store = Store(database_url)
    first = store.save(article(WIRE, "A"), None, skipped_reason="test").article_id
    second = store.save(article(EDITED, "B"), None, skipped_reason="test").article_id
    assert assign_story_ids(store) == 2
    select = text("select id, story_id from articles")
    with store.engine.connect() as conn:
        assert dict(conn.execute(select).all()) == {first: first, second: first}
    # An article another process stored meanwhile is read before the next assignment.
    third_text = EDITED + " An update."
    third = store.save(article(third_text, "C"), None, skipped_reason="test").article_id
    fourth = store.save(article(OTHER, "D"), None, skipped_reason="test").article_id
    assert story_index(store).assign(fourth, OTHER) == fourth
    with store.engine.connect() as conn:
        assert dict(conn.execute(select).all())[third] == first


def test_a_database_made_before_migrations_gets_the_story_column(database_url):
    """A first-release database without Alembic's version table: stamped, then upgraded in place."""
    from components.store.migrate import upgrade

    engine = create_engine(database_url, poolclass=NullPool)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("drop table alembic_version"))
    Store(database_url)
    columns = inspect(engine)
    assert "story_id" in [c["name"] for c in columns.get_columns("articles")]
    assert "ix_articles_story_id" in [i["name"] for i in columns.get_indexes("articles")]
    engine.dispose()
