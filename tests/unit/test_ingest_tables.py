"""CSV, TSV, JSONL and JSON batches: column mapping, bad rows, bad files, streaming."""

from __future__ import annotations

import json
from datetime import date

import pytest

from components.ingest import tables
from components.ingest.sources import estimate_count, iter_bytes, iter_path
from components.ingest.tables import ColumnMap, parse_date_value

BODY = "KHERSON, Ukraine - Shelling killed {n} people in Kherson on Monday, the governor said."


def good(items):
    return [i for i in items if i.article is not None]


def bad(items):
    return {i.source: i.error for i in items if i.article is None}


def test_csv_default_column_names_and_metadata(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Headline,Body,Published_At,Link,Outlet,Byline\n"
        f'Shelling in Kherson,"{BODY.format(n=3)}",2025-06-03T08:15:00Z,https://example.org/a,Desk Wire,Jane Roe\n'
        f'Second,"{BODY.format(n=4)}\nA second paragraph.",2025-06-04,,Desk Wire,\n',
        encoding="utf-8",
    )
    items = list(iter_path(path))
    assert not bad(items)
    first, second = (i.article for i in items)
    assert (first.title, first.published, first.url, first.source, first.author) == (
        "Shelling in Kherson", date(2025, 6, 3), "https://example.org/a", "Desk Wire", "Jane Roe")
    assert first.path == str(path)
    assert second.text.endswith("\nA second paragraph.") and second.url is None
    assert [i.source for i in items] == [f"{path} row 2", f"{path} row 3"]


