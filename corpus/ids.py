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


def names_number(key: str, doc_id: str, symbol: str | None, number: str | None, doc_type: str | None = None) -> bool:
    """Does the slugged number ``key`` name this document? Its id or symbol exactly, its id without
    the year ("34-ct-tw" → "34-ct-tw-2014"), or, in another order, its number with parts of its
    symbol, type and year ("nd-30-2020" → "30-2020-nd-cp", "luat-06-2022"): the number itself must
    be one of the parts."""
    if key == doc_id or (symbol and slug(symbol) == key) or doc_id.startswith(key + "-"):
        return True
    parts = key.split("-")
    numbers = [p for p in parts if p.isdigit()]
    own = set(doc_id.split("-")) | set(slug(symbol or "").split("-")) | set(slug(doc_type or "").split("-"))
    return bool(number and numbers) and number.lstrip("0") in {n.lstrip("0") for n in numbers} and set(parts) <= own
