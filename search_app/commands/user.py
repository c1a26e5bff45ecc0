"""`tdkt user add|list|passwd|role|disable|enable|log`: the officers who may write to the records
(accounts/). The first admin is made here: ``tdkt user add LOGIN --name "…" --role admin --unit TINH-BN``.

A password is read from a prompt (typed twice, not echoed) or, with --password-stdin, from the
first line of standard input; it is never an argument (arguments show in `ps` and shell history)."""
from __future__ import annotations

import getpass
import json
import sys

from corpus.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("user", help="officers' accounts: add, list, change password or role, see the log",
                       description="Officers who log in to the site to write records. Accounts live in the records "
                                   "database (TDKT_DATABASE_URL; default records.sqlite3 in the build folder).")
    us = p.add_subparsers(dest="user_cmd", required=True)
    add = us.add_parser("add", help="create an account (the first admin too)")
    add.add_argument("login", help="the login: a–z without accents, digits, '.', '_', '-' (e.g. nguyenvana)")
    add.add_argument("--name", required=True, help='the name shown, e.g. "Nguyễn Văn A"')
    add.add_argument("--role", required=True, choices=("viewer", "editor", "admin"), help="the role in --unit")
    add.add_argument("--unit", required=True, help="the unit code (the records' đơn vị, e.g. TINH-BN)")
    _password_option(add)
    add.set_defaults(func=run_add)
    ls = us.add_parser("list", help="the accounts, with their roles")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=run_list)
    pw = us.add_parser("passwd", help="set an account's password (its open sessions end)")
    pw.add_argument("login")
    _password_option(pw)
    pw.set_defaults(func=run_passwd)
    role = us.add_parser("role", help="give a role in a unit (replacing the one held there), or --remove it")
    role.add_argument("login")
    role.add_argument("--unit", required=True, help="the unit code")
    group = role.add_mutually_exclusive_group(required=True)
    group.add_argument("--role", choices=("viewer", "editor", "admin"))
    group.add_argument("--remove", action="store_true", help="take away the role held in --unit")
    role.set_defaults(func=run_role)
    for name, active, text in (("disable", False, "lock an account (its sessions end; nothing is deleted)"),
                               ("enable", True, "unlock an account")):
        cmd = us.add_parser(name, help=text)
        cmd.add_argument("login")
        cmd.set_defaults(func=run_active, active=active)
    log = us.add_parser("log", help="account events, newest first: logins, failed logins, changes")
    log.add_argument("--login", help="only the events of this account (as subject or actor)")
    log.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    log.add_argument("--json", action="store_true", help="print JSON")
    log.set_defaults(func=run_log)


def _password_option(parser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input instead of a prompt")


def _db():
    from accounts.db import accounts_db
    from search_app.settings import Settings

    return accounts_db(Settings().records_url())


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask the password on: pass --password-stdin and give it on standard input")
    first = getpass.getpass("Mật khẩu (password): ")
    if getpass.getpass("Nhập lại (again): ") != first:
        raise UserError("the two passwords typed differ; nothing changed")
    return first


def run_add(args) -> int:
    from accounts.audit import cli_actor
    from accounts.users import add_user

    officer = add_user(_db(), args.login, args.name, _read_password(args), args.role, args.unit, cli_actor())
    print(f"added {officer.login} ({officer.name}): {args.role} of {args.unit}")
    return 0


def run_list(args) -> int:
    from accounts.users import list_users

    rows = [{"login": u.login, "name": u.display_name, "active": u.active, "created": u.created.isoformat(timespec="seconds"),
             "roles": dict(o.roles)} for u, o in list_users(_db())]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no accounts yet: create the first admin with `tdkt user add LOGIN --name … --role admin --unit …`")
    for r in rows:
        roles = ", ".join(f"{role} @ {unit}" for unit, role in r["roles"].items()) or "no role"
        print(f"{r['login']:<20} {r['name']:<28} {roles}{'' if r['active'] else '  [disabled]'}")
    return 0


def run_passwd(args) -> int:
    from accounts.audit import cli_actor
    from accounts.users import set_password

    set_password(_db(), args.login, _read_password(args), cli_actor())
    print(f"password of {args.login} changed; its open sessions have ended")
    return 0


def run_role(args) -> int:
    from accounts.audit import cli_actor
    from accounts.users import set_role

    officer = set_role(_db(), args.login, args.unit, None if args.remove else args.role, cli_actor())
    roles = ", ".join(f"{role} @ {unit}" for unit, role in officer.roles.items()) or "no role"
    print(f"{officer.login}: {roles}")
    return 0


def run_active(args) -> int:
    from accounts.audit import cli_actor
    from accounts.users import set_active

    set_active(_db(), args.login, args.active, cli_actor())
    print(f"{args.login} {'enabled' if args.active else 'disabled; its open sessions have ended'}")
    return 0


def run_log(args) -> int:
    from accounts.audit import EVENT_KINDS, list_events

    if args.limit < 1:
        raise UserError(f"--limit {args.limit}: give a positive number")
    with _db().session() as session:
        rows = [{"at": e.at.isoformat(timespec="seconds") + "Z", "kind": e.kind, "login": e.login, "actor": e.actor,
                 "client": e.client, "detail": e.detail} for e in list_events(session, args.login, limit=args.limit)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        by = "" if r["actor"] == r["login"] else f" by {r['actor']}"
        print(f"{r['at']}  {EVENT_KINDS.get(r['kind'], r['kind']):<34} {r['login']}{by}"
              f"{'  from ' + r['client'] if r['client'] else ''}{'  — ' + r['detail'] if r['detail'] else ''}")
    return 0
