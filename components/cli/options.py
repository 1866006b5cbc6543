"""What the command groups share: argument types, the --database option, the extractor."""

from __future__ import annotations

import argparse
from typing import Any

DATABASE_HELP = "SQLAlchemy URL (default: DATABASE_URL or data/conflict.db)"


def extractor(model: str | None):  # type: ignore[no-untyped-def]
    # Imported here: spaCy takes seconds to import, and `--help` or `users list` need none of it.
    from ..extract import Extractor

    return Extractor(model=model)


def date_arg(value: str) -> Any:
    from ..extract.dates import parse_iso

    try:
        return parse_iso(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of seconds")
    return number
