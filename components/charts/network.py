"""An actor network: a deterministic layout that keeps clusters apart, drawn with Altair marks.

Each connected group of actors is laid out on its own by stress majorization over the
lengths of the paths between them (a heavier link is a shorter one), so actors who appear
together sit together and a group linked to the rest by one weak link sits apart; the
groups are then packed side by side with space between them. Only the most mentioned
actors are named on the chart (every node names itself on hover), and a link's width says
how often the two were linked.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import altair as alt
import numpy as np
import pandas as pd

from . import KIND_COLOURS, PICK_ACTOR, _scale

EDGE_COLOURS = {"co-occurrence": "#bbbbbb", "meets": "#0072B2", "negotiates": "#D55E00"}
LABELLED = 12  # actors named on the chart, the most mentioned first
GAP = 1.2  # space between two groups, in link lengths
STRESS_ITERATIONS = 300

Positions = dict[str, tuple[float, float]]
Layout = Callable[[list[str], list[tuple[str, str, float]]], Positions]


def link_length(weight: float) -> float:
    """The length a link wants: 1 for one mention together, a little shorter the more often (never
    below 0.6, so the actors named most together stay apart enough to be told apart)."""
    return max(0.6, 1.0 / (1.0 + 0.15 * math.log(max(weight, 1.0))))


def _groups(n: int, pairs: dict[tuple[int, int], float]) -> list[list[int]]:
    """Connected groups of node indices, biggest first (ties by first node)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _path_lengths(members: list[int], pairs: dict[tuple[int, int], float]) -> np.ndarray:
    """Shortest path lengths between the members of one connected group (Floyd–Warshall; groups are small)."""
    local = {node: k for k, node in enumerate(members)}
    dist = np.full((len(members), len(members)), np.inf)
    np.fill_diagonal(dist, 0.0)
    for (i, j), weight in pairs.items():
        if i in local and j in local:
            a, b = local[i], local[j]
            dist[a, b] = dist[b, a] = min(dist[a, b], link_length(weight))
    for k in range(len(members)):
        dist = np.minimum(dist, dist[:, k : k + 1] + dist[k : k + 1, :])
    return dist


def _classical_start(dist: np.ndarray) -> np.ndarray:
    """Classical scaling of the path lengths: a deterministic first guess, signs fixed."""
    n = len(dist)
    centre = np.eye(n) - np.full((n, n), 1.0 / n)
    inner = -0.5 * centre @ (dist**2) @ centre
    values, vectors = np.linalg.eigh(inner)
    top = vectors[:, ::-1][:, :2] * np.sqrt(np.maximum(values[::-1][:2], 1e-9))
    for axis in range(2):  # an eigenvector's sign is arbitrary: make its largest entry positive
        if top[np.argmax(np.abs(top[:, axis])), axis] < 0:
            top[:, axis] *= -1
    # A fully symmetric group (every actor linked to every other) has no preferred plane:
    # a fixed, tiny spiral keeps its nodes from starting on one spot.
    angles = np.arange(n) * 2.399963  # the golden angle
    return top + 1e-3 * np.c_[np.cos(angles), np.sin(angles)]


def _stress_layout(dist: np.ndarray) -> np.ndarray:
    """SMACOF: positions whose distances match the path lengths, nearer pairs weighted more."""
    n = len(dist)
    if n == 1:
        return np.zeros((1, 2))
    weights = np.where(dist > 0, 1.0 / np.maximum(dist, 1e-9) ** 2, 0.0)
    laplacian = -weights
    np.fill_diagonal(laplacian, weights.sum(axis=1))
    solve = np.linalg.pinv(laplacian)
    pos = _classical_start(dist)
    for _ in range(STRESS_ITERATIONS):
        delta = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=2)
        ratio = np.where(delta > 1e-9, weights * dist / np.maximum(delta, 1e-9), 0.0)
        guttman = -ratio
        np.fill_diagonal(guttman, ratio.sum(axis=1))
        pos = solve @ guttman @ pos
    return pos - pos.mean(axis=0)


def _shelves(blocks: list[np.ndarray], width: float, left: float = 0.0) -> list[np.ndarray]:
    """Blocks in rows (shelves) from the top, each row at most `width` wide, GAP between them."""
    placed, x, y, row_height = [], left, 0.0, 0.0
    for block in blocks:
        w, h = (block.max(axis=0) - block.min(axis=0)) + GAP
        if x > left and x + w > left + width + 1e-9:
            x, y, row_height = left, y - row_height, 0.0
        placed.append(block - block.min(axis=0) + np.array([x, y - h + GAP]))
        x, row_height = x + w, max(row_height, h)
    return placed


