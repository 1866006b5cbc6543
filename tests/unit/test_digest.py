"""The `digest` command: printed, and e-mailed through a real SMTP server the test starts on 127.0.0.1."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import Message

import pytest

from components.cli import main
from components.roles import Principal
from components.services import mail
from components.services import watches as service
from components.store import Filters, Store
from tests.unit.test_watches import store_report

aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="the digest e-mail test needs aiosmtpd (requirements-dev.txt)")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

SMTP_VARIABLES = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_STARTTLS", "SMTP_TO")


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.original_content)))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp_server():
    """A local SMTP server (no TLS) that accepts the login digest / right-password only."""
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"digest", b"right-password")
        return AuthResult(success=ok, handled=False)  # a refusal is answered with 535

    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticate,
                                     auth_require_tls=False, auth_required=False)
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@pytest.fixture()
def team(sqlite_url, monkeypatch):
    """A database with one report, a watch each for alice and for the local user, then a new incident in both."""
    for name in SMTP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    store = Store(sqlite_url)
    store_report(store, "Shelling in Lysychansk", "2025-03-03", killed=3)
    service.create_watch(store.for_principal(Principal("alice", "viewer")), "Luhansk", Filters(countries=("Moldova",)))
    service.create_watch(store, "Everything", Filters())
    store_report(store, "Strike on Sievierodonetsk", "2025-03-05", place="Sievierodonetsk", killed=2, wounded=6)
    return sqlite_url


def _settings(monkeypatch, port: int, tmp_path, **extra: str):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_FROM", "monitor@example.org")
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp.recipients]\nalice = "alice@example.org"\n', encoding="utf-8")
    return secrets


def test_digest_prints_every_users_news_and_marks_them_seen(team, capsys):
    assert main(["digest", "--database", team, "--mark-seen"]) == 0
    out = capsys.readouterr().out
    assert "Watches of alice" in out and "Watches of the local user" in out
    assert out.count("Sievierodonetsk, Ukraine: killed 2, wounded 6 (“Strike on Sievierodonetsk”, Test Desk)") == 2
    assert main(["digest", "--database", team, "--user", "alice"]) == 0
    out = capsys.readouterr().out
    assert "Watch “Luhansk”" in out and ": nothing new" in out and "local user" not in out


def test_digest_of_an_unknown_watch_says_so(team, capsys):
    assert main(["digest", "--database", team, "--user", "alice", "--watch", "Nowhere"]) == 1
    assert "there is no watch named 'Nowhere' for alice" in capsys.readouterr().err


def test_digest_emails_each_owner_through_smtp(team, smtp_server, monkeypatch, tmp_path, capsys):
    port, inbox = smtp_server
    secrets = _settings(monkeypatch, port, tmp_path, SMTP_TO="desk@example.org")
    assert main(["digest", "--database", team, "--email", "--mark-seen", "--secrets", str(secrets)]) == 0
    assert sorted(to for _, tos, _ in inbox.received for to in tos) == ["alice@example.org", "desk@example.org"]
    sender, _, message = next(r for r in inbox.received if r[1] == ["alice@example.org"])
    assert sender == "monitor@example.org" and message["To"] == "alice@example.org"
    assert message["Subject"] == "Conflict & Diplomacy Monitor: 1 new in your watches"
    body = message.get_payload(decode=True).decode("utf-8")
    assert "Watch “Luhansk”" in body and "Sievierodonetsk, Ukraine: killed 2, wounded 6" in body and "Everything" not in body
    # Marked seen: the next run has nothing to send.
    inbox.received.clear()
    assert main(["digest", "--database", team, "--email", "--secrets", str(secrets)]) == 0
    assert inbox.received == [] and "nothing new, no e-mail sent" in capsys.readouterr().out


def test_digest_logs_in_and_a_refused_login_marks_nothing_seen(team, smtp_server, monkeypatch, tmp_path, capsys):
    port, inbox = smtp_server
    secrets = _settings(monkeypatch, port, tmp_path, SMTP_USER="digest", SMTP_PASSWORD="wrong-password")
    args = ["digest", "--database", team, "--user", "alice", "--email", "--mark-seen", "--secrets", str(secrets)]
    assert main(args) == 1
    assert "failed" in capsys.readouterr().err and inbox.received == []
    monkeypatch.setenv("SMTP_PASSWORD", "right-password")
    assert main(args) == 0  # still new: the failed run marked nothing seen
    assert [tos for _, tos, _ in inbox.received] == [["alice@example.org"]]


def test_digest_to_one_address_and_an_owner_without_one(team, smtp_server, monkeypatch, tmp_path, capsys):
    port, inbox = smtp_server
    secrets = _settings(monkeypatch, port, tmp_path)  # no default address: the local user has none
    assert main(["digest", "--database", team, "--email", "--secrets", str(secrets)]) == 1
    assert "no e-mail address for the local user" in capsys.readouterr().err
    assert [tos for _, tos, _ in inbox.received] == [["alice@example.org"]]
    inbox.received.clear()
    assert main(["digest", "--database", team, "--user", "", "--email", "--to", "me@example.org", "--secrets", str(secrets)]) == 0
    assert [tos for _, tos, _ in inbox.received] == [["me@example.org"]]


def test_email_without_smtp_settings_is_a_clear_error(team, tmp_path, capsys):
    assert main(["digest", "--database", team, "--email", "--secrets", str(tmp_path / "none.toml")]) == 1
    err = capsys.readouterr().err
    assert "e-mail is not configured: set host (SMTP_HOST) and from (SMTP_FROM)" in err


@pytest.mark.parametrize(("environ", "why"), [
    ({"SMTP_HOST": "mail.example.org", "SMTP_FROM": "not an address"}, "SMTP from 'not an address' is not an e-mail address"),
    ({"SMTP_HOST": "mail.example.org", "SMTP_FROM": "a@example.org", "SMTP_PORT": "99999"}, "port '99999' is not a port number"),
    ({"SMTP_HOST": "mail.example.org", "SMTP_FROM": "a@example.org", "SMTP_STARTTLS": "maybe"}, "starttls 'maybe' is not true or false"),
])
def test_bad_smtp_settings_are_named(environ, why, tmp_path):
    with pytest.raises(mail.MailError, match=why):
        mail.smtp_settings(environ, tmp_path / "none.toml")


def test_settings_from_the_secrets_file_and_the_environment_over_it(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "mail.example.org"\nfrom = "monitor@example.org"\nuser = "m"\npassword = "p"\n'
                       '[smtp.recipients]\nbob = "bob@example.org"\n', encoding="utf-8")
    settings = mail.smtp_settings({}, secrets)
    assert (settings.host, settings.port, settings.starttls, settings.user) == ("mail.example.org", 587, True, "m")
    assert settings.address_of("bob") == "bob@example.org" and settings.address_of("carol@example.org") == "carol@example.org"
    assert settings.address_of("carol") is None
    assert mail.smtp_settings({"SMTP_HOST": "relay.example.org"}, secrets).host == "relay.example.org"
    assert "password" not in repr(settings)  # never printed in a traceback or a log


def test_no_password_in_the_clear_to_another_machine():
    settings = mail.SmtpSettings(host="mail.example.org", port=25, sender="a@example.org", user="u", password="p", starttls=False)
    with pytest.raises(mail.MailError, match="without STARTTLS"):
        mail.send(settings, mail.message(settings, "b@example.org", "s", "body"))


@pytest.mark.parametrize("address", ["desk\x00@example.org", "desk@example.org\x01", "desk@exam\x7fple.org", "desk@example.org\r\nBcc: x@y.org"])
def test_an_address_with_control_characters_is_refused(address):
    assert not mail.is_address(address)
    settings = mail.SmtpSettings(host="127.0.0.1", port=25, sender="monitor@example.org", starttls=False)
    with pytest.raises(mail.MailError, match="is not an e-mail address"):
        mail.message(settings, address, "s", "body")


def test_an_address_beyond_ascii_on_a_server_without_smtputf8_says_so():
    inbox = Inbox()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=_free_port(), enable_SMTPUTF8=False)
    controller.start()
    try:
        settings = mail.SmtpSettings(host="127.0.0.1", port=controller.port, sender="monitor@example.org", starttls=False)
        with pytest.raises(mail.MailError, match="SMTPUTF8") as refused:
            mail.send(settings, mail.message(settings, "zoë@example.org", "s", "body"))
        assert "STARTTLS" not in str(refused.value)  # the server's TLS is not what is wrong
        mail.send(settings, mail.message(settings, "zoe@example.org", "s", "body"))
        assert [tos for _, tos, _ in inbox.received] == [["zoe@example.org"]]
    finally:
        controller.stop()
