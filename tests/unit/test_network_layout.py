"""The actor network: a deterministic layout that keeps clusters apart, link weight visible,
names for the most mentioned actors only, placed so they do not cover each other."""

from __future__ import annotations

import itertools
import math

import pandas as pd

from components.charts.network import CHAR_PX, LABELLED, LINE_PX, PLOT_PX, X_DOMAIN, Y_DOMAIN, actor_network, network_layout, place_labels
from tests.unit.test_chart_readability import drawn_texts

HARBOUR = ["Harbour Council", "Ferry Union", "Port Authority", "Dockers' Guild"]
HILLS = ["Hill Militia", "Valley Front", "Ridge Brigade", "Pass Watch", "Summit Group"]


def clique(names: list[str], weight: float) -> list[tuple[str, str, float]]:
    return [(a, b, weight) for a, b in itertools.combinations(names, 2)]


def dist(positions: dict, a: str, b: str) -> float:
    return math.dist(positions[a], positions[b])


def centroid(positions: dict, names: list[str]) -> tuple[float, float]:
    return (sum(positions[n][0] for n in names) / len(names), sum(positions[n][1] for n in names) / len(names))


def spread(positions: dict, names: list[str]) -> float:
    """The largest distance between two members of a group."""
    return max(dist(positions, a, b) for a, b in itertools.combinations(names, 2))


def test_two_groups_with_no_link_between_them_are_drawn_apart():
    positions = network_layout(HARBOUR + HILLS, clique(HARBOUR, 2.0) + clique(HILLS, 1.0))
    assert set(positions) == set(HARBOUR + HILLS)
    closest_across = min(dist(positions, a, b) for a in HARBOUR for b in HILLS)
    assert closest_across > 0.5  # a wide gap between the groups: a quarter of the frame, which is 2 across
    xs = {g: [positions[n][0] for n in names] for g, names in (("harbour", HARBOUR), ("hills", HILLS))}
    assert max(xs["hills"]) < min(xs["harbour"]) or max(xs["harbour"]) < min(xs["hills"])  # side by side, not interleaved


def test_the_layout_is_the_same_every_time_and_inside_the_frame():
    edges = clique(HARBOUR, 2.0) + clique(HILLS, 1.0) + [("Harbour Council", "Hill Militia", 1.0)]
    first = network_layout(HARBOUR + HILLS + ["Lone Observer"], edges)
    assert first == network_layout(HARBOUR + HILLS + ["Lone Observer"], list(edges))
    assert all(-1.0 <= v <= 1.0 for xy in first.values() for v in xy)
    assert len(set(first.values())) == len(first)  # no two actors on one spot


def test_two_clusters_joined_by_one_weak_link_stay_apart():
    positions = network_layout(HARBOUR + HILLS, clique(HARBOUR, 3.0) + clique(HILLS, 3.0) + [("Port Authority", "Pass Watch", 1.0)])
    gap = math.dist(centroid(positions, HARBOUR), centroid(positions, HILLS))
    assert gap > spread(positions, HARBOUR) / 2 and gap > spread(positions, HILLS) / 2
    # The two actors of the bridge are nearer each other than the rest of their groups are.
    assert dist(positions, "Port Authority", "Pass Watch") < dist(positions, "Ferry Union", "Summit Group")


def test_a_frequent_link_is_shorter_than_a_rare_one():
    names = ["Envoy A", "Envoy B", "Envoy C"]
    positions = network_layout(names, [("Envoy A", "Envoy B", 30.0), ("Envoy B", "Envoy C", 1.0)])
    assert dist(positions, "Envoy A", "Envoy B") < dist(positions, "Envoy B", "Envoy C")


def test_the_network_names_only_the_most_mentioned_and_hovering_names_an_actor():
    names = [f"Actor number {i:02d}" for i in range(30)]
    actors = pd.DataFrame({"name": names, "kind": ["person"] * 30, "country": [None] * 30, "mentions": list(range(60, 30, -1))})
    relations = pd.DataFrame({"source": names[:-1], "target": names[1:], "kind": ["co-occurrence"] * 29, "weight": [1] * 28 + [7],
                              "articles": [1] * 29})
    calls = []

    def layout(n, e):
        calls.append((n, e))
        return network_layout(n, e)

    spec = actor_network(actors, relations, layout=layout).to_dict()
    assert len(calls) == 1  # the page hands in a cached layout; the chart asks it once
    edges, nodes, *texts = spec["layer"]
    for text in texts:
        labelled = [row["name"] for row in spec["datasets"][text["data"]["name"]]]
        assert labelled == names[:LABELLED]
        assert [t.get("field") for t in text["encoding"]["tooltip"]] == ["name", "kind", "country", "mentions"]
    for layer in spec["layer"]:  # a hover never shows layout coordinates
        assert not {"x", "y", "x2", "y2"} & {t.get("field") for t in layer["encoding"].get("tooltip", [])}
    width = edges["encoding"]["strokeWidth"]
    assert width["field"] == "weight" and width.get("legend") is not False and width["title"] == "Times linked"
    drawn = drawn_texts(actor_network(actors, relations))
    assert {t for t in drawn if t in names} == set(names[:LABELLED])  # the names written on the chart: the top ones only


def test_the_names_of_a_crowded_centre_do_not_cover_each_other():
    # Two hubs everyone is linked to, and ten actors around them: the hubs end up side by side in the middle.
    hubs, spokes = ["Northern Alliance", "Southern Council"], [f"Delegate of district {i}" for i in range(10)]
    names = hubs + spokes
    edges = [("Northern Alliance", "Southern Council", 30.0)] + [(h, s, 5.0) for h in hubs for s in spokes]
    actors = pd.DataFrame({"name": names, "kind": ["organization"] * 2 + ["person"] * 10, "country": [None] * 12,
                           "mentions": [90, 85] + list(range(40, 30, -1))})
    positions = network_layout(names, edges)
    placed = place_labels(actors.assign(x=[positions[n][0] for n in names], y=[positions[n][1] for n in names]))
    assert list(placed["name"]) == names[:LABELLED]
    width, height = PLOT_PX

    def box(row) -> tuple[float, float, float, float]:
        return ((row.lx - X_DOMAIN[0]) / (X_DOMAIN[1] - X_DOMAIN[0]) * width, (Y_DOMAIN[1] - row.ly) / (Y_DOMAIN[1] - Y_DOMAIN[0]) * height,
                CHAR_PX * len(row.name), LINE_PX - 2)

    boxes = [box(r) for r in placed.itertuples()]
    overlapping = [(a, b) for (a, ba), (b, bb) in itertools.combinations(zip(placed["name"], boxes, strict=True), 2)
                   if abs(ba[0] - bb[0]) < (ba[2] + bb[2]) / 2 and abs(ba[1] - bb[1]) < (ba[3] + bb[3]) / 2]
    assert overlapping == []
    assert all(b[0] - b[2] / 2 >= 0 and b[0] + b[2] / 2 <= width for b in boxes)  # inside the plot
