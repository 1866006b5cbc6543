"""Untrusted strings on the pages: shown as typed, and addresses that name no article."""

import html
import re

import pytest

from components.pages.articles import MAX_ID, requested_article
from components.pages.markup import WORD_JOINER, plain


def shown(markdown: str) -> str:
    """What a reader sees of `plain`'s output: character references decoded, word joiners invisible."""
    return html.unescape(markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", ["[click](https://example.org)", "**bold** _it_ `code`", "$E=mc^2$ \\href{x}{y}", "<b>tag</b> & co",
                                  "# not a heading", "- not a list", "mail me: a@b.org or www.c.org"])
def test_plain_text_has_no_markdown_left_and_reads_as_typed(text):
    out = plain(text)
    assert shown(out) == text
    bare = re.sub(r"&#\d+;", "", out)  # what is left outside character references
    assert not set(bare) & set("[]()*_`$\\<>#-@:/&"), out
    assert "https://" not in out and "www." not in out


def test_line_breaks_become_spaces():
    assert shown(plain("two\n\n# lines")) == "two # lines"


@pytest.mark.parametrize(("value", "expected"), [("", (None, None)), ("12", (12, None)), (str(MAX_ID), (MAX_ID, None))])
def test_an_article_number(value, expected):
    assert requested_article(value) == expected


@pytest.mark.parametrize("value", ["-1", "abc", "0", "²", "１２", "12.0", " 12", str(MAX_ID + 1), "9" * 5000])
def test_no_article_number_names_no_article_and_says_why(value):
    wanted, problem = requested_article(value)
    assert wanted is None and problem is not None and problem.startswith("No article")
    assert len(problem) < 120
