"""A time budget per article: no input may stop a batch.

`time_budget(seconds)` opens the budget of one article's rule stages. Inside it, the rule
stages call `check()` in their loops (once a sentence, once a candidate), which raises
`ExtractionTimeout` when the budget is spent. On the main thread a timer signal enforces the
same limit on code that does not check (a pathological regular expression, a loop someone
forgets to bound); elsewhere (a Streamlit session's thread) the checks alone do.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType

DEFAULT_BUDGET_S = 20.0
BUDGET_ENV = "EXTRACTION_BUDGET_S"  # the default for the app, the commands and the workers


class ExtractionTimeout(Exception):
    """One article's extraction took longer than its budget."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"extraction took longer than {seconds:g} s")


@dataclass(frozen=True)
class _Budget:
    deadline: float
    seconds: float


_CLEANUP_FILES = frozenset({__file__, contextlib.__file__})
_CURRENT: ContextVar[_Budget | None] = ContextVar("extraction_budget", default=None)


def default_budget() -> float:
    """EXTRACTION_BUDGET_S if set to a number of seconds (0: no limit), else 20 s."""
    value = os.environ.get(BUDGET_ENV, "").strip()
    try:
        seconds = float(value) if value else DEFAULT_BUDGET_S
    except ValueError:
        raise ValueError(f"{BUDGET_ENV}={value!r} is not a number of seconds") from None
    if seconds < 0:
        raise ValueError(f"{BUDGET_ENV}={value!r} is negative")
    return seconds


def check() -> None:
    """Raise ExtractionTimeout if the current article's budget is spent; cheap otherwise."""
    budget = _CURRENT.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise ExtractionTimeout(budget.seconds)


def remaining() -> float | None:
    budget = _CURRENT.get()
    return None if budget is None else budget.deadline - time.monotonic()


def _can_use_timer() -> bool:
    return hasattr(signal, "setitimer") and threading.get_ident() == threading.main_thread().ident


@contextmanager
def time_budget(seconds: float | None, report_as: float | None = None) -> Iterator[None]:
    """A budget of `seconds` from now; `None` or 0: no limit. Nested budgets keep the outer one.

    `report_as`: the limit the error names, when `seconds` is what is left of a larger one.
    """
    if not seconds or seconds <= 0 or _CURRENT.get() is not None:
        yield
        return
    limit = report_as or seconds
    budget = _Budget(time.monotonic() + seconds, limit)
    token = _CURRENT.set(budget)
    previous = None
    inside = [True]
    timer = _can_use_timer() and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    if timer:
        def expire(signum: int, frame: FrameType | None) -> None:
            # Not while the budget's own cleanup runs (here or in contextlib): an exception
            # there would skip the reset and leave a spent budget behind for later work.
            if inside[0] and (frame is None or frame.f_code.co_filename not in _CLEANUP_FILES):
                raise ExtractionTimeout(limit)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # Each step in its own finally: the timer may fire during any of them, and the
        # budget must be gone afterwards whatever happens, or every later check() fails.
        inside[0] = False
        try:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            try:
                if timer:
                    signal.signal(signal.SIGALRM, previous)
            finally:
                _CURRENT.reset(token)
