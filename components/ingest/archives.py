"""Zip archives of any supported file, read entry by entry, defensively.

Refused: entries with an absolute path or a `..` segment (they are reported, never
written anywhere: nothing is extracted to disk), archives that would unpack to more than
MAX_UNPACKED_BYTES or hold more than MAX_ENTRIES entries, entries whose compression ratio
gives them away as a zip bomb, and archives nested more than MAX_DEPTH levels deep.
Entries of other types are passed over, as in a folder.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from .items import Item
from .readers import ARCHIVE_SUFFIXES, ARTICLE_SUFFIXES, BATCH_SUFFIXES, MAX_BYTES, SUPPORTED_SUFFIXES, IngestError, read_bytes
from .tables import ColumnMap, iter_table

MAX_UNPACKED_BYTES = 2 * 2**30
MAX_ENTRIES = 100_000
MAX_RATIO = 100  # deflate gets text to 3-10x; 100x and more is padding made to explode
RATIO_CHECK_ABOVE = 2**20  # small entries may compress well without harm
MAX_DEPTH = 1  # a zip inside a zip is read; one more level is refused


def unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and `..` segments: names meant to escape a folder."""
    normalised = name.replace("\\", "/")
    parts = normalised.split("/")
    return normalised.startswith("/") or (len(parts[0]) >= 2 and parts[0][1] == ":") or ".." in parts


def iter_zip(file: str | IO[bytes], name: str, *, columns: ColumnMap | None = None, depth: int = 0) -> Iterator[Item]:
    """Items from every supported entry; a bad entry fails alone, a bad archive fails whole."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        yield Item(name, error=f"not a readable zip archive ({exc})")
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            yield Item(name, error=f"the archive holds {len(infos)} entries, more than the {MAX_ENTRIES} limit")
            return
        unpacked = sum(i.file_size for i in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            yield Item(name, error=f"the archive would unpack to {unpacked / 1e6:,.0f} MB, more than the "
                                   f"{MAX_UNPACKED_BYTES // 2**20:,} MB limit (a zip bomb?); nothing was read")
            return
        for info in infos:
            entry = f"{name}!{info.filename}"
            if unsafe_name(info.filename):
                yield Item(entry, error="unsafe path in the archive (absolute or with '..'); the entry was not read")
                continue
            path = PurePosixPath(info.filename.replace("\\", "/"))
            if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
                continue
            suffix = path.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                continue
            if info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                yield Item(entry, error=f"compressed {ratio:,.0f} to 1 ({info.file_size / 1e6:,.0f} MB unpacked): a zip bomb? "
                                        "The entry was not read")
                continue
            yield from _iter_entry(archive, info, entry, suffix, columns, depth)


def _iter_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: str, suffix: str,
                columns: ColumnMap | None, depth: int) -> Iterator[Item]:
    try:
        if suffix in ARTICLE_SUFFIXES:
            if info.file_size > MAX_BYTES:
                raise IngestError(entry, f"the file is {info.file_size / 1e6:.0f} MB, larger than the {MAX_BYTES // 2**20} MB limit")
            yield Item(entry, read_bytes(archive.read(info), entry))
        elif suffix in BATCH_SUFFIXES:
            with archive.open(info) as member:
                yield from iter_table(member, entry, suffix, columns)
        elif suffix in ARCHIVE_SUFFIXES:
            if depth >= MAX_DEPTH:
                raise IngestError(entry, f"an archive nested more than {MAX_DEPTH} level deep; unpack it first")
            yield from iter_zip(io.BytesIO(archive.read(info)), entry, columns=columns, depth=depth + 1)
    except IngestError as exc:
        yield Item.failed(exc)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        # damaged data (bad CRC), encrypted entries, unsupported compression methods
        yield Item(entry, error=f"could not unpack the entry ({exc})")
