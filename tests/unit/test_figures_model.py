"""Other figures analysts track, with the action that governs them."""

from datetime import date

import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 52 drones and three ballistic missiles overnight, and 38 of the drones were shot down, the air force said.",
         [("drones", 52, "launched"), ("missiles", 3, "launched"), ("drones", 38, "shot down")]),
        ("More than 56,000 people have left the region since January.", [("displaced", 56000, "displaced")]),
        ("The refugee agency said 1.2 million people had been displaced by the fighting.", [("displaced", 1_200_000, "displaced")]),
        ("Authorities evacuated 1,340 civilians from the area.", [("evacuated", 1340, "evacuated")]),
        ("Some 2,000 troops were deployed to the border.", [("troops", 2000, "deployed")]),
        ("Hamas freed 12 hostages and Israel released 36 Palestinian prisoners.", [("prisoners", 12, "released"), ("prisoners", 36, "released")]),
        ("The market was busy and 40 stalls reopened on Monday.", []),
    ],
)
def test_figures(extractor, text, expected):
    got = [(f.kind, f.count, f.action) for f in extractor.extract(text, date(2025, 6, 10)).figures]
    assert got == expected


def test_each_side(extractor):
    figures = extractor.extract("Russia and Ukraine each released 390 prisoners of war on Saturday.", date(2025, 6, 14)).figures
    assert [(f.kind, f.count, f.each_side) for f in figures] == [("prisoners", 390, True)]


def test_prisoners_are_figures_not_casualties(extractor):
    ex = extractor.extract("Two soldiers were killed and 1,000 prisoners were exchanged on Friday.", date(2025, 6, 14))
    assert ex.totals == {"killed": 2}
    assert [(f.kind, f.count) for f in ex.figures] == [("prisoners", 1000)]