def _pack(blocks: list[np.ndarray]) -> list[np.ndarray]:
    """The biggest group on the left, the others in rows beside it, GAP apart: no two groups overlap
    and the small ones (lone actors above all) do not spread the picture thin."""
    sizes = [(b.max(axis=0) - b.min(axis=0)) + GAP for b in blocks]
    if len(blocks) == 1 or len(blocks[0]) == 1:  # one group, or nothing but lone actors: rows about twice as wide as tall
        return _shelves(blocks, max(max(s[0] for s in sizes), math.sqrt(sum(s[0] * s[1] for s in sizes) * 2.0)))
    biggest, rest = sizes[0], sizes[1:]
    beside = max(s[0] for s in rest)
    while True:  # the narrowest rows beside the biggest group that are no taller than it
        side = _shelves(blocks[1:], beside, left=biggest[0])
        if min(b[:, 1].min() for b in side) >= -biggest[1] - 1e-9 or beside >= sum(s[0] for s in rest):
            return _shelves(blocks[:1], biggest[0]) + side
        beside += GAP / 2


def network_layout(names: list[str], edges: list[tuple[str, str, float]]) -> Positions:
    """Positions in [-1, 1] for `names`, linked by (source, target, weight) `edges`; the same
    input always gives the same picture, and actors with no path between them are never mixed."""
    if not names:
        return {}
    index = {name: i for i, name in enumerate(names)}
    pairs: dict[tuple[int, int], float] = {}
    for a, b, weight in edges:
        if a in index and b in index and a != b:
            key = (min(index[a], index[b]), max(index[a], index[b]))
            pairs[key] = pairs.get(key, 0.0) + float(weight)  # links of several kinds between one pair add up
    groups = _groups(len(names), pairs)
    blocks = _pack([_stress_layout(_path_lengths(members, pairs)) for members in groups])
    pos = np.zeros((len(names), 2))
    for members, block in zip(groups, blocks, strict=True):
        pos[members] = block
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = np.where(high - low > 1e-9, high - low, 1.0)
    pos = np.where(high - low > 1e-9, 2 * (pos - low) / span - 1, 0.0)
    return {name: (round(float(pos[i, 0]), 6), round(float(pos[i, 1]), 6)) for name, i in index.items()}


def _frames(actors: pd.DataFrame, relations: pd.DataFrame, top: int, layout: Layout) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The drawn actors and links, with positions (x, y; links also x2, y2)."""
    nodes = actors.nlargest(top, "mentions") if not actors.empty else actors
    names = nodes["name"].tolist() if not nodes.empty else []
    keep = set(names)
    links = relations[relations["source"].isin(keep) & relations["target"].isin(keep)] if not relations.empty else relations
    weights = [(r.source, r.target, float(r.weight)) for r in links.itertuples()] if not links.empty else []
    positions = layout(names, weights)
    nodes = nodes.assign(x=[positions[n][0] for n in names], y=[positions[n][1] for n in names]) if names else nodes.assign(x=[], y=[])
    if not links.empty:
        links = links.assign(
            x=[positions[s][0] for s in links["source"]], y=[positions[s][1] for s in links["source"]],
            x2=[positions[t][0] for t in links["target"]], y2=[positions[t][1] for t in links["target"]],
        )
    return nodes, links


# Where the names go. The layout is in data units; a name's room is in pixels, so names are
# placed for the plot's size on the Actors page at 1,400 px (a wider or narrower window moves
# them a little, never onto a node's own circle).
X_DOMAIN, Y_DOMAIN = (-1.2, 1.2), (-1.15, 1.25)
PLOT_PX = (900.0, 500.0)
SIZE_RANGE = (60, 1200)  # circle areas in px², from no mentions to the most
CHAR_PX, LINE_PX = 7.0, 15.0  # a character's width and a line's height in the labels' bold 12 px


def _radius(mentions: float, most: float) -> float:
    area = SIZE_RANGE[0] + (SIZE_RANGE[1] - SIZE_RANGE[0]) * (mentions / most if most > 0 else 0.0)
    return math.sqrt(area / math.pi)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes (centre x, centre y, width, height) share."""
    dx = min(a[0] + a[2] / 2, b[0] + b[2] / 2) - max(a[0] - a[2] / 2, b[0] - b[2] / 2)
    dy = min(a[1] + a[3] / 2, b[1] + b[3] / 2) - max(a[1] - a[3] / 2, b[1] - b[3] / 2)
    return max(dx, 0.0) * max(dy, 0.0)


