"""Zip archives: every supported entry read, unsafe entries and zip bombs refused."""

from __future__ import annotations

import io
import json
import zipfile

from components.ingest import archives
from components.ingest.archives import unsafe_name
from components.ingest.sources import iter_bytes, iter_path
from tests.fixtures.ingest.builders import STRIKE, docx_bytes, text_pdf, zip_bytes

TEXT = STRIKE.encode()


def split(items):
    items = list(items)
    return [i for i in items if i.article is not None], {i.source: i.error for i in items if i.article is None}


def test_every_kind_of_entry_is_read(tmp_path):
    data = zip_bytes({
        "folder/a.txt": b"Title: A\n\n" + TEXT,
        "folder/b.html": b"<html><body><article><p>" + TEXT + b"</p></article></body></html>",
        "c.pdf": text_pdf(STRIKE.split("\n")),
        "d.docx": docx_bytes(STRIKE.split("\n")),
        "e.csv": b"text\n\"" + TEXT + b" More.\"\n",
        "f.jsonl": json.dumps({"text": STRIKE + " Again."}).encode() + b"\n",
        "folder/": b"",
        "image.png": b"\x89PNG",  # not an article: passed over, as in a folder
        "__MACOSX/._a.txt": b"\x00\x05",
        ".hidden.txt": b"x",
    })
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    ok, errors = split(iter_path(path))
    assert not errors
    assert [i.source for i in ok] == [f"{path}!folder/a.txt", f"{path}!folder/b.html", f"{path}!c.pdf", f"{path}!d.docx",
                                      f"{path}!e.csv row 2", f"{path}!f.jsonl line 1"]
    assert ok[0].article.title == "A"


def test_entries_with_parent_or_absolute_paths_are_refused_and_the_rest_read():
    data = zip_bytes({"../../etc/evil.txt": TEXT, "/abs/evil.txt": TEXT, "ok/../../evil2.txt": TEXT, "C:/win.txt": TEXT,
                      "good.txt": TEXT})
    ok, errors = split(iter_bytes(data, "upload.zip"))
    assert [i.source for i in ok] == ["upload.zip!good.txt"]
    assert set(errors) == {"upload.zip!../../etc/evil.txt", "upload.zip!/abs/evil.txt", "upload.zip!ok/../../evil2.txt", "upload.zip!C:/win.txt"}
    assert all("unsafe path" in e for e in errors.values())


def test_unsafe_names():
    assert unsafe_name("../x") and unsafe_name("a/../../x") and unsafe_name("/x") and unsafe_name("..\\x") and unsafe_name("C:\\x")
    assert not unsafe_name("a/b.txt") and not unsafe_name("a..b.txt") and not unsafe_name("..hidden.txt")


def test_a_zip_bomb_entry_is_refused_by_its_ratio():
    data = zip_bytes({"bomb.txt": b"\x00" * (8 * 2**20), "good.txt": TEXT})  # 8 MB of zeros compress 1000:1
    assert len(data) < 100_000
    ok, errors = split(iter_bytes(data, "bomb.zip"))
    assert [i.source for i in ok] == ["bomb.zip!good.txt"]
    assert "zip bomb" in errors["bomb.zip!bomb.txt"]


def test_an_archive_that_unpacks_too_big_is_refused_whole(monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 10_000)
    data = zip_bytes({f"{n}.txt": TEXT * 20 for n in range(5)})
    ok, errors = split(iter_bytes(data, "big.zip"))
    assert not ok and "more than the" in errors["big.zip"] and "zip bomb" in errors["big.zip"]


def test_too_many_entries(monkeypatch):
    monkeypatch.setattr(archives, "MAX_ENTRIES", 3)
    _, errors = split(iter_bytes(zip_bytes({f"{n}.txt": TEXT for n in range(5)}), "many.zip"))
    assert "5 entries" in errors["many.zip"]


def test_nested_zip_one_level_deep_only():
    inner = zip_bytes({"inner.txt": TEXT, "deeper.zip": zip_bytes({"deepest.txt": TEXT})})
    ok, errors = split(iter_bytes(zip_bytes({"outer.txt": TEXT + b" Outer.", "inner.zip": inner}), "outer.zip"))
    assert [i.source for i in ok] == ["outer.zip!outer.txt", "outer.zip!inner.zip!inner.txt"]
    assert "nested" in errors["outer.zip!inner.zip!deeper.zip"]


def test_bad_entries_fail_alone():
    data = zip_bytes({"empty.txt": b"", "binary.md": b"\x00\x01\x02\x03", "latin1.txt": "caf\u00e9".encode("latin-1"), "good.txt": TEXT})
    ok, errors = split(iter_bytes(data, "mixed.zip"))
    assert len(ok) == 1
    assert "empty" in errors["mixed.zip!empty.txt"] and "binary" in errors["mixed.zip!binary.md"]
    assert "not UTF-8" in errors["mixed.zip!latin1.txt"]


def test_not_a_zip_and_a_corrupt_entry():
    [item] = list(iter_bytes(b"PK\x03\x04 definitely not a zip", "fake.zip"))
    assert item.source == "fake.zip" and "not a readable zip archive" in item.error
    data = bytearray(zip_bytes({"a.txt": TEXT * 50}, compression=zipfile.ZIP_STORED))
    at = data.index(b"KHERSON")
    data[at : at + 7] = b"XXXXXXX"  # the CRC no longer matches
    [item] = list(iter_bytes(bytes(data), "corrupt.zip"))
    assert item.source == "corrupt.zip!a.txt" and "could not unpack" in item.error


def test_an_oversized_article_entry(monkeypatch):
    monkeypatch.setattr(archives, "MAX_BYTES", 100)
    _, errors = split(iter_bytes(zip_bytes({"long.txt": TEXT * 3}), "z.zip"))
    assert "larger than" in errors["z.zip!long.txt"]


def test_zip_with_a_csv_streams_its_rows():
    rows = "text\n" + "".join(f'"{STRIKE} Number {n}."\n' for n in range(50))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("rows.csv", rows)
    ok, errors = split(iter_bytes(out.getvalue(), "rows.zip"))
    assert len(ok) == 50 and not errors
