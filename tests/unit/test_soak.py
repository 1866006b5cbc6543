"""The soak: what it reads, the hostile copies it makes, and how it judges a run."""

from __future__ import annotations

import json

from components.extract.budget import ExtractionTimeout
from components.extract.extractor import ExtractionError
from components.tools.soak import (
    DIRECTION_MARKS,
    ZERO_WIDTH,
    SoakText,
    format_report,
    long_article,
    no_punctuation,
    odd_unicode,
    one_line,
    read_texts,
    run_soak,
    soak_texts,
)

TEXT = "Talks resumed in Geneva on Monday.\nNine people were killed in Kharkiv, officials said."


def test_reads_text_files_and_jsonl_lines(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    rows = [{"id": 1, "text": "First text."}, {"id": 2, "gold": {}}, {"id": 3, "text": "Third text."}]
    (tmp_path / "b.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    texts = list(read_texts([tmp_path]))
    assert [t.text for t in texts] == [TEXT, "First text.", "Third text."]
    assert texts[1].label.endswith("b.jsonl:1") and texts[2].label.endswith("b.jsonl:3")


def test_the_hostile_copies():
    assert no_punctuation(TEXT) == "Talks resumed in Geneva on Monday\nNine people were killed in Kharkiv officials said"
    assert "\n" not in one_line(TEXT) and one_line(TEXT).startswith("Talks resumed in Geneva on Monday. Nine")
    odd = odd_unicode(TEXT * 20, seed=1)
    assert ZERO_WIDTH in odd and any(m in odd for m in DIRECTION_MARKS)
    assert any(ord(c) > 0x1F000 for c in odd)  # emoji
    assert any("\u0400" <= c <= "\u04ff" for c in odd)  # Cyrillic letters among the Latin
    assert odd_unicode(TEXT, seed=3) == odd_unicode(TEXT, seed=3)  # reproducible


def test_every_text_in_every_form_then_one_long_article():
    texts = [SoakText("a", TEXT), SoakText("b", "Short.")]
    out = list(soak_texts(texts, long_chars=1000))
    assert len(out) == 2 * 5 + 1
    assert {t.label.split(": ")[0] for t in out[1:5]} == {"caps", "no punctuation", "one line", "unicode"}
    assert out[1].text == TEXT.upper()
    assert len(out[-1].text) == 1000 and out[-1].label.startswith("long: 1,000 characters")
    assert len(long_article(texts, 200_000).text) == 200_000


def test_a_run_records_exceptions_and_time_outs_and_is_not_clean():
    def extract(text):
        if "boom" in text:
            raise KeyError("boom")
        if "slow" in text:
            raise ExtractionError(str(ExtractionTimeout(20)))
        return None

    report = run_soak(extract, iter([SoakText("ok", "fine"), SoakText("bad", "boom"), SoakText("late", "slow")]))
    assert [r.label for r in report.exceptions] == ["bad"]
    assert "KeyError" in report.exceptions[0].error
    assert [r.label for r in report.over_budget] == ["late"]
    assert not report.clean(max_seconds=2)
    printed = format_report(report, top=5, max_seconds=2, budget=20)
    assert "exceptions: 1" in printed and "bad: KeyError" in printed and "NOT CLEAN" in printed


def test_a_clean_run_and_the_slowest_limit():
    report = run_soak(lambda text: None, iter([SoakText("one", "x"), SoakText("long: 9 characters made of 1 texts", "y")]))
    assert report.clean(max_seconds=2)
    assert report.long_label.startswith("long:")
    report.results[0].seconds = 3.0
    assert not report.clean(max_seconds=2)
    report.results[0].seconds = 0.1
    report.results[1].seconds = 30.0  # the long article is judged by the budget, not the 2 s limit
    assert report.clean(max_seconds=2)
