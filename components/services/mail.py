"""Sending the digest by e-mail: SMTP settings from the secrets or the environment, and plain-text mail.

Settings come from the `[smtp]` table of `.streamlit/secrets.toml` (the file single sign-on
reads; never committed), each overridden by an environment variable:

    [smtp]                      # environment
    host = "smtp.example.org"   # SMTP_HOST (required)
    port = 587                  # SMTP_PORT (default 587 with STARTTLS, else 25)
    user = "monitor"            # SMTP_USER (optional: no login without it)
    password = "..."            # SMTP_PASSWORD
    from = "monitor@example.org"  # SMTP_FROM (required)
    starttls = true             # SMTP_STARTTLS (default true)
    to = "desk@example.org"     # SMTP_TO: where a digest goes when its owner has no address

    [smtp.recipients]           # an account's address; a single sign-on name is an address already
    alice = "alice@example.org"

A password is never sent over a connection without STARTTLS, except to this machine.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

SECRETS = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml"
ENV = {"host": "SMTP_HOST", "port": "SMTP_PORT", "user": "SMTP_USER", "password": "SMTP_PASSWORD",
       "from": "SMTP_FROM", "starttls": "SMTP_STARTTLS", "to": "SMTP_TO"}
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
TIMEOUT = 30  # seconds for the SMTP server to answer
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:\x00-\x1f\x7f]+@[^@\s<>\"(),;:\x00-\x1f\x7f]+\.[^@\s<>\"(),;:\x00-\x1f\x7f]+$")


class MailError(RuntimeError):
    """Mail cannot be sent: not configured, a bad setting or address, or the server refused."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    default_to: str | None = None
    recipients: Mapping[str, str] = field(default_factory=dict)

    def address_of(self, owner: str) -> str | None:
        """Where `owner`'s digest goes: their own address, else the default `to`."""
        if owner in self.recipients:
            return self.recipients[owner]
        if is_address(owner):
            return owner
        return self.default_to


def is_address(value: str) -> bool:
    return bool(_ADDRESS.match(value or ""))


def _address(setting: str, value: Any) -> str:
    text = str(value).strip()
    if not is_address(text):
        raise MailError(f"{setting} {text!r} is not an e-mail address")
    return text


def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("smtp", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MailError(f"cannot read the SMTP settings in {path}: {exc}") from None
    if not isinstance(section, dict):
        raise MailError(f"[smtp] in {path} must be a table")
    return section


def _flag(setting: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE | FALSE:
        return text in TRUE
    raise MailError(f"{setting} {value!r} is not true or false")


def _port(value: Any, starttls: bool) -> int:
    if value in (None, ""):
        return 587 if starttls else 25
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise MailError(f"SMTP port {value!r} is not a port number (1-65535)")
    return port


def smtp_settings(environ: Mapping[str, str] | None = None, secrets: Path | None = None) -> SmtpSettings:
    """The SMTP settings: the secrets' [smtp] table, each key overridden by its environment variable."""
    env = os.environ if environ is None else environ
    where = secrets or SECRETS
    table = _read_secrets(where)
    value = {key: env.get(var) if env.get(var) not in (None, "") else table.get(key) for key, var in ENV.items()}
    missing = [f"{key} ({ENV[key]})" for key in ("host", "from") if value[key] in (None, "")]
    if missing:
        raise MailError(f"e-mail is not configured: set {' and '.join(missing)} in the [smtp] table of {where} "
                        "or in the environment")
    starttls = _flag("SMTP starttls", True if value["starttls"] is None else value["starttls"])
    recipients = table.get("recipients", {})
    if not isinstance(recipients, dict):
        raise MailError(f"[smtp.recipients] in {where} must be a table of account = address")
    return SmtpSettings(
        host=str(value["host"]).strip(), port=_port(value["port"], starttls), sender=_address("SMTP from", value["from"]),
        user=str(value["user"]) if value["user"] else None, password=str(value["password"]) if value["password"] else None,
        starttls=starttls, default_to=_address("SMTP to", value["to"]) if value["to"] else None,
        recipients={str(k): _address(f"the address of {k!r}", v) for k, v in recipients.items()},
    )


def message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = _address("the recipient", to)
    mail["Subject"] = " ".join(subject.split())
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    mail.set_content(body)
    return mail


def send(settings: SmtpSettings, mail: EmailMessage) -> None:
    """Send one message, or raise MailError saying why not."""
    if settings.user and not settings.starttls and settings.host.lower() not in LOCAL_HOSTS:
        raise MailError(f"refusing to send the SMTP password to {settings.host} without STARTTLS (set starttls = true)")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT) as smtp:
            if settings.starttls:
                _starttls(smtp, settings)
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(mail)  # an address with letters beyond ASCII needs a server offering SMTPUTF8
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"sending to {mail['To']} through {settings.host}:{settings.port} failed: {exc}") from None


def _starttls(smtp: smtplib.SMTP, settings: SmtpSettings) -> None:
    try:
        smtp.starttls(context=ssl.create_default_context())
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"the SMTP server {settings.host}:{settings.port} does not offer STARTTLS (set starttls = false "
                        "only for a server on this machine)") from None
