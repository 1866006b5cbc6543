"""`digest`: what is new in the saved watches, printed or e-mailed (for a cron job).

The command line acts as the server's local user, so it reads every user's watches (or one
user's with --user). With --email each owner gets one message with their watches, at their
address (see services/mail.py) or at --to; an owner with nothing new gets no message.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .options import DATABASE_HELP

SUBJECT = "Conflict & Diplomacy Monitor: {count} new in your watches"


def _by_owner(all_news: list[Any]) -> dict[str, list[Any]]:
    owners: dict[str, list[Any]] = {}
    for news in all_news:
        owners.setdefault(news.watch.owner, []).append(news)
    return owners


def _email(args: argparse.Namespace, all_news: list[Any], mark: Callable[[Any], None]) -> int:
    from ..services import mail
    from ..services.watches import digest_text

    settings = mail.smtp_settings(secrets=args.secrets)
    status = 0
    for owner, news in _by_owner(all_news).items():
        label = news[0].watch.owner_label
        count = sum(n.total for n in news)
        if count == 0:
            print(f"{label}: nothing new, no e-mail sent")
            continue
        to = args.to or settings.address_of(owner)
        if not to:
            print(f"digest: no e-mail address for {label}: add it to [smtp.recipients], set [smtp] to, or give --to",
                  file=sys.stderr)
            status = 1
            continue
        try:
            mail.send(settings, mail.message(settings, to, SUBJECT.format(count=count), digest_text(news)))
        except mail.MailError as exc:
            print(f"digest: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{label}: {count} new, sent to {to}")
        for item in news:
            mark(item)
    return status


def cmd_digest(args: argparse.Namespace) -> int:
    from ..services import mail
    from ..services import watches as service
    from ..store import Store

    if args.to and not args.email:
        print("digest: --to needs --email", file=sys.stderr)
        return 2
    store = Store(args.database)
    marked: list[str] = []

    def mark(news: Any) -> None:
        if args.mark_seen:
            service.mark_seen(store, news)
            marked.append(news.watch.name)

    try:
        all_news = service.news_for(store, owner=args.user if args.user is not None else service.ALL, name=args.watch)
        if args.user is not None and not all_news:
            raise service.WatchError(f"{args.user or 'the local user'} has no watches")
        if args.email:
            status = _email(args, all_news, mark)
        else:
            print(service.digest_text(all_news))
            for news in all_news:
                mark(news)
            status = 0
    except (service.WatchError, mail.MailError) as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return 1
    if marked:
        print(f"marked seen: {len(marked)} watch{'es' if len(marked) != 1 else ''}", file=sys.stderr)
    return status


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("digest", help="what is new in the saved watches since last seen: printed, or e-mailed with --email (cron)")
    p.add_argument("--database", help=DATABASE_HELP)
    p.add_argument("--user", metavar="NAME", help="only this user's watches (default: every user's; \"\" for the single-user mode's)")
    p.add_argument("--watch", metavar="NAME", help="only the watch with this name")
    p.add_argument("--email", action="store_true", help="send each user their digest by e-mail (SMTP settings: [smtp] in the secrets, or SMTP_HOST…)")
    p.add_argument("--to", metavar="ADDRESS", help="with --email: send to this address instead of each user's own")
    p.add_argument("--mark-seen", action="store_true", help="then mark the watches seen (only those printed or sent)")
    p.add_argument("--secrets", type=Path, default=None, help="the secrets file with the [smtp] table (default: .streamlit/secrets.toml)")
    p.set_defaults(func=cmd_digest)
