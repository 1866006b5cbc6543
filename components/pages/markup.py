"""Untrusted strings shown through Streamlit's Markdown elements, as typed."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

import pandas as pd

# Every ASCII punctuation mark Markdown, its HTML, GitHub's autolinks or KaTeX could read, and '@'.
_MARKDOWN_SPECIALS = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINKS = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*:|\bwww(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def plain(text: Any) -> str:
    """Untrusted text (a title, an outlet, a file name, a reason) for Streamlit's Markdown
    elements, shown as typed: '[click](…)' stays brackets, '**x**' stays stars, '$x$' and
    '\\href' are not LaTeX, '<b>' is not a tag, 'https://…' is not a link. Line breaks become
    spaces (a title never starts a heading or a list)."""
    flat = " ".join(str(text).split())
    # Streamlit also turns bare addresses into links after Markdown is read: a word joiner
    # (invisible, U+2060) after "scheme:", after "www" and before "@" leaves them text.
    flat = _AUTOLINKS.sub(lambda m: m.group(0) + WORD_JOINER, flat)
    # Character references, not backslashes: GitHub-style autolinks ignore backslash escapes
    # ("https\\://…" is still a link), but not "https&#58;//…".
    return _MARKDOWN_SPECIALS.sub(lambda m: f"&#{ord(m.group(1))};", flat)


MISSING = "—"  # what a table or a line shows for a value that is not there, never "None", "nan" or "NaT"


def as_shown(value: Any) -> str:
    """A value as a table cell or a line of text shows it: MISSING where there is none (None, NaN, NaT)."""
    if isinstance(value, (list, tuple, set, dict)):
        return str(value)
    if value is None or pd.isna(value):
        return MISSING
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != time() else value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)
