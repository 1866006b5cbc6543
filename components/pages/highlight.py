"""The article reader's markup: untrusted text escaped, extracted spans wrapped in <mark>."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..models import Extraction

CATEGORY_STYLES = {
    "actor": ("Actor", "#cfe3f5", "#0b3d66"),
    "place": ("Place", "#d3f0e4", "#064d36"),
    "casualty": ("Casualty figure", "#f9d6c4", "#6b2200"),
    "figure": ("Other figure", "#fbe7b5", "#5c4100"),
    "quote": ("Quote", "#e6e6e6", "#222222"),
}


def spans_of(extraction: Extraction) -> list[tuple[int, int, str, str]]:
    """(start, end, category, label) for everything worth highlighting."""
    spans: list[tuple[int, int, str, str]] = []
    for a in extraction.actors:
        for s, e in a.spans:
            spans.append((s, e, "actor", f"{a.name} ({a.kind}{', ' + a.country if a.country and a.country != a.name else ''})"))
    for p in extraction.places:
        for s, e in p.spans:
            spans.append((s, e, "place", f"{p.name} ({p.kind}{', ' + p.country if p.country else ''})"))
    for c in extraction.casualties:
        spans.append((c.start, c.end, "casualty", f"{c.kind}: {c.count}" + (f" ({c.qualifier})" if c.qualifier else "")))
    for f in extraction.figures:
        spans.append((f.start, f.end, "figure", f"{f.kind}: {f.count}" + (" each side" if f.each_side else "")))
    for q in extraction.quotes:
        spans.append((q.start, q.end, "quote", f"quote: {q.speaker or 'unknown speaker'}"))
    return spans


@dataclass(frozen=True)
class Focus:
    """The item a number came from: its span, marked and given the element id `anchor` (so the
    page can scroll to it), inside its sentence, which is shaded."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    anchor: str
    label: str = "the evidence"


FOCUS_STYLE = "outline:2px solid #1f1f1f;outline-offset:1px;font-weight:600"
FOCUS_COLOURS = ("#ffe08a", "#3d2e00")  # a span the extraction did not highlight (a milestone's sentence)
SENTENCE_STYLE = "background:#fff3c4;border-radius:3px"


def focus_of(text: str, start: int, end: int, sentence: str | None, anchor: str, label: str = "the evidence") -> Focus | None:
    """Where an item sits in its article: its span clipped to the text, and the stored sentence
    found around it (else the line it is on). None when the span is not in the text at all."""
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return None
    sentence = (sentence or "").strip()
    at = text.rfind(sentence, 0, start + len(sentence)) if sentence else -1  # the last copy starting at or before the span
    if at >= 0 and at + len(sentence) >= end:
        return Focus(start, end, at, at + len(sentence), anchor, label)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return Focus(start, end, line_start, len(text) if line_end < 0 else line_end, anchor, label)


def _chosen_marks(text: str, spans: list[tuple[int, int, str, str]], focus: Focus | None) -> list[tuple[int, int, str, str]]:
    """Non-overlapping marks, inner kinds winning (casualty before actor...); the focus first of all,
    keeping the kind of an extracted span it coincides with."""
    priority = {"casualty": 0, "figure": 1, "actor": 2, "place": 3, "quote": 4}
    candidates = list(spans)
    if focus is not None:
        same = [x for x in spans if (max(0, x[0]), min(len(text), x[1])) == (focus.start, focus.end) and x[2] != "quote"]
        kind, label = (same[0][2], same[0][3]) if same else ("focus", focus.label)
        candidates = [(focus.start, focus.end, "focus:" + kind, label)] + candidates
    chosen: list[tuple[int, int, str, str]] = []
    taken = [False] * (len(text) + 1)
    for s, e, cat, label in sorted(candidates, key=lambda x: (-1 if x[2].startswith("focus:") else priority.get(x[2], 9), x[0])):
        s, e = max(0, s), min(len(text), e)
        if s >= e or any(taken[s:e]) or cat == "quote":
            continue  # quotes are long: they are underlined around the marks instead (_with_quotes)
        for i in range(s, e):
            taken[i] = True
        chosen.append((s, e, cat, label))
    return sorted(chosen)


