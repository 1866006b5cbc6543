"""The command line: ingest of formats, links and feeds, refresh, feeds, bench."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT
from tests.fixtures.ingest.builders import FRENCH, STRIKE, docx_bytes, zip_bytes
from tests.fixtures.ingest.server import local_server


def run(*args: str, db: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if db:
        env["DATABASE_URL"] = db
    return subprocess.run([sys.executable, "-m", "components", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, timeout=timeout)


def test_usage_errors_need_no_model(tmp_path):
    result = run("ingest", db=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2 and "--feed URL" in result.stderr
    result = run("ingest", "a.csv", "--columns", "body", db=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2 and "FIELD=COLUMN" in result.stderr
    result = run("ingest", "a.txt", "--processes", "0")
    assert result.returncode == 2 and "positive" in result.stderr


@pytest.mark.model
def test_ingest_a_folder_of_formats_with_two_processes(tmp_path, extractor, database_url):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STRIKE)
    (folder / "b.docx").write_bytes(docx_bytes(["KYIV, Ukraine - Ukraine and Russia held talks in Istanbul on Friday, mediated by Turkey."]))
    (folder / "c.csv").write_text("story,outlet\n" + '"ODESA, Ukraine - A drone strike on Odesa killed two people on Thursday, officials said.",Desk\n' + ",Desk\n")
    (folder / "d.jsonl").write_text(json.dumps({"story": FRENCH}) + "\n")
    (folder / "e.zip").write_bytes(zip_bytes({"../evil.txt": b"x", "f.txt": b"SUMY, Ukraine - Shelling of Sumy wounded five people on Monday, the governor said."}))
    db = database_url
    result = run("ingest", str(folder), "--processes", "2", "--batch-size", "2", "--columns", "text=story", "--no-progress", db=db)
    assert result.returncode == 1, result.stderr  # some inputs failed
    first = result.stdout.splitlines()[0]
    assert first.startswith("4 stored, 0 duplicate, 1 skipped, 2 failed"), result.stdout
    assert "c.csv row 3: the text is empty" in result.stdout
    assert "e.zip!../evil.txt: unsafe path" in result.stdout
    assert "d.jsonl line 1: language is French (fr)" in result.stdout
    again = run("ingest", str(folder), "--processes", "2", "--columns", "text=story", "--no-progress", db=db)
    assert again.stdout.startswith("0 stored, 5 duplicate, 0 skipped, 2 failed"), again.stdout


@pytest.mark.model
def test_links_feeds_and_refresh(database_url, extractor):
    db = database_url
    with local_server() as base:
        result = run("ingest", f"{base}/news/port-strike.html", f"{base}/missing", "--no-progress", db=db)
        assert result.returncode == 1
        assert result.stdout.startswith("1 stored, 0 duplicate, 0 skipped, 1 failed"), result.stdout
        assert f"failed: {base}/missing: the server answered 404 Not Found" in result.stdout
        result = run("ingest", "--feed", f"{base}/feed.xml", "--no-progress", db=db)
        assert result.stdout.startswith("1 stored, 1 duplicate, 0 skipped, 1 failed"), result.stdout
        assert f"{base}/also-gone.html: the server answered 404 Not Found, and the feed gives no text for it" in result.stdout
        result = run("ingest", "--feed", f"{base}/not-a-feed", "--no-progress", db=db)
        assert result.returncode == 1 and "not an RSS or Atom feed (it is an HTML page)" in result.stdout
        listing = run("feeds", db=db)
        assert f"{base}/feed.xml  Harbour Desk  (2 entries taken" in listing.stdout and "not-a-feed" not in listing.stdout
        refreshed = run("refresh", "--no-progress", db=db)
        assert refreshed.stdout.startswith("0 stored, 0 duplicate, 0 skipped, 1 failed"), refreshed.stdout
        assert run("feeds", "--remove", f"{base}/feed.xml", db=db).returncode == 0
        assert "no saved feeds" in run("refresh", db=db).stdout


@pytest.mark.model
def test_bench_reports_the_figures_and_leaves_the_database_alone(tmp_path, extractor):
    user_db = tmp_path / "user.db"
    result = run("bench", "ingest", "--n", "12", "--batch-size", "4", db=f"sqlite:///{user_db}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for needle in ["12 synthetic articles", "(a) bare spaCy nlp.pipe", "(b) full ingest, 1 process", "(c) full ingest, 2 processes", "(a') bare spaCy, 2 forked processes", "(the ceiling of the line above)",
                   "articles/s", "words/s", "full ingest / bare spaCy, 1 process", "speed-up of full ingest with 2 processes", "peak memory"]:
        assert needle in out, out
    assert "[12 stored, 0 duplicate, 0 skipped, 0 failed]" in out
    assert not user_db.exists()