def place_labels(nodes: pd.DataFrame, count: int = LABELLED) -> pd.DataFrame:
    """The `count` most mentioned of `nodes` (name, mentions, x, y), each with where its name goes
    (lx, ly): above its circle, or below, right or left of it, whichever covers the fewest names
    already placed and circles; the most mentioned choose first."""
    if nodes.empty:
        return nodes.head(0).assign(lx=[], ly=[])
    width, height = PLOT_PX
    most = float(nodes["mentions"].max())

    def to_px(x: float, y: float) -> tuple[float, float]:
        return ((x - X_DOMAIN[0]) / (X_DOMAIN[1] - X_DOMAIN[0]) * width, (Y_DOMAIN[1] - y) / (Y_DOMAIN[1] - Y_DOMAIN[0]) * height)

    circles = {r.name: (*to_px(r.x, r.y), 2 * _radius(r.mentions, most), 2 * _radius(r.mentions, most)) for r in nodes.itertuples()}
    taken = list(circles.values())
    spots = []
    for r in nodes.head(count).itertuples():
        cx, cy, diameter, _ = circles[r.name]
        w, gap = CHAR_PX * len(str(r.name)) + 4, diameter / 2 + 3
        candidates = [(cx, cy - gap - LINE_PX / 2), (cx, cy + gap + LINE_PX / 2), (cx + gap + w / 2, cy), (cx - gap - w / 2, cy),
                      (cx + gap + w / 2, cy - gap), (cx - gap - w / 2, cy - gap), (cx + gap + w / 2, cy + gap), (cx - gap - w / 2, cy + gap)]

        def cost(spot: tuple[float, float], w: float = w) -> float:
            box = (spot[0], spot[1], w, LINE_PX)
            outside = max(0.0, w / 2 - spot[0]) + max(0.0, spot[0] + w / 2 - width) + max(0.0, LINE_PX / 2 - spot[1])
            return sum(_overlap(box, other) for other in taken) + outside * LINE_PX

        best = min(candidates, key=cost)  # the first of equals: above, if nothing is in the way
        taken.append((best[0], best[1], w, LINE_PX))
        spots.append((X_DOMAIN[0] + best[0] / width * (X_DOMAIN[1] - X_DOMAIN[0]), Y_DOMAIN[1] - best[1] / height * (Y_DOMAIN[1] - Y_DOMAIN[0])))
    named = nodes.head(count)
    return named.assign(lx=[s[0] for s in spots], ly=[s[1] for s in spots])


def actor_network(actors: pd.DataFrame, relations: pd.DataFrame, top: int = 40, layout: Layout = network_layout,
                  clickable: bool = False) -> alt.LayerChart:
    """Nodes: the most mentioned actors (size by mentions, colour by kind). Edges: their relations,
    as wide as they are frequent. The LABELLED most mentioned are named on the chart, each name
    where it covers the fewest others.

    Expects actors with name, kind, mentions and relations with source, target, kind, weight.
    `layout` places the nodes (a page passes a cached `network_layout`, so a view's picture is
    computed once). With `clickable`, a click on an actor's circle selects it (selection
    "pick_actor" on the name, as the bars of `top_actors_bar`).
    """
    nodes, links = _frames(actors, relations, top, layout)
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(domain=list(X_DOMAIN)))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=list(Y_DOMAIN)))  # room above the top row for its names
    who = [alt.Tooltip("name:N", title="actor"), "kind:N", "country:N", "mentions:Q"]
    edges = alt.Chart(links).mark_rule(opacity=0.55).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("kind:N", scale=_scale(EDGE_COLOURS), title="Link"),
        strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.75, 8]), title="Times linked"),
        tooltip=["source:N", "target:N", "kind:N", alt.Tooltip("weight:Q", title="times"), "articles:Q"],
    )
    points = alt.Chart(nodes).mark_circle(opacity=0.9, stroke="white", strokeWidth=1, cursor="pointer" if clickable else "default").encode(
        x=x, y=y,
        size=alt.Size("mentions:Q", scale=alt.Scale(range=list(SIZE_RANGE), zero=True), legend=None),
        fill=alt.Fill("kind:N", scale=_scale(KIND_COLOURS), title="Kind"),
        tooltip=who,
    )
    if clickable:
        points = points.add_params(alt.selection_point(name=PICK_ACTOR, fields=["name"]))
    named = place_labels(nodes)
    at = {"x": alt.X("lx:Q", axis=axis, scale=alt.Scale(domain=list(X_DOMAIN))), "y": alt.Y("ly:Q", axis=axis, scale=alt.Scale(domain=list(Y_DOMAIN)))}
    # A white halo under each name keeps it readable across the links it lies on.
    halo = alt.Chart(named).mark_text(fontSize=12, baseline="middle", stroke="white", strokeWidth=4, strokeJoin="round", opacity=0.9).encode(
        **at, text="name:N", tooltip=who)
    labels = alt.Chart(named).mark_text(fontSize=12, fontWeight="bold", baseline="middle").encode(**at, text="name:N", tooltip=who)
    return (alt.layer(edges, points, halo, labels).resolve_scale(color="independent")
            .properties(height=560, title="Who appears, meets and negotiates with whom"))
