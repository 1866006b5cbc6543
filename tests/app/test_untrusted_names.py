"""A user's name is shown as typed wherever a page says who is signed in: account names are
chosen by people, and single sign-on names come from outside."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.pages.auth_ui import SESSION_KEY
from components.roles import Principal

LOUD = "**Loud** [sign in again](https://example.org/phish) <b>x</b>"


def test_the_role_notice_shows_the_name_as_plain_text():
    at = AppTest.from_string("from components.pages.auth_ui import allowed\nallowed('correct', 'correcting items')")
    at.session_state[SESSION_KEY] = Principal(LOUD, "viewer")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (notice,) = at.info
    assert "needs the analyst role" in notice.value
    assert "[sign in again](" not in notice.value and "**Loud**" not in notice.value and "<b>" not in notice.value
    assert "https://" not in notice.value  # not even a bare address Streamlit would turn into a link
