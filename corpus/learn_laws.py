"""Laws newer than the national registry, learned from what texts say about them.

The national registry stops in 09/2023; 2024–2025 laws (Luật Tổ chức chính quyền địa phương
72/2025/QH15 and its like) are cited by name and date in every căn cứ block since. Texts also say
"Luật Tổ chức chính quyền địa phương số 72/2025/QH15" and "Luật số 72/2025/QH15 ngày 16 tháng 6 năm
2025": a law's name and number, and its number and date. A fact is learned only when at least
``min_sources`` different texts agree on it (one typist's slip is not a fact), and every learned
entry names the texts it came from, so an officer can check.

``learn_laws(texts)`` reads (label, text) pairs; ``tdkt registry learn-laws`` writes the result to
corpus/data/learned_laws.yaml, which the registry loads after registry.yaml and the national list
(both win over it); a build also learns from its own corpus (corpus.resolve).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .citations import extract_citations
from .ids import document_id
from .learned import LEARNED_FILE
from .models import Citation
from .registry import _name_key as registry_name_key
from .registry import key

MIN_SOURCES = 2
# A law's number: 72/2025/QH15; a code's (Bộ luật) too.
_LAW_SYMBOL = re.compile(r"^\d{1,3}/(?:19|20)\d{2}/QH\d{1,2}$")
# The name in "Luật Tổ chức chính quyền địa phương số 72/2025/QH15": between the head word and "số".
_NAME_BEFORE_NUMBER = re.compile(r"^((?:Bộ\s+luật|Luật)\s+(?!số\b)[^\d;:()]{2,150}?)\s+số\s*:?\s*\d", re.IGNORECASE)


@dataclass
class _Facts:
    names: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    shown: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    dates: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    name_dates: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def _name_key(name: str) -> str:
    return registry_name_key(name)


def law_name_of(c: Citation) -> str | None:
    """The name a numbered law citation writes before its number, if any ("Luật Nhà ở")."""
    m = _NAME_BEFORE_NUMBER.match(" ".join(c.text.split()))
    if not m:
        return None
    return m.group(1).strip(" ,")


def _collect(facts: _Facts, label: str, citations: Iterable[Citation]) -> None:
    for c in citations:
        if c.short_form or c.doc_type not in ("Luật", "Bộ luật"):
            continue
        if c.number and c.canonical and _LAW_SYMBOL.match(c.canonical):
            name = law_name_of(c)
            if name:
                facts.names[c.canonical][_name_key(name)].add(label)
                facts.shown[c.canonical][name] += 1
            if c.date and len(c.date) == 10 and c.date[:4] == c.canonical.split("/")[1]:
                facts.dates[c.canonical][c.date].add(label)
        elif not c.number and c.date and len(c.date) == 10 and c.canonical:
            facts.name_dates[_name_key(c.canonical)][c.date].add(label)


def _agreed(votes: dict[str, set[str]], min_sources: int) -> tuple[str, set[str]] | None:
    """The value most texts give, when at least ``min_sources`` give it and no other value as many."""
    ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
    if not ranked or len(ranked[0][1]) < min_sources:
        return None
    if len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
        return None
    return ranked[0]


def _sources(labels: set[str], limit: int = 6) -> str:
    shown = sorted(labels)
    more = f" và {len(shown) - limit} văn bản khác" if len(shown) > limit else ""
    return "; ".join(shown[:limit]) + more


def learn_from_facts(facts: _Facts, known: set[str] | None = None, min_sources: int = MIN_SOURCES) -> list[dict[str, Any]]:
    """Registry rows (registry.yaml's fields) for each law whose name and number enough texts agree on."""
    known = known or set()
    out = []
    for symbol in sorted(facts.names):
        if key(symbol) in known:
            continue
        named = _agreed(facts.names[symbol], min_sources)
        if not named:
            continue
        name_key, name_src = named
        year = symbol.split("/")[1]
        date_votes = {d: set(s) for d, s in facts.dates.get(symbol, {}).items()}
        for d, s in facts.name_dates.get(name_key, {}).items():   # "Luật X ngày D" counts for D
            if d[:4] == year:
                date_votes.setdefault(d, set()).update(s)
        dated = _agreed(date_votes, min_sources)
        name = max((n for n in facts.shown[symbol] if _name_key(n) == name_key), key=lambda n: facts.shown[symbol][n])
        kind = "Bộ luật" if name.lower().startswith("bộ luật") else "Luật"
        source = f"tên và số hiệu theo {len(name_src)} văn bản trích dẫn: {_sources(name_src)}"
        if dated:
            source += f"; ngày ban hành theo {len(dated[1])} văn bản: {_sources(dated[1])}"
        out.append({"symbol": symbol, "type": kind, "date": dated[0] if dated else None, "issuer": "Quốc hội",
                    "title": name.split(None, 2 if kind == "Bộ luật" else 1)[-1], "aliases": [name],
                    "status": {"state": "unknown", "source": f"Học từ các dòng căn cứ: {source}", "learned": True}})
    return out


def learn_laws(texts: Iterable[tuple[str, str]], known: set[str] | None = None,
               min_sources: int = MIN_SOURCES) -> list[dict[str, Any]]:
    """Learned registry rows from (label, text) pairs; ``known``: registry keys not to relearn."""
    facts = _Facts()
    for label, text in texts:
        _collect(facts, label, extract_citations(text))
    return learn_from_facts(facts, known, min_sources)


def learn_from_documents(docs, known: set[str] | None = None, min_sources: int = MIN_SOURCES) -> list[dict[str, Any]]:
    """The same from parsed corpus documents (their citations are already extracted)."""
    facts = _Facts()
    for doc in docs:
        label = " ".join(x for x in (doc.doc_type, doc.symbol or doc.id) if x)
        _collect(facts, label, doc.citations)
    return learn_from_facts(facts, known, min_sources)


def write(rows: list[dict[str, Any]], out: Path = LEARNED_FILE, provenance: str = "") -> None:
    head = ("# Laws newer than the national registry, learned by `tdkt registry learn-laws` from the căn cứ lines\n"
            "# of real texts (corpus/learn_laws.py): a name + number, and a date, that at least two texts agree on.\n"
            "# Each entry's status.source names the texts. registry.yaml and the national registry win over it.\n")
    if provenance:
        head += "".join(f"# {line}\n" for line in provenance.splitlines())
    body = yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=200)
    Path(out).write_text(head + body, encoding="utf-8")


def entry_id(row: dict[str, Any]) -> str:
    year = int(row["symbol"].split("/")[1])
    return document_id(row["symbol"], year, row["symbol"])
