"""Sectors (ngành) and their issuer codes (corpus/data/sectors.yaml): which sector a question names,
and which sector a document belongs to."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .vntext import fold

SECTORS_FILE = Path(__file__).parent / "data" / "sectors.yaml"


@dataclass(frozen=True)
class Sector:
    key: str
    name: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    examples: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def sectors() -> tuple[Sector, ...]:
    raw = yaml.safe_load(SECTORS_FILE.read_text(encoding="utf-8")) or []
    return tuple(Sector(r["key"], r["name"], tuple(r.get("codes") or ()), tuple(r.get("names") or ()),
                        tuple(r.get("examples") or ())) for r in raw)


def _is_abbreviation(name: str) -> bool:
    return name.replace("&", "").isupper() and " " not in name


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, re.Pattern | None, Sector], ...]:
    out = []
    for s in sectors():
        words = [n for n in s.names if not _is_abbreviation(n)]
        abbr = [n for n in s.names if _is_abbreviation(n)]
        folded = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(n)) for n in sorted(words, key=len, reverse=True)) + r")(?!\w)") if words else re.compile(r"(?!x)x")
        caps = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in abbr) + r")(?!\w)") if abbr else None
        out.append((folded, caps, s))
    return tuple(out)


def sector_named(text: str) -> Sector | None:
    """The sector a question names (the one named first when it names several), else None."""
    if not text:
        return None
    f = fold(text)
    best: tuple[int, Sector] | None = None
    for folded, caps, s in _patterns():
        hits = [m.start() for m in [folded.search(f)] if m]
        if caps is not None:
            m = caps.search(text)
            if m:
                hits.append(m.start())
        if hits and (best is None or min(hits) < best[0]):
            best = (min(hits), s)
    return best[1] if best else None


def sector_by_key(key: str | None) -> Sector | None:
    if not key:
        return None
    k = fold(key).replace(" ", "-")
    return next((s for s in sectors() if s.key == k or fold(s.name) == fold(key)), None)


@lru_cache(maxsize=4096)
def sector_of_symbol(symbol: str | None) -> Sector | None:
    """The sector of a document by the issuer codes of its symbol ("05/2018/TT-BTP" → Tư pháp;
    a joint circular "35/2012/TTLT-BQP-BNV" → its first sector code)."""
    if not symbol:
        return None
    tail = symbol.split("/")[-1]
    codes = re.split(r"[-–]", tail)[1:] if "-" in tail else []
    for code in codes:
        for s in sectors():
            if code in s.codes:
                return s
    return None
