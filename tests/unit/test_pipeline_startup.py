"""After start-up (knowledge from the cache, the loaded objects frozen for the collector),
processes forked from a loaded pipeline extract as it does: spaCy's `n_process` workers and
a worker forked by multiprocessing alike. A blank pipeline: no statistical model needed."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process

import pytest

from components.extract import knowledge as kn
from components.extract.extractor import Extractor
from components.models import Article

TEXTS = [
    "Two soldiers were killed in Kharkiv on Monday, Ukraine's army said.\nTalks in Istanbul were held.",
    "Russian and Ukrainian delegations met in Istanbul on Friday, Turkey's foreign ministry said.",
    "At least 12 people were killed in an air strike on El Fasher, Sudan's health ministry said.",
    "The ceasefire between Israel and Hamas collapsed after three days, officials in Gaza said.",
]


@pytest.fixture(scope="module")
def blank_extractor():
    return Extractor(model="blank")  # through load_pipeline, as the CLI and the worker do


def _dicts(results):
    return [r.to_dict() for _, r in results]


def _no_rebuild(monkeypatch):
    """A process that would build the knowledge again (instead of inheriting it) fails."""

    def forbidden():
        raise AssertionError("the knowledge was built again in a forked process")

    monkeypatch.setattr(kn, "build_knowledge", forbidden)


def test_spacy_worker_processes_extract_like_one_process(blank_extractor, monkeypatch):
    articles = [Article(text=t) for t in TEXTS * 2]
    one = _dicts(blank_extractor.pipe(articles, batch_size=2))
    _no_rebuild(monkeypatch)
    started = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(process):  # type: ignore[no-untyped-def]
        started.append(process)
        return real_start(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    two = _dicts(blank_extractor.pipe(articles, batch_size=2, n_process=2))
    assert len(started) == 2, "spaCy ran its worker processes"
    assert two == one
    assert any(d["actors"] for d in one)


def _extract_in_child(texts: list[str]) -> list[dict]:
    return [_EXTRACTOR.extract(t).to_dict() for t in texts]


_EXTRACTOR: Extractor | None = None


def test_a_forked_worker_extracts_with_the_inherited_pipeline(blank_extractor, monkeypatch):
    global _EXTRACTOR
    _EXTRACTOR = blank_extractor
    here = [blank_extractor.extract(t).to_dict() for t in TEXTS]
    _no_rebuild(monkeypatch)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        there = pool.map(_extract_in_child, [TEXTS[:2], TEXTS[2:]])
    assert there[0] + there[1] == here
