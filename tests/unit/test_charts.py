import pandas as pd

from components import charts
from components.charts.network import actor_network, network_layout


def test_network_layout_is_deterministic_and_bounded():
    names = ["A", "B", "C", "D"]
    edges = [("A", "B", 3.0), ("B", "C", 1.0)]
    first, second = network_layout(names, edges), network_layout(names, edges)
    assert first == second
    assert all(-1.0001 <= v <= 1.0001 for xy in first.values() for v in xy)
    # Linked actors end up closer than unlinked ones.
    dist = lambda a, b: ((first[a][0] - first[b][0]) ** 2 + (first[a][1] - first[b][1]) ** 2) ** 0.5  # noqa: E731
    assert dist("A", "B") < dist("A", "D")


def layer_data(spec: dict) -> list[list[dict]]:
    """The rows each layer of a chart's spec draws, in layer order."""
    return [spec["datasets"][layer["data"]["name"]] for layer in spec["layer"]]


def test_actor_network_spec():
    actors = pd.DataFrame({"name": ["Russia", "Ukraine", "Turkey"], "kind": ["country"] * 3, "country": ["Russia", "Ukraine", "Turkey"], "mentions": [10, 8, 2]})
    relations = pd.DataFrame({"source": ["Russia", "Russia"], "target": ["Ukraine", "Nowhere"], "kind": ["negotiates", "meets"],
                              "weight": [4, 1], "articles": [2, 1]})
    spec = actor_network(actors, relations).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "circle", "text", "text"]  # names over a white halo
    edges, nodes, halo, labels = layer_data(spec)
    assert [n["name"] for n in nodes] == ["Russia", "Ukraine", "Turkey"] and labels == halo
    assert [{k: v for k, v in n.items() if k not in ("lx", "ly")} for n in labels] == nodes  # each name placed near its node
    at = {n["name"]: (n["x"], n["y"]) for n in nodes}
    # One edge, from Russia's node to Ukraine's; the link to an actor not drawn is left out.
    assert [(e["source"], e["target"], e["kind"]) for e in edges] == [("Russia", "Ukraine", "negotiates")]
    assert ((edges[0]["x"], edges[0]["y"]), (edges[0]["x2"], edges[0]["y2"])) == (at["Russia"], at["Ukraine"])


def test_actor_network_keeps_the_most_mentioned():
    actors = pd.DataFrame({"name": list("ABCD"), "kind": ["person"] * 4, "country": [None] * 4, "mentions": [1, 9, 5, 7]})
    spec = actor_network(actors, pd.DataFrame(columns=["source", "target", "kind", "weight"]), top=2).to_dict()
    edges, nodes, _, _ = layer_data(spec)
    assert edges == [] and {n["name"] for n in nodes} == {"B", "D"}


def test_charts_accept_empty_frames():
    empty = pd.DataFrame(columns=["date", "kind", "latest", "location", "name", "mentions", "articles", "country"])
    over_time = charts.incidents_over_time(empty, brush=True).to_dict()
    assert list(over_time["datasets"].values()) == [[]]
    assert [p["name"] for p in over_time["params"]] == [charts.BRUSH]  # the brush is there to narrow the dates, even with no data
    bar = charts.top_actors_bar(empty.assign(), clickable=True).to_dict()
    assert list(bar["datasets"].values()) == [[]] and [p["name"] for p in bar["params"]] == [charts.PICK_ACTOR]
    network = actor_network(empty, pd.DataFrame(columns=["source", "target", "kind", "weight"])).to_dict()
    assert layer_data(network) == [[], [], [], []]


def test_selections_are_named_for_the_pages():
    df = pd.DataFrame({"date": pd.to_datetime(["2025-06-01"]), "kind": ["killed"], "latest": [3]})
    spec = charts.incidents_over_time(df, brush=True).to_dict()
    assert spec["params"][0]["name"] == charts.BRUSH


def _status_encodings(spec: dict) -> list[dict]:
    layers = spec.get("layer", [spec])
    return [layer["encoding"] for layer in layers if "shape" in layer.get("encoding", {})]


def test_milestone_timelines_say_which_shape_and_colour_is_which_status():
    ms = pd.DataFrame({"date": pd.to_datetime(["2025-05-16", "2025-05-19"]), "kind": ["talks", "ceasefire"], "status": ["held", "proposed"],
                       "parties": [["Russia", "Ukraine"], ["Ukraine"]], "location": ["Istanbul", None], "sentence": ["s", "t"], "title": ["a", "b"],
                       "track_id": [1, 2], "source": ["W", "W"]})
    tracks = pd.DataFrame({"track_id": [1, 2], "label": ["Russia – Ukraine: prisoner exchanges and humanitarian corridors", "Ukraine"]})
    for chart in (charts.milestone_timeline(ms), charts.track_timeline(ms, tracks)):
        (enc,) = _status_encodings(chart.to_dict())
        # One legend: colour and shape encode the same field under the same title, neither hidden.
        assert enc["color"]["field"] == enc["shape"]["field"] == "status"
        assert enc["color"]["title"] == enc["shape"]["title"] == "Status"
        assert enc["color"].get("legend") is not None and enc["shape"].get("legend") is not None
    lanes = [layer["encoding"]["y"]["axis"]["labelLimit"] for layer in charts.track_timeline(ms, tracks).to_dict()["layer"]]
    assert min(lanes) >= 360  # a lane name of 60 characters is not cut at 15


def test_the_incident_map_carries_its_borders_and_fits_the_incidents():
    from components.charts.maps import PICK_INCIDENT, incident_map

    points = pd.DataFrame({"incident": [3, 4], "lat": [50.9, 49.99], "lon": [34.8, 36.23], "kind": ["killed", "wounded"], "count": [9, 40],
                           "place": ["Sumy", "Kharkiv"], "date": ["2025-05-17", "2025-05-18"], "details": ["killed: 9", "wounded: 40"], "sources": [2, 1]})
    spec = incident_map(points).to_dict()
    _sea, borders, circles = spec["layer"]
    # The borders are in the chart itself (no URL, no tile server): every country of Natural Earth.
    data = spec["datasets"][borders["data"]["name"]] if "name" in borders["data"] else borders["data"]["values"]
    assert "url" not in borders["data"] and borders["data"]["format"] == {"type": "topojson", "feature": "countries"}
    assert data["type"] == "Topology" and len(data["objects"]["countries"]["geometries"]) > 170
    projection = spec["projection"]
    assert projection["type"] == "mercator" and 34.8 < projection["center"][0] < 36.23 and 49.99 < projection["center"][1] < 50.9
    assert projection["scale"] > 1000  # zoomed to the incidents (the whole world is about 140 at this width)
    assert [p["name"] for p in spec.get("params", []) + circles.get("params", [])] == [PICK_INCIDENT]
    assert circles["encoding"]["size"]["field"] == "count" and circles["encoding"]["color"]["field"] == "kind"
