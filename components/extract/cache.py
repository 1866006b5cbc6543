"""A cache on disk for what is slow to build at start-up and depends only on files.

The knowledge (the cities gazetteer above all) takes seconds to build from its files and
is the same every time until one of them changes. It is built once, pickled into the cache
folder under a name carrying a fingerprint of everything it was built from, and read back
by the next process whose fingerprint matches.

Where: `$CONFLICT_MONITOR_CACHE` if set (`off` for no cache), else
`$XDG_CACHE_HOME/conflict-monitor` (`~/.cache/conflict-monitor`); where that cannot be
written, a private folder in the temp directory. A cache is only ever a shortcut: a file
that is missing, stale, truncated or corrupt is ignored and the object rebuilt, and a
folder that cannot be written only means the next start builds again.

A file is: a magic line, the fingerprint, the SHA-256 of the pickle, then the pickle. The
digest is checked before unpickling, so a damaged file is never unpickled.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

CACHE_ENV = "CONFLICT_MONITOR_CACHE"
_MAGIC = b"conflict-monitor cache 1\n"
# Files kept per name: one per fingerprint, so checkouts with other data (another branch)
# do not keep overwriting each other's; the oldest go.
KEEP = 8
_STALE_TEMP_S = 3600


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "conflict-monitor"


def _private_temp_dir() -> Path | None:
    """`<tmp>/conflict-monitor-<uid>`, ours and writable by us alone, or None."""
    path = Path(tempfile.gettempdir()) / f"conflict-monitor-{_uid()}"
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        st = path.lstat()
    except OSError:
        return None
    # Someone else's folder, or one others may write into, could hand us their pickle.
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != _uid() or st.st_mode & 0o022:
        return None
    return path


def cache_dirs() -> list[Path]:
    """The folders to read a cache from and write it to, in order (none: no cache)."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == "off":
        return []
    dirs = [Path(configured).expanduser() if configured else default_dir()]
    fallback = _private_temp_dir()
    if fallback is not None and fallback not in dirs:
        dirs.append(fallback)
    return dirs


def _file(directory: Path, name: str, fingerprint: str) -> Path:
    return directory / f"{name}-{fingerprint[:16]}.pickle"


def read(path: Path, fingerprint: str, expect: type[T]) -> T | None:
    """The object cached in `path` if it was built for `fingerprint`, else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(_MAGIC):
            raise ValueError("not a cache file")
        head, digest, payload = data[len(_MAGIC) :].split(b"\n", 2)
        if head.decode("ascii") != fingerprint:
            return None  # built from other files: stale, not corrupt
        if hashlib.sha256(payload).hexdigest() != digest.decode("ascii"):
            raise ValueError("checksum mismatch")
        # Unpickling makes some 100,000 objects; the collector would walk them over and over.
        enabled = gc.isenabled()
        gc.disable()
        try:
            obj = pickle.loads(payload)
        finally:
            if enabled:
                gc.enable()
        if not isinstance(obj, expect):
            raise ValueError(f"holds a {type(obj).__name__}, not a {expect.__name__}")
        return obj
    except Exception as exc:  # whatever is wrong with the file, building again fixes it
        log.warning("ignoring the cache file %s (%s); building it again", path, exc)
        return None


def write(path: Path, fingerprint: str, obj: object) -> bool:
    """Save `obj` to `path` atomically (a reader sees the old file or the whole new one)."""
    try:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an object that cannot be pickled is simply not cached
        log.warning("cannot cache %s (%s)", path.name, exc)
        return False
    digest = hashlib.sha256(payload).hexdigest()
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + fingerprint.encode("ascii") + b"\n" + digest.encode("ascii") + b"\n")
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError as exc:
        log.info("cannot write the cache file %s (%s)", path, exc)
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path, name: str, keep: Path) -> None:
    """Drop all but the newest KEEP files of `name`, and temp files a crash left behind."""
    try:
        files = sorted(directory.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        old = [p for p in files[KEEP:] if p != keep]
        now = time.time()
        old += [p for p in directory.glob(f".{name}-*.tmp") if now - p.stat().st_mtime > _STALE_TEMP_S]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass


def cached(name: str, fingerprint: str, build: Callable[[], T], expect: type[T]) -> T:
    """`build()`, or the copy of its result cached for `fingerprint`."""
    dirs = cache_dirs()
    for directory in dirs:
        obj = read(_file(directory, name, fingerprint), fingerprint, expect)
        if obj is not None:
            return obj
    obj = build()
    for directory in dirs:
        path = _file(directory, name, fingerprint)
        if write(path, fingerprint, obj):
            _prune(directory, name, path)
            break
    return obj


def digest_files(paths: list[Path]) -> str:
    """SHA-256 over the names and contents of small files (a missing one counts as such)."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\0<missing>")
        h.update(b"\0")
    return h.hexdigest()
