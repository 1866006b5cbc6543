"""The knowledge is built once and cached on disk: used when fresh, rebuilt when a data file
changes, ignored when damaged, and never a reason to fail (a folder that cannot be written).

The data files are a temp copy; the gazetteer is left out (a real build then takes a blink).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from components.extract import cache
from components.extract import knowledge as kn

load = kn.load_knowledge.__wrapped__  # the loader without the per-process memo


@pytest.fixture()
def env(tmp_path, monkeypatch):
    """A temp copy of the data files, an empty cache folder, a private temp folder; counts builds."""
    data = tmp_path / "data"
    shutil.copytree(kn.DATA_DIR, data)
    monkeypatch.setattr(kn, "DATA_DIR", data)
    monkeypatch.setattr(kn, "_geonames_dir", lambda: None)
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    builds: list[kn.Knowledge] = []
    real_build = kn.build_knowledge

    def counting_build() -> kn.Knowledge:
        builds.append(real_build())
        return builds[-1]

    monkeypatch.setattr(kn, "build_knowledge", counting_build)

    class Env:
        root = tmp_path
        cache_dir = tmp_path / "cache"
        data_dir = data

        @staticmethod
        def files() -> list[Path]:
            return sorted(Env.cache_dir.glob("knowledge-*.pickle")) if Env.cache_dir.is_dir() else []

    Env.builds = builds  # type: ignore[attr-defined]
    return Env


def _add_person(data_dir: Path, name: str) -> None:
    with open(data_dir / "people.jsonl", "a", encoding="utf-8") as f:
        f.write(f'{{"name": "{name}", "kind": "person", "country": "Ukraine", "role": "test"}}\n')


def test_built_once_then_read_from_the_cache(env):
    first = load()
    assert len(env.builds) == 1 and len(env.files()) == 1
    second = load()
    assert len(env.builds) == 1, "a fresh cache is read, not rebuilt"
    assert second == first
    assert second is not first
    # Shared entries stay shared: a country's name and its entry are one object, as when built.
    assert second.countries["Ukraine"] is second.names["ukraine"]


def test_rebuilt_when_a_data_file_changes(env):
    load()
    _add_person(env.data_dir, "Testa Cachevich")
    k = load()
    assert len(env.builds) == 2
    assert k.lookup("Testa Cachevich") is not None
    assert len(env.files()) == 2, "one file per fingerprint"
    load()
    assert len(env.builds) == 2


def test_rebuilt_when_the_version_changes(env):
    load()
    (env.data_dir / "VERSION").write_text("999\n")
    assert load().version == "999"
    assert len(env.builds) == 2


def test_rebuilt_when_the_gazetteer_changes(env, monkeypatch):
    geonames = env.root / "geonames"
    geonames.mkdir()
    (geonames / "cities15000.json").write_text("[]")
    monkeypatch.setattr(kn, "_geonames_dir", lambda: geonames)
    before = kn.knowledge_fingerprint()
    (geonames / "cities15000.json").write_text("[ ]")
    assert kn.knowledge_fingerprint() != before


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "wrong type"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(env, damage, caplog):
    good = load()
    (path,) = env.files()
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        path.write_bytes(data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:])
    elif damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a sound file holding something else than Knowledge
        cache.write(path, kn.knowledge_fingerprint(), {"not": "knowledge"})
    with caplog.at_level(logging.WARNING, logger=cache.__name__):
        again = load()
    assert again == good
    assert len(env.builds) == 2
    assert any("ignoring the cache file" in r.getMessage() for r in caplog.records)
    load()
    assert len(env.builds) == 2, "the rebuilt file replaced the damaged one"


def test_no_cache_folder_can_be_written(env, monkeypatch):
    blocker = env.root / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))  # under a file: mkdir fails, even for root
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))
    first = load()
    second = load()
    assert first == second
    assert len(env.builds) == 2, "without a cache every start builds"


def test_a_folder_that_refuses_the_file_falls_back_to_a_private_temp_folder(env, monkeypatch):
    real_replace = os.replace

    def refuse(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst).parent == env.cache_dir:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(cache.os, "replace", refuse)
    load()
    assert not list(env.cache_dir.glob("*")), "no file and no temp file left in the refusing folder"
    (private,) = (env.root / "tmp").glob("conflict-monitor-*")
    assert len(list(private.glob("knowledge-*.pickle"))) == 1
    assert oct(private.stat().st_mode & 0o777) == oct(0o700)
    load()
    assert len(env.builds) == 1, "read back from the temp folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder(env, monkeypatch):
    env.cache_dir.mkdir()
    env.cache_dir.chmod(0o555)
    monkeypatch.setattr(tempfile, "tempdir", str(env.root / "a-file-not-dir" / "x"))
    try:
        assert load() == load()
    finally:
        env.cache_dir.chmod(0o755)


def test_a_temp_folder_others_can_write_is_not_used(env, monkeypatch):
    shared = env.root / "tmp" / f"conflict-monitor-{cache._uid()}"
    shared.mkdir()
    shared.chmod(0o777)
    assert cache._private_temp_dir() is None


def test_cache_off(env, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    load()
    load()
    assert len(env.builds) == 2
    assert not env.files() and not list((env.root / "tmp").iterdir())


def test_old_files_are_pruned(env):
    env.cache_dir.mkdir()
    for n in range(cache.KEEP + 3):
        old = env.cache_dir / f"knowledge-{n:016x}.pickle"
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    stale_tmp = env.cache_dir / ".knowledge-crashed.tmp"
    stale_tmp.write_bytes(b"")
    os.utime(stale_tmp, (1_000_000, 1_000_000))
    load()
    files = env.files()
    assert len(files) == cache.KEEP
    assert env.cache_dir / f"knowledge-{kn.knowledge_fingerprint()[:16]}.pickle" in files
    assert not stale_tmp.exists()


def test_the_real_knowledge_round_trips(tmp_path):
    """The shipped knowledge (gazetteer included, as loaded by this process) pickles to an equal copy."""
    k = kn.load_knowledge()
    path = tmp_path / "k.pickle"
    assert cache.write(path, "fp", k)
    assert cache.read(path, "fp", kn.Knowledge) == k
    assert cache.read(path, "other", kn.Knowledge) is None
