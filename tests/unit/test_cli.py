"""The CLI contract: extract FILE, extract --jsonl, ingest (idempotent, with a summary)."""

import json
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, PROJECT_ROOT


def run(*args: str, stdin: str | None = None, env_db: str | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if env_db:
        env["DATABASE_URL"] = env_db
    return subprocess.run([sys.executable, "-m", "components", *args], cwd=PROJECT_ROOT, input=stdin, capture_output=True, text=True, env=env, timeout=300)


def test_bad_published_date_is_refused():
    result = run("extract", str(FIXTURES / "swap_and_strike.txt"), "--published", "2025-02-30")
    assert result.returncode == 2
    assert "2025-02-30" in result.stderr and "date" in result.stderr


@pytest.mark.model  # the command loads the model before it looks for the file
def test_missing_file_is_named(tmp_path):
    result = run("extract", str(tmp_path / "none.txt"))
    assert result.returncode == 1
    assert "none.txt: no such file" in result.stderr


@pytest.mark.model
def test_extract_prints_the_extraction_json(extractor):
    result = run("extract", str(FIXTURES / "swap_and_strike.txt"), "--published", "2025-08-08", "--title", "Given title")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ["id", "title", "published", "dateline", "actors", "places", "casualties", "totals", "figures", "milestones", "quotes"]:
        assert key in data
    assert data["title"] == "Given title" and data["published"] == "2025-08-08"
    assert data["totals"] == {"killed": 6, "wounded": 14}
    c = data["casualties"][0]
    for key in ["kind", "count", "low", "high", "qualifier", "victims", "perpetrator", "location", "date", "incident", "sentence", "start", "end"]:
        assert key in c


@pytest.mark.model
def test_jsonl_batch_keeps_order_and_ids_and_survives_bad_lines(extractor):
    lines = [
        json.dumps({"id": "a", "text": "Shelling killed three civilians in Kherson on Monday.", "published": "2025-06-03"}),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": "Talks were held in Doha.", "published": "not-a-date"}),
        json.dumps({"id": 5, "text": "Russia and Ukraine held talks in Istanbul on Friday.", "published": "2025-05-17"}),
    ]
    result = run("extract", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c", "d", 5]
    assert out[0]["totals"] == {"killed": 3}
    assert "error" in out[1] and "line 2" in out[1]["error"]
    assert "text" in out[2]["error"]
    assert "not-a-date" in out[3]["error"]
    assert out[4]["milestones"][0]["kind"] == "talks"


@pytest.mark.model
def test_ingest_is_idempotent_and_reports_bad_files(tmp_path, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text((FIXTURES / "swap_and_strike.txt").read_text())
    (folder / "empty.txt").write_text("")
    (folder / "latin1.txt").write_bytes("Caf\u00e9 bombed".encode("latin-1"))
    (folder / "nothing.txt").write_text("The weather was mild and the market was busy.")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    first = run("ingest", str(folder), "--no-progress", env_db=db)
    assert "1 stored, 0 duplicate, 1 skipped, 2 failed" in first.stdout
    assert "empty.txt: the file is empty" in first.stdout
    assert "latin1.txt: the file is not UTF-8" in first.stdout
    assert "nothing.txt: no actors" in first.stdout
    second = run("ingest", str(folder / "good.txt"), "--no-progress", env_db=db)
    assert second.returncode == 0
    assert "0 stored, 1 duplicate" in second.stdout
