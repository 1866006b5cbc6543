"""What the command groups share: argument types, the --database option, the extractor."""

from __future__ import annotations

import argparse
from typing import Any

DATABASE_HELP = "SQLAlchemy URL (default: DATABASE_URL or data/conflict.db)"


def extractor(model: str | None, budget: float | None = None):  # type: ignore[no-untyped-def]
    # Imported here: spaCy takes seconds to import, and `--help` or `users list` need none of it.
    from ..extract import Extractor
    from ..extract.budget import default_budget

    return Extractor(model=model, budget_s=default_budget() if budget is None else budget)


def budget_arg(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds (0 for no limit)")
    return number


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
