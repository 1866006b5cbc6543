"""The rule stages as spaCy components, on a blank pipeline (no statistical model needed)."""

from __future__ import annotations

import time
from datetime import date

import pytest
import spacy

from components.extract.budget import ExtractionTimeout, check, time_budget
from components.extract.components import RULE_STAGES
from components.extract.components.stages import ActorStage
from components.extract.extractor import ExtractionError, Extractor
from components.models import Article, Extraction

LEAD = "Two soldiers were killed in Kharkiv on Monday, Ukraine's army said.\nTalks in Istanbul were held."


@pytest.fixture(scope="module")
def blank_extractor():
    return Extractor(nlp=spacy.blank("en"))


def test_the_rule_stages_are_components_of_the_pipeline_in_order(blank_extractor):
    names = blank_extractor.nlp.pipe_names
    assert [n for n in names if n.startswith("conflict_") and n != "conflict_knowledge"] == list(RULE_STAGES)
    assert names.index("conflict_knowledge") < names.index("conflict_layout")


def test_the_pipeline_leaves_the_extraction_on_the_doc(blank_extractor):
    doc = blank_extractor.nlp(blank_extractor.make_doc(LEAD, date(2025, 6, 2), "A title"))
    assert doc._.conflict_error is None
    data = doc._.extraction
    assert data["title"] == "A title" and data["published"] == "2025-06-02"
    assert data["extractor_version"] == blank_extractor.version
    assert Extraction.from_dict(data).to_dict() == data
    # The working results are cleared, so the Doc serialises (it travels between processes).
    assert doc._.conflict_actors is None and doc._.conflict_layout is None
    assert len(doc.to_bytes()) > 0


def test_a_plain_nlp_call_runs_the_stages_too(blank_extractor):
    doc = blank_extractor.nlp("Talks between the two sides were held in Geneva.")
    assert doc._.extraction is not None and doc._.extraction["id"]


def test_a_failing_stage_fails_its_article_only(blank_extractor, monkeypatch):
    stage = blank_extractor.nlp.get_pipe("conflict_actors")
    assert isinstance(stage, ActorStage)
    real = stage.extractor.extract

    def flaky(doc, layout):
        if "BROKEN" in doc.text:
            raise RuntimeError("a rule tripped")
        return real(doc, layout)

    monkeypatch.setattr(stage.extractor, "extract", flaky)
    articles = [Article(text=LEAD), Article(text="This BROKEN article trips a rule."), Article(text=LEAD + " Again.")]
    results = [r for _, r in blank_extractor.pipe(articles, batch_size=2)]
    assert isinstance(results[0], Extraction) and isinstance(results[2], Extraction)
    assert isinstance(results[1], ExtractionError)
    assert "conflict_actors" in results[1].reason and "a rule tripped" in results[1].reason
    with pytest.raises(ExtractionError):
        blank_extractor.extract("Another BROKEN one.")


def test_an_article_over_its_budget_is_stopped_and_named(monkeypatch):
    ex = Extractor(nlp=spacy.blank("en"), budget_s=0.3)
    stage = ex.nlp.get_pipe("conflict_casualties")
    real = stage.extractor.extract

    def slow(doc, *args):
        if "SLOW" in doc.text:
            while True:  # a rule that checks its budget, as the stages do once a sentence
                check()
                time.sleep(0.01)
        return real(doc, *args)

    monkeypatch.setattr(stage.extractor, "extract", slow)
    started = time.monotonic()
    results = [r for _, r in ex.pipe([Article(text="A SLOW one."), Article(text=LEAD)])]
    assert time.monotonic() - started < 10
    assert isinstance(results[0], ExtractionError)
    assert results[0].reason == "extraction took longer than 0.3 s"
    assert isinstance(results[1], Extraction)


def test_the_timer_stops_code_that_never_checks():
    with pytest.raises(ExtractionTimeout, match="longer than 0.2 s"), time_budget(0.2):
        while True:
            pass


def test_a_budget_of_zero_means_no_limit():
    with time_budget(0):
        check()


def test_no_budget_is_left_behind_when_the_timer_fires_as_a_block_ends():
    from components.extract.budget import remaining

    stopped = 0
    for n in range(1000):
        try:
            with time_budget(0.0002):
                sum(range((n % 40) * 2000))
        except ExtractionTimeout:
            stopped += 1
        assert remaining() is None, f"a budget outlived its block (round {n})"
    check()  # no stale deadline makes later work fail
    assert stopped > 0


def test_parse_then_finish_in_another_thread_gives_the_same_extraction(blank_extractor):
    import threading

    long_text = (LEAD + "\n") * 700  # over the chunk size: parsed apart, and finished already
    articles = [Article(text=LEAD, published=date(2025, 6, 2)), Article(text=long_text)]
    parsed = list(blank_extractor.parse(articles))
    assert parsed[0][1]._.extraction is None  # the rule stages have not run yet
    finished: list = []
    worker = threading.Thread(target=lambda: finished.extend(blank_extractor.finish(doc) for _, doc in parsed))
    worker.start()
    worker.join(30)
    expected = [blank_extractor.extract(a.text, a.published).to_dict() for a in articles]
    assert [e.to_dict() for e in finished] == expected
