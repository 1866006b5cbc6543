"""Commands for a team deployment: `users` (built-in accounts), `worker` (background ingestion), `delete`.

Passwords are read with getpass (typed twice), or from the environment variable
MONITOR_PASSWORD for scripts; never from the command line, where other users of the
machine could read them in the process list or the shell history.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from .options import DATABASE_HELP, extractor, seconds

PASSWORD_ENV = "MONITOR_PASSWORD"


def _store(args: argparse.Namespace) -> Any:
    from ..store import Store

    return Store(args.database)


def read_password() -> str:
    from ..store.accounts import AccountError

    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():  # getpass would fall back to echoing what is typed
        raise AccountError(f"no terminal to type the password at: set {PASSWORD_ENV} instead")
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("The same password again: ")
    except EOFError:
        raise AccountError("no password given") from None
    if again != first:
        raise AccountError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from ..roles import PermissionDenied
    from ..store import accounts as auth

    store = _store(args)
    try:
        if args.action == "add":
            account = auth.create_user(store, args.name, args.role, read_password())
            print(f"account {account.name!r} created with role {account.role}")
        elif args.action == "list":
            accounts = auth.list_users(store)
            if not accounts:
                print("no accounts: the app runs single-user (add one with: python -m components users add NAME --role admin)")
            for a in accounts:
                state = f"sign-ins held back until {a.locked_until:%Y-%m-%d %H:%M} UTC" if a.locked() else (
                    f"{a.failed_attempts} failed sign-ins" if a.failed_attempts else "")
                print(f"{a.name}\t{a.role}\tcreated {a.created_at:%Y-%m-%d}\t{state}".rstrip())
        elif args.action == "role":
            account = auth.set_role(store, args.name, args.role)
            print(f"account {account.name!r} now has role {account.role}")
        elif args.action == "password":
            account = auth.set_password(store, args.name, read_password())
            print(f"password of {account.name!r} changed")
        elif args.action == "unlock":
            account = auth.unlock(store, args.name)
            print(f"account {account.name!r} unlocked")
        elif args.action == "remove":
            auth.delete_user(store, args.name)
            print(f"account {args.name.strip()!r} removed")
    except (auth.AccountError, PermissionDenied) as exc:
        print(f"users {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from ..services import worker
    from ..store.jobs import stale_after_setting

    try:
        stale_after_setting()
    except ValueError as exc:
        print(f"worker: {exc}", file=sys.stderr)
        return 2
    return worker.main(_store(args), once=args.once, interval=args.interval, poll=args.poll,
                       extractor_factory=lambda: extractor(args.model, args.budget))


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete articles with everything extracted from them (the command line acts as an admin)."""
    store = _store(args)
    status = 0
    for article_id in args.ids:
        try:
            store.delete_article(article_id, args.reason)
        except KeyError as exc:
            print(f"delete: {exc.args[0]}", file=sys.stderr)
            status = 1
        else:
            print(f"deleted article #{article_id}")
    return status


def add_parsers(sub: Any) -> None:
    """The `users`, `worker` and `delete` subcommands, added to the main parser's subparsers."""
    from ..roles import ROLES

    users = sub.add_parser("users", help="manage the built-in accounts (sign-in and roles)")
    actions = users.add_subparsers(dest="action", required=True)

    def with_database(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--database", help=DATABASE_HELP)
        p.set_defaults(func=cmd_users)
        return p

    p = with_database(actions.add_parser("add", help=f"add an account; the password is asked for (or read from ${PASSWORD_ENV})"))
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, default="viewer", help="viewer (read, export), analyst (also ingest, correct), admin (also accounts, deletion); default viewer")
    with_database(actions.add_parser("list", help="list the accounts and their roles"))
    p = with_database(actions.add_parser("role", help="change an account's role"))
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p = with_database(actions.add_parser("password", help=f"set a new password (asked for, or ${PASSWORD_ENV}); also unlocks"))
    p.add_argument("name")
    p = with_database(actions.add_parser("unlock", help="lift the delays on an account's sign-ins after too many failures, from every address"))
    p.add_argument("name")
    p = with_database(actions.add_parser("remove", help="delete an account"))
    p.add_argument("name")

    from ..services.worker_defaults import DEFAULT_INTERVAL, DEFAULT_POLL

    p = sub.add_parser("worker", help="process queued uploads and re-read the saved feeds on a schedule (run several for more speed)")
    p.add_argument("--database", help=DATABASE_HELP)
    p.add_argument("--once", action="store_true", help="queue a feed refresh, process everything queued, then exit")
    p.add_argument("--interval", type=seconds, default=DEFAULT_INTERVAL, help=f"seconds between feed refreshes (default {DEFAULT_INTERVAL})")
    p.add_argument("--poll", type=seconds, default=DEFAULT_POLL, help=f"seconds between looks at an empty queue (default {DEFAULT_POLL:g})")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("delete", help="delete articles and everything extracted from them (recorded in the audit, where their corrections stay)")
    p.add_argument("ids", nargs="+", type=int, metavar="ARTICLE_ID")
    p.add_argument("--reason", help="why, kept with the deletion in the audit trail")
    p.add_argument("--database", help=DATABASE_HELP)
    p.set_defaults(func=cmd_delete)

