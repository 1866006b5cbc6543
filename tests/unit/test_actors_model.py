"""The actor stage with the real model, on a statement written for this test in the style of
military press releases and State Department statements (an invented event)."""

from datetime import date

import pytest

pytestmark = pytest.mark.model

STATEMENT = """Coalition strikes hit Islamic State positions near Raqqa
TAMPA, Fla. - Gen. Joseph Votel, commander of U.S. Central Command, said on Tuesday that Coalition aircraft struck Daesh positions in northern Syria.
Near Al Shadaddi, one strike destroyed an ISIL-held building. Near Tal Afar, two strikes hit a tunnel entrance.
"We will keep up the pressure," said Col. Brian Hollis, the CJTF-OIR spokesperson.
U.S. forces continue to advise Iraqi troops, and the Iraqi government thanked the Coalition. Votel met Prime Minister Haider al-Abadi in Baghdad.
Secretary Kerry welcomed the progress. Photo: Maria Lund / AFP"""


def test_statement_actors_places_and_noise(extractor):
    ex = extractor.extract(STATEMENT, date(2016, 11, 8))
    actors = {a.name: a for a in ex.actors}
    places = {p.name: p for p in ex.places}

    votel = actors["Joseph Votel"]
    assert votel.kind == "person" and votel.country == "United States" and votel.mentions >= 2
    assert "commander of U.S. Central Command" in votel.aliases
    assert actors["John Kerry"].country == "United States"
    assert actors["Haider al-Abadi"].country == "Iraq"
    assert actors["Brian Hollis"].kind == "person"

    assert actors["Global Coalition to Defeat ISIS"].mentions >= 2
    assert actors["Islamic State"].kind == "armed_group"
    assert actors["United States Armed Forces"].country == "United States"
    assert actors["Iraqi Security Forces"].country == "Iraq"
    assert "Iraqi government" in actors["Iraq"].aliases

    assert places["Al Shadaddi"].kind == "city"
    assert places["Tal Afar"].country == "Iraq" and places["Tal Afar"].lat is not None and "Tall 'Afar" in places["Tal Afar"].aliases
    assert places["northern Syria"].country == "Syria"
    assert places["Baghdad"].country == "Iraq"
    assert not {"Maria Lund", "AFP", "Agence France-Presse", "Near Al Shadaddi"} & set(actors)
