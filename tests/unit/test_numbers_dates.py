from datetime import date

import pytest

from components.extract.dates import parse_iso, relative_offset, resolve_expression, resolve_weekday, start_of_next_week
from components.extract.numbers import Count, parse_count, parse_number_words

SATURDAY = date(2025, 5, 17)


@pytest.mark.parametrize(
    ("text", "value"),
    [("nine", 9), ("1,000", 1000), ("twenty-three", 23), ("a dozen", 12), ("two dozen", 24), ("1.2 million", 1_200_000),
     ("one hundred and five", 105), ("300", 300), ("forty two", 42)],
)
def test_number_words(text, value):
    assert parse_number_words(text) == value


@pytest.mark.parametrize("text", ["", "many", "the", "nine lives", "1.5"])
def test_not_numbers(text):
    assert parse_number_words(text) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("at least 12", Count(12, 12, 12, "at least")),
        ("more than 20", Count(20, 20, 20, "more than")),
        ("up to 30", Count(30, 0, 30, "up to")),
        ("about 40", Count(40, 40, 40, "approximate")),
        ("between 10 and 15", Count(10, 10, 15, "range")),
        ("10 to 15", Count(10, 10, 15, "range")),
        ("dozens", Count(24, 24, 99, "approximate")),
        ("nearly 100", Count(100, 100, 100, "nearly")),
    ],
)
def test_count_phrases(phrase, expected):
    assert parse_count(phrase) == expected


def test_absurd_counts_are_refused():
    assert parse_count("999999999999") is None


@pytest.mark.parametrize(
    ("name", "past", "future"),
    [("Saturday", "2025-05-17", "2025-05-24"), ("Friday", "2025-05-16", "2025-05-23"),
     ("Monday", "2025-05-12", "2025-05-19"), ("sunday", "2025-05-11", "2025-05-18")],
)
def test_weekdays_against_a_saturday_paper(name, past, future):
    assert resolve_weekday(name, SATURDAY).isoformat() == past
    assert resolve_weekday(name, SATURDAY, future=True).isoformat() == future


def test_weekdays_every_publication_day():
    # Whatever the publication weekday, a past weekday is within the previous 7 days and has that name.
    for offset in range(7):
        published = date(2025, 6, 2 + offset)
        for name in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]:
            day = resolve_weekday(name, published)
            assert 0 <= (published - day).days < 7
            assert day.strftime("%A").lower() == name
            ahead = resolve_weekday(name, published, future=True)
            assert 1 <= (ahead - published).days <= 7


@pytest.mark.parametrize(
    ("expr", "expected"),
    [("yesterday", "2025-05-16"), ("on Saturday", "2025-05-17"), ("next week", "2025-05-19"), ("16 May", "2025-05-16"),
     ("May 16", "2025-05-16"), ("next Tuesday", "2025-05-20"), ("March 3, 2022", "2022-03-03"), ("today", "2025-05-17")],
)
def test_expressions(expr, expected):
    assert resolve_expression(expr, SATURDAY).isoformat() == expected


def test_month_day_without_year_in_the_future_is_last_year():
    assert resolve_expression("December 30", date(2025, 1, 2)).isoformat() == "2024-12-30"


def test_next_week_starts_on_monday():
    assert start_of_next_week(date(2025, 5, 18)).isoformat() == "2025-05-19"  # from a Sunday


def test_relative_offsets():
    assert relative_offset("a day after Moscow and Kyiv held talks") == 1
    assert relative_offset("two days before the vote") == -2
    assert relative_offset("a week later") == 7
    assert relative_offset("The morning after the talks") == 1
    assert relative_offset("no offset here") is None


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "17/05/2025", "2025-02-30"])
def test_parse_iso_refuses_non_dates(bad):
    with pytest.raises(ValueError, match="date"):
        parse_iso(bad)
