"""An actor network: a small deterministic force layout drawn with Altair marks."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from . import KIND_COLOURS, _scale

EDGE_COLOURS = {"co-occurrence": "#bbbbbb", "meets": "#0072B2", "negotiates": "#D55E00"}


def force_layout(names: list[str], edges: list[tuple[str, str, float]], iterations: int = 150, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold positions in [-1, 1]; the same input always gives the same picture."""
    n = len(names)
    if n == 0:
        return {}
    index = {name: i for i, name in enumerate(names)}
    rng = np.random.default_rng(seed)
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    pos = np.c_[np.cos(angles), np.sin(angles)] + rng.normal(0, 0.05, (n, 2))
    k = math.sqrt(4.0 / n)
    pairs = [(index[a], index[b], w) for a, b, w in edges if a in index and b in index]
    temperature = 0.2
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = (k * k / distance**2)[:, :, None] * delta  # repulsion between every pair
        move = force.sum(axis=1)
        for i, j, w in pairs:  # attraction along edges, stronger for heavier ones
            d = pos[i] - pos[j]
            dist = max(float(np.linalg.norm(d)), 1e-3)
            pull = d * dist / k * min(1.0 + math.log1p(w), 3.0)
            move[i] -= pull
            move[j] += pull
        length = np.maximum(np.linalg.norm(move, axis=1), 1e-9)[:, None]
        pos += move / length * np.minimum(length, temperature)
        temperature *= 0.97
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {name: (float(pos[i, 0]), float(pos[i, 1])) for name, i in index.items()}


def actor_network(actors: pd.DataFrame, relations: pd.DataFrame, top: int = 40) -> alt.LayerChart:
    """Nodes: the most mentioned actors (size by mentions, colour by kind). Edges: their relations.

    Expects actors with name, kind, mentions and relations with source, target, kind, weight.
    """
    nodes = actors.nlargest(top, "mentions") if not actors.empty else actors
    names = nodes["name"].tolist() if not nodes.empty else []
    keep = set(names)
    links = relations[relations["source"].isin(keep) & relations["target"].isin(keep)] if not relations.empty else relations
    positions = force_layout(names, [(r.source, r.target, float(r.weight)) for r in links.itertuples()] if not links.empty else [])
    nodes = nodes.assign(x=[positions[n][0] for n in names], y=[positions[n][1] for n in names]) if names else nodes.assign(x=[], y=[])
    if not links.empty:
        links = links.assign(
            x=[positions[s][0] for s in links["source"]], y=[positions[s][1] for s in links["source"]],
            x2=[positions[t][0] for t in links["target"]], y2=[positions[t][1] for t in links["target"]],
        )
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    edges = alt.Chart(links).mark_rule(opacity=0.6).encode(
        x=alt.X("x:Q", axis=axis, scale=alt.Scale(domain=[-1.25, 1.25])), y=alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=[-1.2, 1.2])),
        x2="x2:Q", y2="y2:Q",
        color=alt.Color("kind:N", scale=_scale(EDGE_COLOURS), title="Link"),
        strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.5, 6]), legend=None),
        tooltip=["source:N", "target:N", "kind:N", alt.Tooltip("weight:Q", title="times"), "articles:Q"],
    )
    points = alt.Chart(nodes).mark_circle(opacity=0.9, stroke="white", strokeWidth=1).encode(
        x="x:Q", y="y:Q",
        size=alt.Size("mentions:Q", scale=alt.Scale(range=[60, 1200]), legend=None),
        fill=alt.Fill("kind:N", scale=_scale(KIND_COLOURS), title="Kind"),
        tooltip=["name:N", "kind:N", "country:N", "mentions:Q"],
    )
    labels = alt.Chart(nodes).mark_text(dy=-12, fontSize=11).encode(x="x:Q", y="y:Q", text="name:N")
    return alt.layer(edges, points, labels).resolve_scale(color="independent").properties(height=520, title="Who appears, meets and negotiates with whom")
