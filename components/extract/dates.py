"""Dates written relative to a publication date, resolved to ISO days.

General date parsers resolve weekday names against a base date inconsistently, so the
weekday logic lives here and is tested directly: a weekday in a past-tense report is the
most recent such day on or before publication; in a future-tense one, the next such day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .lexicon import load_lexicon

LEX = load_lexicon("dates")
_WEEKDAY_NUMBERS: dict[str, int] = LEX.mapping("WEEKDAYS")
WEEKDAYS = sorted(_WEEKDAY_NUMBERS, key=_WEEKDAY_NUMBERS.__getitem__)  # index = date.weekday()
MONTHS: dict[str, int] = LEX.mapping("MONTHS")
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
OFFSET_WORDS: dict[str, int] = LEX.mapping("OFFSET_WORDS")


def parse_iso(value: str | None) -> date | None:
    """Parse YYYY-MM-DD, raising ValueError with the reason when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", str(value))
    if not m:
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid calendar date ({exc})") from None


def resolve_weekday(name: str, published: date, future: bool = False) -> date:
    """The day called `name` relative to `published`.

    Past (default): the latest such day on or before publication ("on Saturday" in a
    Saturday paper is that Saturday). Future: the first such day after publication.
    """
    target = next(i for i, w in enumerate(WEEKDAYS) if w.startswith(name.lower()[:3]))
    delta = (published.weekday() - target) % 7
    if future:
        ahead = (target - published.weekday()) % 7
        return published + timedelta(days=ahead or 7)
    return published - timedelta(days=delta)


def start_of_next_week(published: date) -> date:
    return published + timedelta(days=7 - published.weekday())


def _month_day(month: int, day: int, published: date, future: bool) -> date | None:
    try:
        candidate = date(published.year, month, day)
    except ValueError:
        return None
    # A date written without a year is the nearest one in the reported direction.
    if not future and candidate > published + timedelta(days=2):
        candidate = date(published.year - 1, month, day)
    elif future and candidate < published - timedelta(days=2):
        candidate = date(published.year + 1, month, day)
    return candidate


_WEEKDAY_RE = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"


def resolve_expression(text: str, published: date, future: bool = False) -> date | None:
    """Resolve one date expression ('on Saturday', 'yesterday', '16 May', 'next week')."""
    t = text.lower().strip()
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", t):
        return published
    if re.search(r"\b(yesterday|last night)\b", t):
        return published - timedelta(days=1)
    if re.search(r"\btomorrow\b", t):
        return published + timedelta(days=1)
    if re.search(r"\bnext week\b", t):
        return start_of_next_week(published)
    if re.search(r"\blast week\b", t):
        return start_of_next_week(published) - timedelta(days=14)
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.search(_MONTH_RE + r"\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b", t)
    if m:
        month, day = MONTHS[m.group(1)[:3]], int(m.group(2))
        if m.group(3):
            try:
                return date(int(m.group(3)), month, day)
            except ValueError:
                return None
        return _month_day(month, day, published, future)
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? " + _MONTH_RE + r"\b(?:,? (\d{4}))?", t)
    if m:
        month, day = MONTHS[m.group(2)[:3]], int(m.group(1))
        if m.group(3):
            try:
                return date(int(m.group(3)), month, day)
            except ValueError:
                return None
        return _month_day(month, day, published, future)
    m = re.search(r"\b(next|last|this)? ?" + _WEEKDAY_RE + r"\b", t)
    if m:
        if m.group(1) == "next":
            return resolve_weekday(m.group(2), published, future=True)
        if m.group(1) == "last":
            day = resolve_weekday(m.group(2), published)
            return day if day != published else day - timedelta(days=7)
        return resolve_weekday(m.group(2), published, future=future)
    return None


_RELATIVE_RE = re.compile(
    r"\b(a|one|two|three|four|five|six|seven|\d+) (day|days|week|weeks) (after|before|later|earlier)\b"
    r"|\bthe (day|morning|night|evening) (after|before)\b",
    re.IGNORECASE,
)


def relative_offset(text: str) -> int | None:
    """Days implied by 'a day after', 'two days before', 'the morning after' (signed)."""
    m = _RELATIVE_RE.search(text)
    if not m:
        return None
    if m.group(4):
        return 1 if m.group(5).lower() == "after" else -1
    n = OFFSET_WORDS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else 1)
    days = n * (7 if m.group(2).lower().startswith("week") else 1)
    return days if m.group(3).lower() in ("after", "later") else -days


DATE_EXPRESSION_RE = re.compile(
    r"\b(?:(?:on|last|next|this) )?" + _WEEKDAY_RE + r"\b"
    r"|\b(?:yesterday|today|tomorrow|tonight|last night|next week|last week)\b"
    r"|\b" + _MONTH_RE + r"\.? \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)? " + _MONTH_RE + r"\b(?: \d{4})?",
    re.IGNORECASE,
)


def find_date_expressions(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in DATE_EXPRESSION_RE.finditer(text)]
