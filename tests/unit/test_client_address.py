"""The client address sign-in limits and the sign-in log use: X-Forwarded-For only behind trusted proxies."""

from __future__ import annotations

import pytest

from components.pages.browser_session import LOCALHOST, SettingError, _cookie_script, address_from, trusted_proxies


@pytest.mark.parametrize(("value", "proxies"), [(None, 0), ("", 0), ("0", 0), ("no", 0), ("1", 1), ("true", 1), (" 2 ", 2)])
def test_trusted_proxies_setting(value, proxies):
    assert trusted_proxies({} if value is None else {"TRUST_FORWARDED_FOR": value}) == proxies


@pytest.mark.parametrize("value", ["maybe", "-1", "11", "1.5"])
def test_a_bad_trusted_proxies_setting_says_why(value):
    with pytest.raises(SettingError, match=f"TRUST_FORWARDED_FOR must be 0, 1 or the number of reverse proxies .*not '{value}'"):
        trusted_proxies({"TRUST_FORWARDED_FOR": value})


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted():
    spoofed = ["6.6.6.6"]  # a client may send any X-Forwarded-For it likes
    assert address_from("192.0.2.1", spoofed, 0) == "192.0.2.1"
    assert address_from(None, spoofed, 0) == LOCALHOST  # a connection from this machine


def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw():
    # nginx appends the address it saw to whatever the client sent: only the last entry is nginx's word.
    assert address_from(None, ["6.6.6.6, 203.0.113.8"], 1) == "203.0.113.8"
    assert address_from(None, ["6.6.6.6", "203.0.113.8"], 1) == "203.0.113.8"  # the header repeated
    assert address_from(None, ["6.6.6.6, 203.0.113.8, 10.0.0.2"], 2) == "203.0.113.8"  # a CDN, then nginx
    assert address_from("10.0.0.9", [], 1) == "10.0.0.9"  # not through the proxy: the connection's own


def test_the_cookie_script_sets_a_strict_cookie_with_no_room_for_markup():
    script = _cookie_script("AbC-123_x", "Wed, 01 Jan 2031 00:00:00 GMT")
    assert '"monitor_session=AbC-123_x; Path=/; Expires=Wed, 01 Jan 2031 00:00:00 GMT; SameSite=Strict"' in script
    assert "'https:' ? '; Secure'" in script
