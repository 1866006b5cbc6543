"""Any input an analyst has -> a stream of Items, one per article (or per unreadable input).

Files by suffix: text, Markdown, HTML, PDF, DOCX (one article each); CSV/TSV, JSONL, JSON
(one per row, streamed); zip archives of any of these. Folders are walked; `http(s)://`
inputs are fetched as articles. Nothing here raises for bad content: a bad input is an
Item with its reason, and the stream goes on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from .archives import iter_zip
from .items import Item
from .readers import (
    ARCHIVE_SUFFIXES,
    BATCH_SUFFIXES,
    MAX_BYTES,
    IngestError,
    iter_files,
    read_bytes,
    read_path,
)
from .tables import ColumnMap, iter_table
from .web import article_from_url, is_url


def iter_path(path: Path, columns: ColumnMap | None = None) -> Iterator[Item]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise IngestError(name, "no such file")
        if path.is_dir():
            raise IngestError(name, "is a folder")
        if suffix in BATCH_SUFFIXES:
            with path.open("rb") as raw:
                yield from iter_table(raw, name, suffix, columns, path=name)
        elif suffix in ARCHIVE_SUFFIXES:
            yield from iter_zip(name, name, columns=columns)
        else:
            yield Item(name, read_path(path))
    except IngestError as exc:
        yield Item.failed(exc)
    except OSError as exc:
        yield Item(name, error=f"could not read the file ({exc.strerror or exc})")


def iter_bytes(data: bytes, name: str, columns: ColumnMap | None = None) -> Iterator[Item]:
    """Uploads: the same as files, from bytes in memory."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in BATCH_SUFFIXES:
            yield from iter_table(io.BytesIO(data), name, suffix, columns)
        elif suffix in ARCHIVE_SUFFIXES:
            yield from iter_zip(io.BytesIO(data), name, columns=columns)
        else:
            yield Item(name, read_bytes(data, name))
    except IngestError as exc:
        yield Item.failed(exc)


def iter_url(url: str) -> Iterator[Item]:
    try:
        yield Item(url, article_from_url(url))
    except IngestError as exc:
        yield Item.failed(exc)


def iter_inputs(inputs: Iterable[str | Path], columns: ColumnMap | None = None) -> Iterator[Item]:
    """Files, folders and links, in the order given; folders in name order."""
    for value in inputs:
        if isinstance(value, str) and is_url(value):
            yield from iter_url(value)
            continue
        path = Path(value)
        for file in iter_files([path]) if path.is_dir() else [path]:
            yield from iter_path(file, columns)


def estimate_count(inputs: Iterable[str | Path]) -> int:
    """About how many items `iter_inputs` will give, cheaply, for a progress bar's total."""
    total = 0
    for value in inputs:
        if isinstance(value, str) and is_url(value):
            total += 1
            continue
        path = Path(value)
        for file in iter_files([path]) if path.is_dir() else [path]:
            total += _count_file(file)
    return total


def _count_file(path: Path) -> int:
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as f:
                return max(1, sum(1 for line in f if line.strip()))
        if suffix in (".csv", ".tsv"):
            if path.stat().st_size > 50 * MAX_BYTES:  # too big to count first: estimate
                return max(1, path.stat().st_size // 2000)
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
                first = f.readline()
                delimiter = "\t" if suffix == ".tsv" else max(",;\t|", key=first.count)
                return max(1, sum(1 for row in csv.reader(f, delimiter=delimiter) if any(v.strip() for v in row)))
        if suffix in ARCHIVE_SUFFIXES:
            import zipfile

            with zipfile.ZipFile(path) as zf:
                return max(1, sum(1 for i in zf.infolist() if not i.is_dir()))
    except Exception:  # noqa: BLE001 - only an estimate; the real read reports problems
        return 1
    return 1
