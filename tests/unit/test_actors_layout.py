"""Credits, bylines and agency tags found by the layout, so no actor comes from them."""

from components.extract.layout import find_layout

STORY = """Strikes hit the capital overnight
KYIV (Wire Service) - Rescuers searched the rubble on Monday. (AP Photo/Efrem Lukatsky) The mayor said power was back.
A woman walks past a damaged building. Anna Koval / AFP
Firefighters work at the site (Photo by Sergei Supinsky/AFP via Getty Images) in the city centre.
By Jane Roe and John Doe, Wire Service
Image source, Getty Images
Ukraine's foreign minister met his Polish counterpart / the talks went on."""


def excluded_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in find_layout(text).excluded]


def test_inline_and_line_credits_and_bylines():
    got = excluded_texts(STORY)
    assert "(AP Photo/Efrem Lukatsky)" in got
    assert "Anna Koval / AFP" in got
    assert "(Photo by Sergei Supinsky/AFP via Getty Images)" in got
    assert "By Jane Roe and John Doe, Wire Service" in got
    assert "Image source, Getty Images" in got


def test_prose_with_a_slash_is_not_a_credit():
    got = excluded_texts(STORY)
    assert not any("counterpart" in g or "Rescuers" in g or "mayor" in g for g in got)
