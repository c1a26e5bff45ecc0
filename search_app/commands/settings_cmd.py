"""`tdkt settings`: every setting, its environment variable, its current value and what it does
(search_app/settings.py, read once here as everywhere)."""
from __future__ import annotations

import json
import re

from ..settings import Settings

_SECRET = {"admin_token"}
_URL_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]*@")


def shown(name: str, value) -> str:
    """A setting's value as printed: secrets never shown, only whether they are set; a password
    inside a database URL masked."""
    if value is None:
        return "(not set)"
    if name in _SECRET:
        return "(set)"
    return _URL_PASSWORD.sub(r"\1***@", str(value))


def register(sub) -> None:
    p = sub.add_parser("settings", help="list every setting: its environment variable, current value and help")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    settings = Settings()
    rows = [{"env": env, "name": name, "value": shown(name, getattr(settings, name)), "help": help_}
            for env, name, help_ in Settings.describe()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(f"{r['env']} = {r['value']}\n    {r['help']}")
    return 0
