"""Stable, URL-safe identifiers for documents (corpus and cited ones share one namespace)."""
from __future__ import annotations

import re

from .vntext import fold

_NON_ID = re.compile(r"[^a-z0-9]+")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}$")


def slug(text: str) -> str:
    """"200/KH-UBND" → "200-kh-ubnd"; "Đề án" → "de-an"."""
    return _NON_ID.sub("-", fold(text)).strip("-")


def document_id(symbol: str | None, year: int | None, fallback: str) -> str:
    """The id of a document: its symbol (plus its year when the symbol lacks one), else ``fallback``.

    Numbers restart every year (and Party numbers every term), so "200/KH-UBND" of 2021 is
    "200-kh-ubnd-2021"; "91/2017/NĐ-CP" already carries its year: "91-2017-nd-cp". A document
    with a blank number ("Số: /KH-VP") takes the fallback (its source file's stem).
    """
    if symbol and re.match(r"\s*\d", symbol):
        base = slug(symbol)
        if year and str(year) not in base.split("-"):
            base = f"{base}-{year}"
        return base
    return slug(fallback) or "document"


def is_valid_id(value: str) -> bool:
    """Ids that may appear in a URL: lower-case ASCII, digits, '.', '_', '-' (no '/', no '..')."""
    return bool(_ID_RE.match(value)) and ".." not in value
