from components.extract.layout import find_layout
from components.extract.quotes import find_quote_spans
from components.models import Actor, Casualty, Extraction
from components.pages.highlight import highlight_html, spans_of

STORY = """Talks resume as shelling goes on
ODESA, Ukraine (Harbour Wire) — Negotiators met on Monday, officials said.
Photo: Ivan Petrov / Harbour Wire
By Jane Roe"""


def test_headline_dateline_and_credits():
    layout = find_layout(STORY)
    assert layout.title == "Talks resume as shelling goes on"
    assert layout.dateline == "ODESA, Ukraine"
    credit = STORY.index("Photo:")
    assert layout.is_excluded(credit + 7, credit + 17)
    assert layout.is_excluded(STORY.index("Jane"), STORY.index("Jane") + 4)
    assert not layout.is_excluded(STORY.index("Negotiators"), STORY.index("Negotiators") + 5)


def test_no_headline_when_the_first_line_is_a_sentence():
    layout = find_layout("The army said nine soldiers died.\nMore followed.")
    assert layout.title is None


def test_quotes_closed_and_left_open_per_paragraph():
    text = 'He said "we will talk" today.\n"This quote runs on\n"and this one closes," she said.'
    spans = [text[s:e] for s, e in find_quote_spans(text)]
    assert spans == ["we will talk", "This quote runs on", "and this one closes,"]


def test_highlight_escapes_untrusted_text():
    text = 'Shelling <script>alert("x")</script> killed 9 people & more.'
    start = text.index("9")
    ex = Extraction(id="x", casualties=[Casualty("killed", 9, 9, 9, None, text, start, start + 1)],
                    actors=[Actor("Script", "other", spans=[(text.index("<script>"), text.index("<script>") + 8)])])
    html = highlight_html(text, spans_of(ex))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; more" in html
    assert 'class="hl hl-casualty"' in html


def test_highlight_labels_are_escaped_too():
    text = "Ukraine said"
    ex = Extraction(id="x", actors=[Actor('"><img src=x>', "country", spans=[(0, 7)])])
    html = highlight_html(text, spans_of(ex))
    assert "<img" not in html
