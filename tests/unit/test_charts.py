import pandas as pd

from components import charts
from components.charts.network import actor_network, force_layout


def test_force_layout_is_deterministic_and_bounded():
    names = ["A", "B", "C", "D"]
    edges = [("A", "B", 3.0), ("B", "C", 1.0)]
    first, second = force_layout(names, edges), force_layout(names, edges)
    assert first == second
    assert all(-1.0001 <= v <= 1.0001 for xy in first.values() for v in xy)
    # Linked actors end up closer than unlinked ones.
    dist = lambda a, b: ((first[a][0] - first[b][0]) ** 2 + (first[a][1] - first[b][1]) ** 2) ** 0.5  # noqa: E731
    assert dist("A", "B") < dist("A", "D")


def test_actor_network_spec():
    actors = pd.DataFrame({"name": ["Russia", "Ukraine", "Turkey"], "kind": ["country"] * 3, "country": ["Russia", "Ukraine", "Turkey"], "mentions": [10, 8, 2]})
    relations = pd.DataFrame({"source": ["Russia"], "target": ["Ukraine"], "kind": ["negotiates"], "weight": [4], "articles": [2]})
    spec = actor_network(actors, relations).to_dict()
    assert len(spec["layer"]) == 3
    edges = spec["datasets"][spec["layer"][0]["data"]["name"]] if "datasets" in spec else None
    assert edges is None or edges[0]["source"] == "Russia"


def test_charts_accept_empty_frames():
    empty = pd.DataFrame(columns=["date", "kind", "latest", "location", "name", "mentions", "articles", "country"])
    charts.incidents_over_time(empty, brush=True).to_dict()
    charts.top_actors_bar(empty.assign(), clickable=True).to_dict()
    actor_network(empty, pd.DataFrame(columns=["source", "target", "kind", "weight"])).to_dict()


def test_selections_are_named_for_the_pages():
    df = pd.DataFrame({"date": pd.to_datetime(["2025-06-01"]), "kind": ["killed"], "latest": [3]})
    spec = charts.incidents_over_time(df, brush=True).to_dict()
    assert spec["params"][0]["name"] == charts.BRUSH
