"""Change levels on constructed counts whose answers are known."""

from datetime import date, timedelta

import pandas as pd
import pytest

from components.services.trends import Window, change_level, change_table, track_moves

END = date(2025, 6, 30)


def weekly(key: str, counts: list[int]) -> list[dict]:
    """One event row per count, the last count in the week ending END, earlier ones a week apart."""
    rows = []
    for weeks_back, count in enumerate(reversed(counts)):
        day = END - timedelta(days=7 * weeks_back)
        rows += [{"key": key, "date": day, "value": 1}] * count
    return rows


@pytest.mark.parametrize(
    ("current", "baseline", "level"),
    [(20, 10, "large increase"), (12, 10, "limited change"), (24, 20, "moderate increase"), (13, 10, "large increase"),
     (10, 10, "limited change"), (8, 10, "limited change"), (17, 20, "moderate decrease"), (10, 20, "large decrease"),
     (2, 1, "limited change"), (0, 2, "limited change"), (3, 0, "large increase"), (0, 4, "large decrease")],
)
def test_levels_with_the_low_baseline_rule(current, baseline, level):
    assert change_level(current, baseline) == level


def test_a_week_against_the_four_before():
    events = pd.DataFrame(
        weekly("Sudan", [10, 10, 10, 10, 20])      # +100%: large increase
        + weekly("Mali", [10, 10, 10, 10, 12])     # +20% but 2 events: limited
        + weekly("Yemen", [20, 20, 20, 20, 16])    # -20%: moderate decrease
        + weekly("Chad", [0, 0, 0, 1, 2])          # 1 -> 2 on a low baseline: limited
        + weekly("Niger", [0, 0, 0, 0, 5])         # nothing before: new, large increase
        + weekly("Laos", [4, 4, 4, 4, 0])          # gone quiet: large decrease
        + [{"key": "Peru", "date": END - timedelta(days=400), "value": 9}]  # outside both windows: left out
    )
    table = change_table(events, Window(END, days=7, baselines=4)).set_index("key")
    assert table.loc["Sudan", ["current", "baseline", "change", "level"]].tolist() == [20, 10.0, 100.0, "large increase"]
    assert table.loc["Mali", "level"] == "limited change" and table.loc["Chad", "level"] == "limited change"
    assert table.loc["Yemen", ["change", "level"]].tolist() == [-20.0, "moderate decrease"]
    assert pd.isna(table.loc["Niger", "change"]) and table.loc["Niger", ["level", "new"]].tolist() == ["large increase", True]
    assert table.loc["Laos", "level"] == "large decrease" and not table.loc["Laos", "new"]
    assert "Peru" not in table.index
    assert list(table.index[:2]) == ["Sudan", "Niger"]  # large increases first, the biggest change first


def test_a_year_of_baseline_and_values_that_are_tolls():
    events = pd.DataFrame([{"key": "Goma", "date": END - timedelta(days=7 * w + 1), "value": 3} for w in range(1, 53)]
                          + [{"key": "Goma", "date": END, "value": 9}])
    (row,) = change_table(events, Window(END, days=7, baselines=52)).to_dict("records")
    assert (row["current"], row["baseline"], row["level"]) == (9, 3.0, "large increase")


def test_tracks_move_forward_or_back():
    ms = pd.DataFrame({"track_id": [1, 1, 2, 3, 3, 4], "status": ["held", "agreed", "failed", "proposed", "held", "completed"],
                       "date": [END, END, END - timedelta(days=2), END, END, END - timedelta(days=30)]})
    moves = track_moves(ms, Window(END)).set_index("track_id")["move"].to_dict()
    assert moves == {1: "forward", 2: "back", 3: "steady"}  # track 4 did nothing this week
