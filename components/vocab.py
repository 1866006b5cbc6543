"""The words every layer shares: kinds of actors, places, casualties, figures and milestones,
and the statuses a milestone may have.

One copy, read by the store (which checks corrections against it), the charts (their
orders and colours), the pages (their filters and editors) and the tools. Pure data: no
I/O and no imports of ours, so any layer may import it.
"""

from __future__ import annotations

ACTOR_KINDS = ("person", "country", "organization", "armed_group", "media", "other")
PLACE_KINDS = ("city", "region", "country", "other")
CASUALTY_KINDS = ("killed", "wounded", "missing", "abducted", "arrested")
FIGURE_KINDS = ("prisoners", "displaced", "refugees", "evacuated", "troops", "drones", "missiles", "aid")
MILESTONE_KINDS = ("talks", "meeting", "proposal", "agreement", "ceasefire", "prisoner_exchange", "sanctions")

# Every status in the order a negotiation moves through them (charts and pickers use this order).
ALL_STATUSES = ("proposed", "planned", "held", "agreed", "completed", "rejected", "failed")
# The statuses each kind of milestone can have.
MILESTONE_STATUSES: dict[str, tuple[str, ...]] = {
    "talks": ("proposed", "planned", "held", "failed"),
    "meeting": ("proposed", "planned", "held", "rejected"),
    "proposal": ("proposed", "rejected"),
    "agreement": ("proposed", "agreed", "completed", "rejected", "failed"),
    "ceasefire": ("proposed", "agreed", "completed", "failed", "rejected"),
    "prisoner_exchange": ("proposed", "agreed", "completed"),
    "sanctions": ("proposed", "completed", "rejected"),
}
# A negotiation track whose latest status is one of these is still going on.
OPEN_STATUSES = frozenset({"proposed", "planned", "held", "agreed"})
