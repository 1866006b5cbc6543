"""What makes writes safe with several writers and on every database.

- `lock_names`: on PostgreSQL, transaction-scoped advisory locks on the canonical actor
  names and places an article is about to create, taken in sorted order, so two writers
  creating the same actor or place wait for each other instead of one failing on the
  unique key (SQLite writers are serialized by the database lock anyway);
- `transient`: the errors after which a whole article transaction is simply tried again
  (deadlock, serialization failure, SQLite busy);
- `fit_strings`: strings longer than their column are cut to fit before a flush, as
  PostgreSQL enforces VARCHAR lengths that SQLite ignores; `fitter` does the same for the
  values of Core inserts, and gives None the column's default as an ORM flush does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, String, Table, Text, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

RETRIES = 8
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def lock_names(session: Session | Connection, keys: Iterable[str]) -> None:
    """Advisory locks (released at commit or rollback) on `keys`, in one global order."""
    dialect = session.get_bind().dialect if isinstance(session, Session) else session.dialect
    if dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def transient(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _TRANSIENT_SQLSTATES:
        return True
    message = str(orig or exc).lower()
    return "database is locked" in message or "deadlock detected" in message


def backoff(attempt: int) -> None:
    time.sleep(min(1.0, 0.02 * (2 ** attempt)) * (0.5 + random.random()))


def fit_strings(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Cut loaded string values of new and changed rows to their column's length."""
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            column_type = attr.columns[0].type
            length = getattr(column_type, "length", None)
            if not length or not isinstance(column_type, String) or isinstance(column_type, Text):
                continue
            value = state.dict.get(attr.key)
            if isinstance(value, str) and len(value) > length:
                setattr(obj, attr.key, value[:length])


def fitter(table: Table) -> Callable[..., dict[str, Any]]:
    """A function that makes a dict of `table`'s values what an ORM flush would write, in place.

    Strings are cut to their column's length (as `fit_strings`); a missing or None value of a
    column with a default gets the default (the ORM leaves None out of an INSERT), so every
    dict of an executemany has the same keys. With `prefix`, only the cutting, on keys `prefix + column`.
    """
    lengths = [(c.key, c.type.length) for c in table.columns
               if isinstance(c.type, String) and not isinstance(c.type, Text) and c.type.length]
    defaults = [(c.key, c.default) for c in table.columns if c.default is not None and not c.primary_key]

    def fit(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        for key, length in lengths:
            value = values.get(prefix + key)
            if isinstance(value, str) and len(value) > length:
                values[prefix + key] = value[:length]
        if not prefix:
            for key, default in defaults:
                if values.get(key) is None:
                    values[key] = default.arg(None) if default.is_callable else default.arg
        return values

    return fit


# The data version (schema.DataVersionRow): bumped last in a changing transaction, so every
# writer takes the one row's lock in the same order, after its other rows.
DATA_VERSION = text("SELECT version FROM data_version WHERE id = 1")
_BUMP_DATA_VERSION = text("UPDATE data_version SET version = version + 1 WHERE id = 1")


def bump_data_version(conn: Connection) -> None:
    conn.execute(_BUMP_DATA_VERSION)
