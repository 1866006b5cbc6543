from datetime import date

import pytest

from components.ingest.readers import IngestError, article_from_text, iter_files, read_bytes, read_path


def test_header_block_is_read_and_removed():
    a = article_from_text("Title: Truce holds\nPublished: 2025-06-02\nSource: Team Wire\nIllustrative: yes\n\nKYIV — Quiet night.")
    assert (a.title, a.published, a.source, a.illustrative) == ("Truce holds", date(2025, 6, 2), "Team Wire", True)
    assert a.text == "KYIV — Quiet night."


def test_yaml_front_matter():
    a = article_from_text("---\ntitle: 'A'\ndate: 2025-01-02\n---\nBody text.")
    assert (a.title, a.published, a.text) == ("A", date(2025, 1, 2), "Body text.")


def test_explicit_values_win_over_the_header():
    a = article_from_text("Title: Old\n\nBody.", title="New", published=date(2024, 1, 1))
    assert (a.title, a.published) == ("New", date(2024, 1, 1))


def test_a_line_with_a_colon_is_not_a_header():
    a = article_from_text("Warning: shelling resumed at dawn.\nMore text.")
    assert a.title is None and a.text.startswith("Warning:")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02binary\x00", "binary"), ("caf\u00e9 strike".encode("latin-1"), "not UTF-8")],
)
def test_bad_bytes_are_refused_with_the_reason(data, reason):
    with pytest.raises(IngestError) as err:
        read_bytes(data, "story.txt")
    assert err.value.source == "story.txt"
    assert reason in err.value.reason


def test_bad_date_in_the_header_names_the_input():
    with pytest.raises(IngestError) as err:
        read_bytes(b"Published: last Tuesday\n\nBody.", "dated.txt")
    assert "dated.txt" in str(err.value) and "date" in err.value.reason


def test_unsupported_suffix():
    with pytest.raises(IngestError, match="unsupported file type"):
        read_bytes(b"x", "report.exe")


def test_utf8_bom_is_accepted():
    assert read_bytes("\ufeffTitle: T\n\nBody.".encode("utf-8"), "bom.txt").title == "T"


def test_html_main_text_and_metadata():
    html = (
        "<html><head><title>Strike hits Kharkiv</title><meta name='author' content='Jane Roe'>"
        "<meta property='article:published_time' content='2025-06-03'><meta property='og:site_name' content='Eastern Desk'></head>"
        "<body><nav>Home | World</nav><article><h1>Strike hits Kharkiv</h1><p>KHARKIV, Ukraine — A missile strike killed nine people "
        "on Tuesday, officials said. The attack hit a residential district in the north of the city.</p>"
        "<p>Rescuers searched the rubble through the night as more residents were reported missing.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    a = read_bytes(html.encode(), "page.html")
    assert a.title == "Strike hits Kharkiv"
    assert a.published == date(2025, 6, 3)
    assert a.source == "Eastern Desk"
    assert "killed nine people" in a.text and "Home | World" not in a.text


def test_html_without_text_is_refused():
    with pytest.raises(IngestError, match="no article text"):
        read_bytes(b"<html><body><nav>menu</nav></body></html>", "empty.html")


def test_folders_expand_to_supported_files(tmp_path):
    (tmp_path / "a.txt").write_text("A")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("B")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt", "b.md"]


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_path(tmp_path / "nope.txt")
