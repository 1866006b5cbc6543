"""PDF and DOCX readers, and the bad inputs every file reader must refuse with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from components.ingest import readers
from components.ingest.formats import reflow
from components.ingest.readers import IngestError, read_bytes, read_path
from components.ingest.sources import iter_path
from tests.fixtures.ingest.builders import STRIKE, docx_bytes, scanned_pdf, text_pdf, zip_bytes


def test_pdf_text_layer_title_and_author():
    article = read_bytes(text_pdf(STRIKE.split("\n"), title="Market shelled in Kherson", author="Eastern Desk"), "statement.pdf")
    assert article.title == "Market shelled in Kherson"
    assert article.author == "Eastern Desk"
    assert "killed four people" in article.text


def test_pdf_lines_are_reflowed_into_paragraphs():
    lines = [
        "Title: Ministry statement on the talks",
        "",
        "GENEVA - The delegations of the two countries met on Tuesday for a third round",
        "of talks, the ministry said in a statement. The meeting lasted four hours and",
        "ended with an agreement to exchange prisoners next week.",
        "Officials said 300 detainees would be released by each side of the front line.",
    ]
    article = read_bytes(text_pdf(lines), "statement.pdf")
    assert article.title == "Ministry statement on the talks"
    paragraphs = article.text.split("\n")
    assert paragraphs[0].startswith("GENEVA - The delegations") and paragraphs[0].endswith("next week.")
    assert "third round of talks" in paragraphs[0]


def test_reflow_rejoins_hyphenated_words_and_keeps_short_lines_apart():
    text = (
        "GENEVA - The delegations met on Tuesday and the meeting ended with an agree-\n"
        "ment to exchange prisoners within the coming days, officials said on Wednesday.\n"
        "Next steps\n"
        "The parties are expected to meet again in July to discuss a ceasefire along\n"
        "the front line."
    )
    assert reflow(text).split("\n") == [
        "GENEVA - The delegations met on Tuesday and the meeting ended with an agreement to exchange "
        "prisoners within the coming days, officials said on Wednesday.",
        "Next steps",
        "The parties are expected to meet again in July to discuss a ceasefire along the front line.",
    ]


def test_pdf_without_a_text_layer_is_refused():
    with pytest.raises(IngestError) as err:
        read_bytes(scanned_pdf(), "scan.pdf")
    assert err.value.source == "scan.pdf"
    assert "no text layer (scanned PDF?)" in err.value.reason


@pytest.mark.parametrize("data", [b"not a pdf at all", b"%PDF-1.4\n garbage that is not a PDF body"])
def test_broken_pdf_is_refused(data):
    with pytest.raises(IngestError) as err:
        read_bytes(data, "broken.pdf")
    assert err.value.source == "broken.pdf"
    assert "PDF" in err.value.reason


def test_docx_paragraphs_header_and_properties():
    data = docx_bytes(["Published: 2025-06-03", "", *STRIKE.split("\n")], title="Kherson market", author="Jane Roe")
    article = read_bytes(data, "brief.docx")
    assert (article.title, article.author, article.published) == ("Kherson market", "Jane Roe", date(2025, 6, 3))
    assert article.text.split("\n")[0].startswith("KHERSON, Ukraine")


def test_docx_that_is_not_a_docx():
    with pytest.raises(IngestError, match="not a readable Word document"):
        read_bytes(b"PK\x03\x04 this is not a real docx", "brief.docx")
    with pytest.raises(IngestError, match="not a readable Word document"):
        read_bytes(zip_bytes({"hello.txt": b"hi"}), "brief.docx")


def test_empty_docx():
    with pytest.raises(IngestError, match="no text"):
        read_bytes(docx_bytes([]), "empty.docx")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\n  ", "empty"),
        ("blank.html", b"\n\n   \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary"),
        ("page.html", bytes(range(256)) * 4, "binary"),
        ("latin1.txt", "Kharkiv caf\u00e9 struck by a drone".encode("latin-1"), "not UTF-8"),
        ("mixed.txt", "Kyiv \u2014 talks".encode() + " caf\u00e9 hit".encode("cp1252"), "not UTF-8"),
        ("utf16.txt", "Talks in Istanbul".encode("utf-16"), "binary"),
    ],
)
def test_bad_files_are_refused_with_name_and_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    items = list(iter_path(path))
    assert len(items) == 1 and items[0].article is None
    assert items[0].source == str(path)
    assert reason in items[0].error


def test_mixed_encoding_error_names_the_byte_and_position():
    data = "Kyiv \u2014 talks".encode() + b" caf\xe9"
    with pytest.raises(IngestError) as err:
        read_bytes(data, "mixed.txt")
    assert "0xe9" in err.value.reason and f"position {len(data) - 1}" in err.value.reason


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: takes no disk space
        f.truncate(200 * 2**20)
    with pytest.raises(IngestError) as err:
        read_path(path)
    assert err.value.source == str(path)
    assert "210 MB, larger than the 20 MB limit" in err.value.reason


def test_the_size_limit_applies_to_uploads_too(monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(IngestError, match="larger than"):
        read_bytes(b"word " * 400, "big.txt")


def test_malformed_html_still_gives_its_text_or_a_reason():
    html = (  # unclosed paragraphs and bold, stray closing tags, no </body>
        b"<html><head><title>Strike on Sumy</title></head><body><div><p>SUMY, Ukraine - A drone strike on Sumy killed two people "
        b"and wounded five on Monday, the regional administration said.<p>Emergency crews put out a fire "
        b"in a five-storey building <b>overnight.</span></td><div>Residents were moved to a school nearby."
    )
    article = read_bytes(html, "broken.html")
    assert "killed two people" in article.text
    with pytest.raises(IngestError) as err:
        read_bytes(b"<html><<<>>></div></p><script>var x = 1;</script>", "junk.html")
    assert err.value.source == "junk.html" and "no article text" in err.value.reason


def test_batch_suffixes_are_not_single_articles():
    with pytest.raises(IngestError, match="holds many articles"):
        read_bytes(b"text\nhello", "batch.csv")