def _mark(cat: str, label: str, body: str, focus: Focus | None) -> str:
    """One <mark>: the kind's colours; the focus also outlined and named by its anchor."""
    is_focus = cat.startswith("focus:")
    kind = cat.removeprefix("focus:")
    bg, fg = FOCUS_COLOURS if kind == "focus" else CATEGORY_STYLES[kind][1:]
    classes = f"hl hl-{kind}" + (" evidence-focus" if is_focus else "")
    anchor = f' id="{html.escape(focus.anchor, quote=True)}"' if is_focus and focus is not None else ""
    extra = ";" + FOCUS_STYLE if is_focus else ""
    return (f'<mark{anchor} class="{classes}" title="{html.escape(label, quote=True)}" '
            f'style="background:{bg};color:{fg};padding:0 2px;border-radius:3px{extra}">{body}</mark>')


def highlight_html(text: str, spans: list[tuple[int, int, str, str]], focus: Focus | None = None) -> str:
    """HTML of `text` with non-overlapping spans marked; inner spans win over quotes. With a
    `focus`, that item is outlined (element id `focus.anchor`) and its sentence shaded.

    Every piece of article text passes through html.escape: the text is untrusted.
    """
    quote_ranges = [(s, e, label) for s, e, cat, label in spans if cat == "quote"]
    cuts = (focus.sentence_start, focus.sentence_end) if focus is not None else (0, 0)

    def plain(segment_start: int, segment_end: int, shade: bool = True) -> str:
        """Escaped text; the parts inside the focus sentence shaded (not inside a mark: it has its colours)."""
        pieces = []
        for s, e in ((segment_start, min(segment_end, cuts[0])), (max(segment_start, cuts[0]), min(segment_end, cuts[1])),
                     (max(segment_start, cuts[1]), segment_end)):
            if s < e:
                piece = html.escape(text[s:e]).replace("\n", "<br>")
                inside = shade and cuts[0] <= s and e <= cuts[1]
                pieces.append(f'<span class="evidence-sentence" style="{SENTENCE_STYLE}">{piece}</span>' if inside else piece)
        return "".join(pieces)

    out: list[str] = []
    pos = 0
    for s, e, cat, label in _chosen_marks(text, spans, focus):
        out.append(_with_quotes(text, pos, s, quote_ranges, plain))
        out.append(_mark(cat, label, plain(s, e, shade=False), focus))
        pos = e
    out.append(_with_quotes(text, pos, len(text), quote_ranges, plain))
    body = "".join(out)
    return f'<div class="article-text" style="line-height:1.7">{body}</div>'


def _with_quotes(text: str, start: int, end: int, quotes: list[tuple[int, int, str]], plain) -> str:  # type: ignore[no-untyped-def]
    """Plain text between marks, with quoted stretches underlined in the quote style."""
    pieces: list[str] = []
    pos = start
    for qs, qe, label in sorted(quotes):
        s, e = max(qs, pos), min(qe, end)
        if s >= e:
            continue
        pieces.append(plain(pos, s))
        pieces.append(f'<span class="hl hl-quote" title="{html.escape(label, quote=True)}" style="border-bottom:2px dotted #666">{plain(s, e)}</span>')
        pos = e
    pieces.append(plain(pos, end))
    return "".join(pieces)


def legend_html() -> str:
    items = [
        f'<span style="background:{bg};color:{fg};padding:1px 6px;border-radius:3px;margin-right:6px">{html.escape(name)}</span>'
        for cat, (name, bg, fg) in CATEGORY_STYLES.items() if cat != "quote"
    ]
    items.append('<span style="border-bottom:2px dotted #666;margin-right:6px">Quote</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,80}")


def scroll_script(anchor: str) -> str:
    """A script that scrolls the element `anchor` (a Focus's mark) to the middle of its scrolling
    boxes once it is drawn, and again if the page moved it away while it was loading. The anchor is
    made of our own ids (checked here), never of article text."""
    if not _ANCHOR.fullmatch(anchor):
        raise ValueError(f"not an element id: {anchor!r}")
    return f"""<script>
(() => {{
  const id = "{anchor}";
  let tries = 0;
  const inView = (el) => {{ const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }};
  const go = () => {{
    const el = document.getElementById(id);
    if (!el) {{ if (++tries < 100) setTimeout(go, 100); return; }}
    el.scrollIntoView({{block: "center", inline: "nearest"}});
    for (const wait of [300, 1000]) setTimeout(() => {{ if (!inView(el)) el.scrollIntoView({{block: "center"}}); }}, wait);
  }};
  go();
}})();
</script>"""