def test_csv_explicit_column_map_and_semicolons(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(f"story;when;paper\n{BODY.format(n=5)};03/06/2025;Desk\n", encoding="utf-8")
    items = list(iter_path(path, ColumnMap.parse("text=story,source=paper")))
    assert items[0].article.source == "Desk" and items[0].article.published is None
    items = list(iter_path(path, ColumnMap.parse("text=story,date=when")))
    assert "row 2" in items[0].source and "03/06/2025" in items[0].error


def test_csv_without_a_text_column_is_refused_naming_the_file_and_column(tmp_path):
    path = tmp_path / "no_text.csv"
    path.write_text("title,date\nTalks,2025-06-01\n", encoding="utf-8")
    items = list(iter_path(path))
    assert len(items) == 1
    assert items[0].source == str(path)
    assert "missing the text column" in items[0].error and "'title', 'date'" in items[0].error


def test_an_explicit_column_that_is_not_there(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("text\nhello there\n", encoding="utf-8")
    [item] = list(iter_path(path, ColumnMap.parse("text=story")))
    assert "no column named 'story'" in item.error


def test_bad_rows_fail_alone_with_their_row_number(tmp_path):
    path = tmp_path / "rows.csv"
    rows = ["text,date"]
    for n in range(2, 10):
        if n == 4:
            rows.append(",2025-06-01")  # empty text
        elif n == 7:
            rows.append(f'"{BODY.format(n=n)}",last Tuesday')  # bad date
        elif n == 8:
            rows.append(f'"{BODY.format(n=n)}",2025-06-01,extra')  # a field too many
        else:
            rows.append(f'"{BODY.format(n=n)}",2025-06-0{n}')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = list(iter_path(path))
    assert len(good(items)) == 5
    errors = bad(items)
    assert set(errors) == {f"{path} row 4", f"{path} row 7", f"{path} row 8"}
    assert "text is empty" in errors[f"{path} row 4"]
    assert "publication date" in errors[f"{path} row 7"] and "last Tuesday" in errors[f"{path} row 7"]
    assert "3 values for 2 columns" in errors[f"{path} row 8"]


def test_rows_in_another_encoding_fail_alone(tmp_path):
    path = tmp_path / "mixed.csv"
    rows = [f'"{BODY.format(n=n)}"\n'.encode() for n in range(3)]
    rows.insert(1, '"caf\u00e9 bombed in Kherson"\n'.encode("cp1252"))
    path.write_bytes(b"text\n" + b"".join(rows))
    items = list(iter_path(path))
    assert len(good(items)) == 3
    assert bad(items) == {f"{path} row 3": "not UTF-8 text (byte 0xe9); save the file as UTF-8 and try again"}
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_bytes(b'{"text": "caf\xe9 bombed"}\n' + json.dumps({"text": BODY.format(n=1)}).encode() + b"\n")
    items = list(iter_path(jsonl))
    assert len(good(items)) == 1 and "0xe9" in bad(items)[f"{jsonl} line 1"]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.csv", b"", "empty"), ("blank.jsonl", b"\n  \n", "empty"), ("blank.json", b"   ", "empty"),
    ("binary.csv", b"\x00\x01\x02\x03PK\x03\x04" * 50, "binary"), ("binary.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
])
def test_empty_and_binary_batches(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    [item] = list(iter_path(path))
    assert item.source == str(path) and reason in item.error


def test_jsonl_lines_each_an_article_and_bad_lines_fail_alone(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"content": BODY.format(n=1), "headline": "One", "published": "Tue, 03 Jun 2025 10:00:00 GMT"}),
        "{not json",
        json.dumps(["a list"]),
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": BODY.format(n=2), "date": "2025-13-40"}),
        json.dumps({"text": 42}),
        json.dumps({"body": BODY.format(n=3), "source": "Wire"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_path(path))
    ok = good(items)
    assert [(a.article.title, a.article.published) for a in ok] == [("One", date(2025, 6, 3)), (None, None)]
    assert ok[1].article.source == "Wire"
    errors = bad(items)
    assert "not JSON" in errors[f"{path} line 2"]
    assert "not a JSON object" in errors[f"{path} line 3"]
    assert "no text field" in errors[f"{path} line 5"]
    assert "2025-13-40" in errors[f"{path} line 6"]
    assert "not text" in errors[f"{path} line 7"]


def test_json_list_or_wrapped_list_or_one_object():
    wrapped = json.dumps({"articles": [{"text": BODY.format(n=1)}, {"text": ""}]}).encode()
    items = list(iter_bytes(wrapped, "upload.json"))
    assert len(good(items)) == 1 and bad(items) == {"upload.json item 2": "the text is empty (column 'text')"}
    assert len(good(iter_bytes(json.dumps([{"body": BODY.format(n=2)}]).encode(), "list.json"))) == 1
    assert len(good(iter_bytes(json.dumps({"text": BODY.format(n=3)}).encode(), "one.json"))) == 1
    [item] = list(iter_bytes(b'{"text": "unterminated', "broken.json"))
    assert item.source == "broken.json" and "not valid JSON" in item.error
    [item] = list(iter_bytes(b'"just a string"', "string.json"))
    assert "expected a list of articles" in item.error


def test_json_too_big_to_read_whole(monkeypatch):
    monkeypatch.setattr(tables, "MAX_JSON_BYTES", 100)
    [item] = list(iter_bytes(json.dumps([{"text": "x" * 200}]).encode(), "big.json"))
    assert "JSONL" in item.error


def test_tsv_and_a_long_field(tmp_path):
    path = tmp_path / "long.tsv"
    long_text = " ".join([BODY.format(n=n) for n in range(3000)])  # ~250 KB: over csv's default field limit
    path.write_text(f"title\ttext\nLong\t{long_text}\n", encoding="utf-8")
    [item] = list(iter_path(path))
    assert item.article is not None and len(item.article.text) > 131072


def test_rows_are_streamed_not_read_whole(tmp_path):
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("text\n")
        for n in range(5000):
            f.write(f'"{BODY.format(n=n)}"\n')
    stream = iter_path(path)
    first = next(stream)
    assert first.article is not None and "Shelling killed 0 people" in first.article.text
    stream.close()
    assert estimate_count([path]) == 5000


def test_column_map_parse_errors():
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        ColumnMap.parse("body")
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        ColumnMap.parse("colour=red")
    assert ColumnMap.parse("text=Story, date=When").names == {"text": "Story", "date": "When"}


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-06-03", date(2025, 6, 3)), ("2025-06-03T22:10:00+02:00", date(2025, 6, 3)), ("2025-6-3 10:00", date(2025, 6, 3)),
    ("Tue, 03 Jun 2025 10:00:00 GMT", date(2025, 6, 3)), ("", None), (None, None),
])
def test_date_values(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-02-30", "03/06/2025", 20250603])
def test_bad_date_values(value):
    with pytest.raises(ValueError):
        parse_date_value(value)


@pytest.mark.parametrize(("value", "expected"), [("2016-02", date(2016, 2, 29)), ("2016", date(2016, 12, 31)), ("2015-11", date(2015, 11, 30))])
def test_a_month_or_year_alone_stands_for_its_last_day(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize("value", ["2016-13", "16-02", "February 2016x"])
def test_a_date_that_is_no_date_is_refused_with_the_reason(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date_value(value)
