"""The import file's columns, loan words and resistance-war kinds (records/data/columns.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.vntext import fold, nfc

DATA = Path(__file__).parent / "data" / "columns.yaml"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    aliases: tuple[str, ...]
    help: str
    example: str


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    methods: dict[str, str]            # key → label
    method_words: dict[str, str]       # folded word → key
    resistance_kinds: dict[str, str]   # header_key(name) → name
    periods: dict[str, str]            # folded word → label

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def header_key(text: object) -> str:
    """What two headings must share to be the same column: letters and digits, folded."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(nfc(str(text or "")))))


@lru_cache(maxsize=1)
def layout(path: Path = DATA) -> Layout:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cols = tuple(Column(key=c["key"], header=nfc(c["header"]), required=bool(c.get("required")),
                        aliases=tuple(nfc(a) for a in c.get("aliases") or ()), help=nfc(c.get("help") or ""),
                        example=nfc(str(c.get("example") or ""))) for c in data["columns"])
    methods = {m["key"]: m["label"] for m in data["methods"]}
    words = {header_key(w): m["key"] for m in data["methods"] for w in [m["label"], *m["words"]]}
    kinds = {header_key(k): nfc(k) for k in data["resistance_kinds"]}
    periods = {header_key(w): p["label"] for p in data["periods"] for w in [p["label"], *p["words"]]}
    return Layout(columns=cols, methods=methods, method_words=words, resistance_kinds=kinds, periods=periods)
