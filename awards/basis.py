"""The "Căn cứ" block of an award decision: one line per text in force on the decision's date, in
the full form of Nghị định 30/2020/NĐ-CP (a law by its name and date, other texts by type, number,
date, issuer and title), then checked with the drafting check (corpus/draft_check.py) as an officer's
draft would be.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from corpus.citations import extract_citations
from corpus.draft_check import Problem, citation_problems
from corpus.registry import Registry, RegistryEntry
from corpus.status import in_force_on, parse_date
from corpus.vntext import fold

from .catalogue import Catalogue


@dataclass
class BasisLine:
    text: str                      # "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    entry_id: str                  # the registry entry it cites
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "cites": self.entry_id, "problems": [p.to_dict() for p in self.problems]}


def long_date(iso: str) -> str:
    """"2025-06-14" → "ngày 14 tháng 6 năm 2025"; days below 10 and months 1–2 take a leading 0 (NĐ 30/2020)."""
    d = _dt.date.fromisoformat(iso)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def full_form(e: RegistryEntry) -> str | None:
    """A text as a "Căn cứ" line names it; None without a complete date (it cannot be cited in full)."""
    if not e.date or len(e.date) != 10 or not e.doc_type:
        return None
    if e.doc_type == "Luật":
        title = e.title if e.title.startswith("sửa đổi") else e.title
        return f"Luật {title} {long_date(e.date)}"
    by = f" của {e.issuer}" if e.issuer else ""
    about = f" {e.title}" if e.title else ""
    return f"{e.doc_type} số {e.canonical} {long_date(e.date)}{by}{about}"


def in_force(e: RegistryEntry, day: _dt.date) -> bool:
    """In force on ``day`` by the registry's status; never before it was issued."""
    issued = parse_date(e.date)
    if issued and day < issued:
        return False
    return bool(in_force_on(e.status | {"effective": e.status.get("effective") or e.effective}, day))


def _entry(registry: Registry, symbol: str) -> RegistryEntry | None:
    hits = registry.by_canonical(symbol)
    return hits[0] if hits else None


def basis_lines(catalogue: Catalogue, registry: Registry, day: _dt.date, province: str | None = None) -> list[BasisLine]:
    """The căn cứ lines for a decision dated ``day`` (and the province's own rules when given)."""
    out = []
    for item in catalogue.basis:
        if item.get("province") and (not province or fold(province) != fold(item["province"])):
            continue
        e = _entry(registry, item["symbol"])
        if e is None or not in_force(e, day):
            continue
        form = full_form(e)
        if form:
            line = BasisLine(f"Căn cứ {form};", e.id)
            line.problems = check_line(line, registry, day, province)
            out.append(line)
    return out


def check_line(line: BasisLine, registry: Registry, day: _dt.date, province: str | None) -> list[Problem]:
    """The drafting check on one line, as of ``day``: the line must cite exactly the text meant, with
    its date and issuer right, and that text must be in force on the day (a text superseded since
    is right in a decision of its time)."""
    cites = extract_citations(line.text)
    if not cites:
        return [Problem("unknown", f"Không nhận ra văn bản được trích dẫn trong “{line.text}”.")]
    out: list[Problem] = []
    for c in cites[:1]:
        res = registry.lookup(c, province=province or None)
        for p in citation_problems(c, res):
            if p.kind != "superseded":
                out.append(p)
        if res.entry is not None and res.entry.id != line.entry_id:
            out.append(Problem("unknown", f"Dòng căn cứ trỏ tới {res.entry.canonical}, không phải văn bản cần trích dẫn."))
        if res.entry is not None and not in_force(res.entry, day):
            out.append(Problem("superseded", f"Văn bản không còn (hoặc chưa) có hiệu lực vào ngày {day:%d/%m/%Y}."))
    return out
