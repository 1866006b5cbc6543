"""The article reader's markup: untrusted text escaped, extracted spans wrapped in <mark>."""

from __future__ import annotations

import html

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


def highlight_html(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """HTML of `text` with non-overlapping spans marked; inner spans win over quotes.

    Every piece of article text passes through html.escape: the text is untrusted.
    """
    priority = {"casualty": 0, "figure": 1, "actor": 2, "place": 3, "quote": 4}
    chosen: list[tuple[int, int, str, str]] = []
    taken = [False] * (len(text) + 1)
    for s, e, cat, label in sorted(spans, key=lambda x: (priority.get(x[2], 9), x[0])):
        s, e = max(0, s), min(len(text), e)
        if s >= e or any(taken[s:e]):
            continue
        if cat == "quote":
            # Quotes are long: mark only the parts not already marked inside them.
            continue
        for i in range(s, e):
            taken[i] = True
        chosen.append((s, e, cat, label))
    quote_ranges = [(s, e, label) for s, e, cat, label in spans if cat == "quote"]
    chosen.sort()
    out: list[str] = []
    pos = 0

    def plain(segment_start: int, segment_end: int) -> str:
        piece = html.escape(text[segment_start:segment_end])
        return piece.replace("\n", "<br>")

    for s, e, cat, label in chosen:
        out.append(_with_quotes(text, pos, s, quote_ranges, plain))
        _, bg, fg = CATEGORY_STYLES[cat]
        out.append(
            f'<mark class="hl hl-{cat}" title="{html.escape(label, quote=True)}" '
            f'style="background:{bg};color:{fg};padding:0 2px;border-radius:3px">{plain(s, e)}</mark>'
        )
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
