"""`python -m api.admin officers add|disable|reset-password|totp-enable|totp-disable|list` — officer
accounts for a real deployment (outside demo mode nobody else creates them).

Passwords are typed at a prompt (twice), or read from the first line of standard input with
`--password-stdin` (scripts), never taken from the command line, where they would stay in the
shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from api.db.session import session_scope
from api.domain.errors import DomainError
from api.services import officers
from api.services.context import Ctx

CTX = Ctx(actor="admin:cli", channel="cli")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise DomainError("invalid_input", "The two passwords differ.", field="password")
    return first


def _line(officer: dict[str, Any]) -> str:
    state = "active" if officer["active"] else "disabled"
    totp = "totp" if officer["totp"] else "no-totp"
    return (
        f"{officer['username']}\t{officer['role']}\t{','.join(officer['languages'])}\t"
        f"{officer['district'] or '-'}\t{officer['phone'] or '-'}\t{state}\t{totp}\t"
        f"{officer['name']}"
    )


def _run(args: argparse.Namespace) -> str:
    with session_scope() as s:
        if args.action == "list":
            return "\n".join(_line(o) for o in officers.list_all(s)) or "no officers"
        if args.action == "disable":
            return "disabled " + _line(officers.disable(s, CTX, args.username))
        if args.action == "totp-enable":
            got = officers.totp_enable(s, CTX, args.username)
            return (
                f"second factor for {args.username}; add it to an authenticator app now, it is not"
                f" shown again:\n{got.uri}\nsecret (manual entry): {got.secret}"
            )
        if args.action == "totp-disable":
            return "no second factor: " + _line(officers.totp_disable(s, CTX, args.username))
        password = _password(args)
        if args.action == "reset-password":
            return "new password for " + _line(
                officers.reset_password(s, CTX, args.username, password)
            )
        added = officers.add(
            s,
            CTX,
            username=args.username,
            password=password,
            name=args.name,
            role=args.role,
            languages=[x.strip() for x in args.languages.split(",") if x.strip()],
            district=args.district,
            phone=args.phone,
        )
        return "added " + _line(added)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m api.admin", description=__doc__.split("\n")[0])
    groups = top.add_subparsers(dest="group", required=True)
    group = groups.add_parser("officers", help="officer and supervisor accounts")
    actions = group.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="a new officer or supervisor")
    add.add_argument("username")
    add.add_argument("--name", default="")
    add.add_argument("--role", choices=("officer", "supervisor"), default="officer")
    add.add_argument("--languages", default="bn,hi,en", help="comma-separated: bn,hi,en")
    add.add_argument("--district", default="")
    add.add_argument("--phone", default=None, help="rung first when calling a worker back")
    add.add_argument("--password-stdin", action="store_true")
    disable = actions.add_parser("disable", help="no more log-ins; open sessions end")
    disable.add_argument("username")
    reset = actions.add_parser("reset-password", help="a new password; open sessions end")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    enable = actions.add_parser("totp-enable", help="a TOTP second factor (prints it once)")
    enable.add_argument("username")
    off = actions.add_parser("totp-disable", help="remove the TOTP second factor")
    off.add_argument("username")
    actions.add_parser("list", help="every account")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        print(_run(args))
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        print(f"refused{where}: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
