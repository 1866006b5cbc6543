"""Marking the evidence of a number in its article: the figure outlined and anchored, its
sentence shaded, untrusted text escaped; the scroll script takes only our own ids."""

import re

import pytest

from components.models import Actor, Casualty, Extraction
from components.pages.highlight import focus_of, highlight_html, scroll_script, spans_of

TEXT = ("Rain fell over the port all morning.\n"
        "Later, a drone hit a <b>bakery</b> in Tarsk & killed three workers. Firefighters came.\n"
        "Officials gave no more details.")


def _extraction() -> Extraction:
    start = TEXT.index("killed three")
    return Extraction(id="x", casualties=[Casualty("killed", 3, 3, 3, None, "Later, a drone hit a <b>bakery</b> in Tarsk & killed three workers.",
                                                   start, start + len("killed three"))],
                      actors=[Actor("Tarsk", "other", spans=[(TEXT.index("Tarsk"), TEXT.index("Tarsk") + 5)])])


def test_the_focus_is_found_in_its_sentence():
    start = TEXT.index("killed three")
    focus = focus_of(TEXT, start, start + 12, "Later, a drone hit a <b>bakery</b> in Tarsk & killed three workers.", "evidence-1")
    assert TEXT[focus.sentence_start:focus.sentence_end] == "Later, a drone hit a <b>bakery</b> in Tarsk & killed three workers."
    # No stored sentence (or one the text no longer holds): the line the figure is on.
    line = focus_of(TEXT, start, start + 12, "a sentence from another text", "evidence-1")
    assert TEXT[line.sentence_start:line.sentence_end] == TEXT.splitlines()[1]
    assert focus_of(TEXT, len(TEXT) + 5, len(TEXT) + 9, None, "evidence-1") is None


def test_the_figure_is_marked_anchored_and_its_sentence_shaded():
    ex = _extraction()
    c = ex.casualties[0]
    html = highlight_html(TEXT, spans_of(ex), focus_of(TEXT, c.start, c.end, c.sentence, "evidence-7-1-2"))
    (mark,) = re.findall(r'<mark id="evidence-7-1-2" class="hl hl-casualty evidence-focus"[^>]*>(.*?)</mark>', html)
    assert mark == "killed three"
    shaded = "".join(re.findall(r'<span class="evidence-sentence"[^>]*>(.*?)</span>', html))
    assert "a drone hit a &lt;b&gt;bakery&lt;/b&gt;" in shaded and " workers." in shaded
    assert "Rain fell" not in shaded and "Officials" not in shaded
    assert "<b>" not in html and "&amp; " in html
    assert html.count("evidence-focus") == 1
    assert 'class="hl hl-actor"' in html  # the other marks stay, inside the sentence too


def test_a_span_that_is_no_extracted_item_is_marked_as_the_focus():
    start = TEXT.index("Firefighters")
    html = highlight_html(TEXT, [], focus_of(TEXT, start, start + 18, None, "reader-3-0-1", 'label "quoted"'))
    assert re.search(r'<mark id="reader-3-0-1" class="hl hl-focus evidence-focus" title="label &quot;quoted&quot;"', html)
    assert highlight_html(TEXT, []).count("<mark") == 0


def test_the_scroll_script_names_our_element_and_nothing_else():
    script = scroll_script("evidence-12-98-109")
    assert 'const id = "evidence-12-98-109";' in script and "scrollIntoView" in script
    for hostile in ['x"; alert(1); "', "evidence-1</script><script>alert(1)", "", "1-starts-with-a-digit"]:
        with pytest.raises(ValueError, match="not an element id"):
            scroll_script(hostile)
