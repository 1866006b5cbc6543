"""Running the dashboard's pages under Streamlit's AppTest, as every app test does."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

TIMEOUT = 120  # seconds; AppTest's default (3 s) fails a page that extracts its first articles


def ran(at: AppTest) -> AppTest:
    """Run the app once more; no exception may be shown."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def script_test(script: str, *, params: dict[str, Any] | None = None, state: dict[str, Any] | None = None,
                timeout: float = TIMEOUT) -> AppTest:
    """`script` run once, with the address's parameters and the session state given."""
    at = AppTest.from_string(script, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return ran(at)


def page_test(name: str, **options: Any) -> AppTest:
    """The page module `components.pages.<name>` rendered once (options as `script_test`'s)."""
    return script_test(f"from components.pages import {name}\n{name}.render()", **options)


def click_script(imports: str, setup: str, handler: str, key: str, value: dict) -> str:
    """A page's click handler given a chart's or a table's selection (`value` under the widget
    `key`), then the evidence panel it asked for, if any; the request is written out as its repr."""
    return (
        "import streamlit as st\n"
        f"{imports}\n"
        "from components.pages.evidence import PENDING, on_pick, on_row, panel\n"
        "from components.store import Filters\n"
        f"{setup}\n"
        f"st.session_state[{key!r}] = {value!r}\n"
        f"{handler}()\n"
        "asked = st.session_state.pop(PENDING, None)\n"
        "st.write(repr(asked))\n"
        "if asked is not None:\n"
        "    panel(asked, Filters())\n"
    )
