"""Criteria side by side: the awards of one family (Chiến sĩ thi đua toàn quốc / tỉnh / cơ sở …)
across levels and across the rules of two dates (the 2022 and the 2026 rules), with the ministries'
circulars beside them; differences and conflicts flagged:

- changed: the same kind of fact gives other figures on the two dates (tiền thưởng 1,0 → 1,5 lần
  mức lương cơ sở; 02 bộ → 01 bộ hồ sơ; a 15% ratio that no longer exists);
- superseded ratio: a circular states a figure that only a decree no longer in force gave (the 15%
  of CSTĐ cơ sở of Nghị định 91/2017), and that the rules in force on the later date do not give;
- conflict: two texts applying on the same date give different figures of the same kind and unit.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from corpus.registry import Registry
from corpus.vntext import fold

from .basis import _entry, in_force
from .catalogue import Catalogue, Fact, default_catalogue, glossary_abbreviations
from .file import fact_item
from .pointers import Corpus, locate_all

COMPARED = ("criteria", "limits", "money", "dossier", "deadline", "authority")
# A figure and its unit: "15%", "1,5 lần mức lương cơ sở", "01 bộ", "30 ngày làm việc", "ngày 31 tháng 12".
_FIGURE = re.compile(r"(\d+(?:,\d+)?)\s*(%|lần mức lương cơ sở|bộ\b|ngày làm việc|năm\b)")


def figures(text: str) -> set[tuple[str, str]]:
    """The (number, unit) figures of a provision, numbers without leading zeros ("02 bộ" = "2 bộ")."""
    return {(re.sub(r"^0+(?=\d)", "", m.group(1)), m.group(2)) for m in _FIGURE.finditer(text)}


def _family(cat: Catalogue, name: str) -> list[str]:
    for fam, names in cat.families.items():
        if fold(fam) == fold(name.strip()):
            return names
    return [cat.find(name, glossary_abbreviations()).name]


def _label(fact: Fact) -> str:
    return " ".join(x for x in (fact.clause, fact.article, fact.doc) if x)


def compare(corpus: Corpus, registry: Registry, name: str, days: list[_dt.date], recipient: str | None = None,
            catalogue: Catalogue | None = None, link=None) -> dict[str, Any]:
    """The side-by-side table of a family (or of one award) on each of ``days`` (oldest first)."""
    cat = catalogue or default_catalogue()
    days = sorted(days)
    names = _family(cat, name)
    awards = [cat.get(n) for n in names]
    all_facts = [f for a in awards for d in days for f in a.facts_on(d, recipient)] + \
                [f for a in awards for f in a.sector_facts]
    found = locate_all(corpus, list(dict.fromkeys(all_facts)))
    rows, flags = [], []
    for a in awards:
        for kind in COMPARED:
            cells = {d.isoformat(): [fact_item(f, found.get(f), link) for f in a.facts_on(d, recipient) if f.kind == kind]
                     for d in days}
            sector = [_sector_item(f, found.get(f), registry, days, link) for f in a.sector_facts if f.kind == kind]
            if any(cells.values()) or sector:
                rows.append({"award": a.name, "kind": kind, "cells": cells, "sector": sector})
            flags += _changed(a.name, kind, a, days, recipient)
            flags += _conflicts(a.name, kind, a, days, recipient, registry)
            flags += _superseded_ratios(a.name, kind, a, days, recipient, registry)
    return {"family": name, "awards": names, "days": [d.isoformat() for d in days], "recipient": recipient,
            "rows": rows, "flags": flags}


def _sector_item(f: Fact, where, registry: Registry, days: list[_dt.date], link) -> dict[str, Any]:
    item = fact_item(f, where, link)
    e = _entry(registry, f.doc)
    item["sector"] = f.source.sector
    item["in_force"] = {d.isoformat(): bool(e and in_force(e, d)) for d in days}
    item["status_source"] = (e.status.get("source") if e else None)
    return item


def _figures_on(a, kind: str, day: _dt.date, recipient) -> dict[str, set]:
    out: dict[str, set] = {}
    for f in a.facts_on(day, recipient):
        if f.kind == kind:
            for num, unit in figures(f.quote):
                out.setdefault(unit, set()).add((num, _label(f)))
    return out


def _changed(name: str, kind: str, a, days, recipient) -> list[dict]:
    if len(days) < 2:
        return []
    first, last = _figures_on(a, kind, days[0], recipient), _figures_on(a, kind, days[-1], recipient)
    out = []
    for unit in sorted(set(first) | set(last)):
        before = {n for n, _ in first.get(unit, set())}
        after = {n for n, _ in last.get(unit, set())}
        if before == after or unit == "năm":
            continue
        def show(xs, facts):
            return ", ".join(f"{n} {unit}" for n in sorted(xs)) + " (" + "; ".join(sorted({w for _, w in facts})) + ")"
        if not after and kind == "limits" and unit == "%":
            out.append({"kind": "removed", "award": name, "fact": kind, "unit": unit,
                        "message": f"{name}: tỷ lệ {show(before, first[unit])} áp dụng ngày {days[0]:%d/%m/%Y}; "
                                   f"Luật và nghị định áp dụng ngày {days[-1]:%d/%m/%Y} không còn quy định tỷ lệ này"})
            continue
        if not before or not after:      # the catalogue names one side only: nothing to compare
            continue
        out.append({"kind": "changed", "award": name, "fact": kind, "unit": unit,
                    "message": f"{name}, {kind}: {show(before, first.get(unit, set()))} ngày {days[0]:%d/%m/%Y} → "
                               f"{show(after, last.get(unit, set()))} ngày {days[-1]:%d/%m/%Y}"})
    return out


def _conflicts(name: str, kind: str, a, days, recipient, registry) -> list[dict]:
    """A sector circular in force on a day whose figure differs from the national rules' figures of
    the same kind and unit that day (the national rules win: a circular cannot contradict them)."""
    out = []
    for d in days:
        national: dict[str, set[str]] = {}
        for f in a.facts_on(d, recipient):
            if f.kind == kind:
                for num, unit in figures(f.quote):
                    national.setdefault(unit, set()).add(num)
        for f in a.sector_facts:
            e = _entry(registry, f.doc)
            if f.kind != kind or not (e and in_force(e, d)):
                continue
            for num, unit in figures(f.quote):
                if unit in national and num not in national[unit] and unit != "năm":
                    out.append({"kind": "conflict", "award": name, "fact": kind, "unit": unit, "doc": f.doc,
                                "message": f"{name}: ngày {d:%d/%m/%Y} {f.doc} ({f.source.sector}) ghi {num} {unit}, "
                                           f"quy định chung ghi {', '.join(sorted(national[unit]))} {unit}"})
    return out


def _superseded_ratios(name: str, kind: str, a, days, recipient, registry) -> list[dict]:
    """A circular's figure that only an ended national text gave, missing from the rules of the last day."""
    if kind != "limits" or not a.sector_facts:
        return []
    last = days[-1]
    now = {(n, u) for f in a.facts_on(last, recipient) if f.kind == kind for n, u in figures(f.quote)}
    old = {}
    for f in a.facts:
        if f.kind == kind and f.source.end and _dt.date.fromisoformat(f.source.end) < last:
            for fig in figures(f.quote):
                old.setdefault(fig, _label(f))
    out = []
    for f in a.sector_facts:
        if f.kind != kind:
            continue
        e = _entry(registry, f.doc)
        for fig in figures(f.quote):
            if fig in old and fig not in now:
                state = "còn hiệu lực" if e and in_force(e, last) else "đã hết hiệu lực"
                out.append({"kind": "superseded_ratio", "award": name, "fact": kind, "doc": f.doc,
                            "status_source": e.status.get("source") if e else None,
                            "message": f"{f.doc} ({f.source.sector}) ghi tỷ lệ {fig[0]}{fig[1]} của {old[fig]}, văn bản "
                                       f"không còn áp dụng ngày {last:%d/%m/%Y}; quy định áp dụng ngày đó không có tỷ lệ "
                                       f"này; thông tư {state} vào ngày đó"})
    return out
