"""The parts of a wire story that are not its prose: headline, dateline, credits, bylines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CREDIT_LINE = re.compile(
    r"^\s*(?:\(?\s*(?:cover |main |top |file |lead )?(?:photo|photograph|picture|image|video|pic)s?"
    r"(?: credit)?s?\s*(?::|by\b)|credits?\s*:|by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$"
    r"|(?:reporting|writing|editing|additional reporting|compiled) by\b|copyright\b|©)",
    re.IGNORECASE,
)
# "KYIV, Ukraine -", "KYIV (Reuters) -", "Kyiv, May 17 (AFP) —": place, optional agency.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'\u2019-]+(?: [A-Z][A-Za-z.'\u2019-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.'\u2019-]+(?: [A-Z][A-Za-z.'\u2019-]+){0,2})?)"
    r"(?:,? (?:[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"(?:\s*\((?P<agency>[A-Za-z .&-]{2,30})\))?"
    r"\s*[-\u2013\u2014]{1,2}\s+"
)


AGENCIES = r"(?:AFP|AP|Reuters|REUTERS|Getty Images|Getty|EPA|EPA-EFE|POOL|Pool|Anadolu(?: Agency)?|TASS|Sputnik|Xinhua|DPA|dpa|ANSA|EFE|Ukrinform|UNIAN|Bloomberg|Shutterstock|Alamy|SIPA|Sipa|NurPhoto|ZUMA(?: Press)?|Abaca|WAFA|SANA|IRNA|KCNA)"
# Credits inside a line: "(AP Photo/Efrem Lukatsky)", "(Photo by Sergei Supinsky/AFP via Getty
# Images)", "[Photo: Reuters]", and a caption's closing "Anna Koval / AFP".
INLINE_CREDIT = re.compile(
    r"[(\[](?:[A-Z][\w.&-]* )?(?:Photo|Photograph|Picture|Image|Video|Footage|File photo|Pic)s?\b[^)\]\n]{0,120}[)\]]"
    r"|[(\[]\s*(?:[A-Z][\w.'\u2019-]+ ){0,3}[A-Z][\w.'\u2019-]+\s*/\s*" + AGENCIES + r"(?:\s*(?:/|via)\s*" + AGENCIES + r")*\s*[)\]]"
    r"|(?:(?<=[.!?\u201d\"] )|(?<=\n)|^)(?:[A-Z][\w.'\u2019-]+ ){1,3}[A-Z][\w.'\u2019-]+\s*/\s*" + AGENCIES + r"(?:\s*(?:/|via)\s*" + AGENCIES + r")*\s*$"
    r"|(?:Image|Photo|Video) (?:source|caption|credit)s?\s*[,:][^\n]{0,80}$",
    re.MULTILINE,
)
# "By Jane Roe and John Doe", "By Jane Roe, Reuters", "By JANE ROE | AFP": a byline line.
BYLINE = re.compile(
    r"^\s*By:?\s+(?:[A-Z][\w.'\u2019-]+\s+){0,3}[A-Z][\w.'\u2019-]+"
    r"(?:\s*(?:,|and|&)\s*(?:[A-Z][\w.'\u2019-]+\s+){0,3}[A-Z][\w.'\u2019-]+)*\s*(?:[,|\u2013\u2014-]\s*[\w .&]{2,40})?\s*$"
)


@dataclass
class Layout:
    title: str | None = None
    title_span: tuple[int, int] | None = None
    dateline: str | None = None
    dateline_span: tuple[int, int] | None = None
    excluded: list[tuple[int, int]] = field(default_factory=list)  # credits, bylines

    @property
    def body_start(self) -> int:
        return self.title_span[1] if self.title_span else 0

    def is_excluded(self, start: int, end: int) -> bool:
        if self.dateline_span and start >= self.dateline_span[0] and end <= self.dateline_span[1]:
            return True
        return any(s <= start and end <= e for s, e in self.excluded)

    def in_title(self, start: int) -> bool:
        return self.title_span is not None and self.title_span[0] <= start < self.title_span[1]


def find_layout(text: str, title: str | None = None) -> Layout:
    layout = Layout(title=title)
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    body_lines = [(o, ln) for o, ln in lines if ln.strip()]
    if not body_lines:
        return layout
    first_offset, first = body_lines[0]
    stripped = first.strip()
    # A headline: the first line, short, not ending as a sentence does, followed by more.
    looks_like_headline = (
        len(body_lines) > 1
        and len(stripped) <= 200
        and not re.search(r"[.!?:\"\u201d]$", stripped)
        and not DATELINE.match(stripped)
        and stripped[0] not in "\"'\u201c\u2018(-"
    )
    if (title and stripped == title.strip()) or looks_like_headline:
        start = first_offset + (len(first) - len(first.lstrip()))
        layout.title_span = (start, start + len(stripped))
        layout.title = layout.title or stripped
        body_lines = body_lines[1:]
    if body_lines:
        o, ln = body_lines[0]
        lead = ln.lstrip()
        m = DATELINE.match(lead)
        if m and len(m.group("place")) <= 60:
            base = o + (len(ln) - len(lead))
            layout.dateline = m.group("place").strip()
            layout.dateline_span = (base, base + m.end())
    for o, ln in lines:
        if (CREDIT_LINE.match(ln) or BYLINE.match(ln)) and len(ln) < 250:
            layout.excluded.append((o, o + len(ln)))
    for m in INLINE_CREDIT.finditer(text):
        if not layout.is_excluded(m.start(), m.end()):
            layout.excluded.append((m.start(), m.end()))
    return layout
