"""An article whose extraction runs past its time budget fails alone, with the reason, in
`extract --jsonl`, in `ingest` and in the worker; the rest of the batch is kept.

The extractor is the real pipeline on a blank spaCy model whose casualty stage is made to
spin on one marked text, the way a rule that never ends would.
"""

from __future__ import annotations

import json

import pytest
import spacy

from components.cli import main as cli_main
from components.extract.budget import check
from components.extract.extractor import Extractor
from components.models import content_hash
from components.services.ingest import ingest_paths
from components.services.worker import Worker
from components.store import Store
from components.store.jobs import JobQueue

BUDGET = 0.3
REASON = "extraction took longer than 0.3 s"
GOOD = "A Russian drone strike on Kharkiv in Ukraine killed four people on Tuesday, the governor said."
SPINS = "A SPINNING report from Odesa in Ukraine said talks with Russia would resume."


@pytest.fixture(scope="module")
def spinning_extractor():
    ex = Extractor(nlp=spacy.blank("en"), budget_s=BUDGET)
    stage = ex.nlp.get_pipe("conflict_casualties")
    real = stage.extractor.extract

    def extract(doc, *args):
        while "SPINNING" in doc.text:
            check()
        return real(doc, *args)

    stage.extractor.extract = extract
    return ex


def test_extract_jsonl_gives_an_error_line_in_its_place(spinning_extractor, tmp_path, monkeypatch, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in [("a", GOOD), ("b", SPINS), ("c", GOOD + " Again.")]),
                     encoding="utf-8")
    monkeypatch.setattr("components.cli.extract.extractor", lambda model, budget=None: spinning_extractor)
    assert cli_main(["extract", "--jsonl", str(batch)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[1] == {"id": "b", "error": f"line 2: {REASON}"}
    assert "error" not in lines[0] and "error" not in lines[2] and lines[2]["places"]


def test_ingest_reports_the_article_as_failed_and_stores_the_rest(spinning_extractor, tmp_path, sqlite_url):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "1-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "2-spins.txt").write_text(SPINS, encoding="utf-8")
    (folder / "3-good.txt").write_text("Ukraine and Russia held talks in Istanbul on Friday, officials said.", encoding="utf-8")
    store = Store(sqlite_url)
    report = ingest_paths([folder], store, spinning_extractor, progress=False)
    assert (report.stored, report.count("failed")) == (2, 1)
    failed = next(o for o in report.outcomes if o.status == "failed")
    assert failed.source.endswith("2-spins.txt") and failed.reason == REASON
    assert f"failed: {failed.source}: {REASON}" in report.summary()
    assert store.has_article(content_hash(GOOD)) and not store.has_article(content_hash(SPINS))


def test_the_worker_fails_that_job_and_goes_on(spinning_extractor, sqlite_url):
    queue = JobQueue(Store(sqlite_url))
    spins = queue.enqueue_text(SPINS, title="Spinning")
    good = queue.enqueue_text(GOOD, title="Strike")
    worker = Worker(Store(sqlite_url), extractor_factory=lambda: spinning_extractor)
    assert worker.drain() == 2
    assert queue.status(spins)["status"] == "failed" and REASON in queue.status(spins)["error"]
    assert queue.status(good)["status"] == "done" and queue.status(good)["result"]["stored"] == 1
