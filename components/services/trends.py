"""What changed: a period against the average of the periods before it, as change levels.

The levels follow ACLED's Trendfinder: a large increase is more than +25% over the baseline
(the average of the N periods before), a moderate increase +10% to +25%, a limited change
within ±10%, a moderate decrease −10% to −25%, a large decrease below −25%. A low baseline
does not make a trend: a change of fewer than `MIN_CHANGE` events is a limited change
whatever its percentage, so 1 → 2 is not "+100%". Something with events in the period and
none at all before it is new ("emerging" for actors).

Pure pandas: the Trends page and the digest read their frames from the store and call here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

LEVELS = ("large increase", "moderate increase", "limited change", "moderate decrease", "large decrease")
LARGE, MODERATE = 0.25, 0.10
MIN_CHANGE = 3  # events: a smaller difference is a limited change, however large in percent
FORWARD, BACK = frozenset({"agreed", "completed"}), frozenset({"failed", "rejected"})


@dataclass(frozen=True)
class Window:
    """The period that ends on `end` and lasts `days`, against the `baselines` periods before it."""

    end: date
    days: int = 7
    baselines: int = 4

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    @property
    def baseline_start(self) -> date:
        return self.start - timedelta(days=self.days * self.baselines)

    def describe(self) -> str:
        return (f"{self.start.isoformat()} to {self.end.isoformat()} against the average of the {self.baselines} "
                f"periods of {self.days} days before")


def change_level(current: float, baseline: float) -> str:
    """The Trendfinder level of `current` events against a `baseline` average."""
    if abs(current - baseline) < MIN_CHANGE:
        return "limited change"
    if baseline == 0:
        return "large increase"
    ratio = (current - baseline) / baseline
    if ratio > LARGE:
        return "large increase"
    if ratio > MODERATE:
        return "moderate increase"
    if ratio < -LARGE:
        return "large decrease"
    if ratio < -MODERATE:
        return "moderate decrease"
    return "limited change"


def change_table(events: pd.DataFrame, window: Window, key: str = "key", value: str = "value") -> pd.DataFrame:
    """Per key: the period's total, the baseline average, the change in percent (None from a
    zero baseline), the level and whether the key is new (no event at all before the period).

    `events` has one row per dated event or count: columns `key`, `date`, `value`. Keys with
    events in neither the period nor the baseline are left out. Sorted by level, then by size.
    """
    columns = [key, "current", "baseline", "change", "level", "new"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(events["date"]).dt.date
    dated = events.assign(_day=days).dropna(subset=["_day"])
    in_period = dated[(dated["_day"] >= window.start) & (dated["_day"] <= window.end)]
    in_baseline = dated[(dated["_day"] >= window.baseline_start) & (dated["_day"] < window.start)]
    before = dated[dated["_day"] < window.start]
    current = in_period.groupby(key)[value].sum()
    baseline = in_baseline.groupby(key)[value].sum() / window.baselines
    keys = current.index.union(baseline.index)
    if keys.empty:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame({"current": current.reindex(keys, fill_value=0), "baseline": baseline.reindex(keys, fill_value=0.0)})
    table["change"] = [None if b == 0 else round(100 * (c - b) / b, 1) for c, b in zip(table["current"], table["baseline"], strict=True)]
    table["level"] = [change_level(c, b) for c, b in zip(table["current"], table["baseline"], strict=True)]
    table["new"] = [(c > 0) and (k not in set(before[key])) for k, c in zip(table.index, table["current"], strict=True)]
    table["baseline"] = table["baseline"].round(2)
    table = table.rename_axis(key).reset_index()
    order = {level: n for n, level in enumerate(LEVELS)}
    return table.assign(_o=table["level"].map(order), _s=-(table["current"] - table["baseline"]).abs()).sort_values(["_o", "_s", key]).drop(columns=["_o", "_s"])[columns]


def track_moves(milestones: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Per negotiation track with milestones in the period: forward (something agreed or
    completed), back (something failed or rejected), both, or steady (talks held, proposals),
    with the period's statuses and the latest one."""
    columns = ["track_id", "move", "statuses", "latest"]
    if milestones.empty:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(milestones["date"]).dt.date
    inside = milestones.assign(_day=days)
    inside = inside[(inside["_day"] >= window.start) & (inside["_day"] <= window.end) & inside["track_id"].notna()]
    rows = []
    for track_id, group in inside.sort_values("_day").groupby("track_id"):
        statuses = set(group["status"])
        move = ("forward and back" if statuses & FORWARD and statuses & BACK else "forward" if statuses & FORWARD
                else "back" if statuses & BACK else "steady")
        rows.append({"track_id": int(track_id), "move": move, "statuses": ", ".join(sorted(statuses)), "latest": group["status"].iloc[-1]})
    return pd.DataFrame(rows, columns=columns)
