"""The award file: for one award, recipient kind, date and province, everything an officer puts in
the proposal and the decision — criteria, who decides and proposes, the dossier and its copies,
deadlines, ratio limits, money, prerequisites (each a quoted, linked provision of a text in force
on the date) and the "Căn cứ" block.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from corpus.errors import UserError
from corpus.registry import Registry
from corpus.vntext import fold

from .basis import basis_lines
from .catalogue import FACT_KINDS, RECIPIENTS, Award, Catalogue, Fact, default_catalogue, glossary_abbreviations
from .pointers import Corpus, Located, locate_all

# How long a quoted provision's surrounding text may be in the answer (the page shows it folded).
CONTEXT_CHARS = 1200

Link = Callable[[str, str | None], str]


def fact_item(fact: Fact, where: Located | None, link: Link | None) -> dict[str, Any]:
    return {
        "doc": fact.doc, "article": fact.article, "clause": fact.clause, "text": fact.quote,
        "url": link(where.doc_id, where.section_id) if (where and link) else None,
        "note": fact.note, "for": list(fact.recipients) or None,
        "valid_from": fact.source.start, "valid_until": fact.source.end, "province": fact.source.province,
        "doc_id": where.doc_id if where else None, "section_id": where.section_id if where else None,
        "context": where.text[:CONTEXT_CHARS] if where else None,
    }


def _notices(award: Award, cat: Catalogue, day: _dt.date, province: str | None, facts: list[Fact]) -> list[str]:
    out = []
    for s in cat.sources.values():
        if not s.in_corpus and s.applies_on(day, province):
            out.append(f"Vào ngày {day:%d/%m/%Y} áp dụng Nghị định {s.symbol}" if "NĐ" in s.symbol else
                       f"Vào ngày {day:%d/%m/%Y} áp dụng {s.symbol}")
            out[-1] += ": văn bản này không có trong kho, các quy định chi tiết của nó không được liệt kê."
    if province and not any(s.province and fold(s.province) == fold(province) for s in cat.sources.values()):
        out.append(f"Kho văn bản chưa có quy định về thi đua, khen thưởng của tỉnh {province}: số lượng hồ sơ, "
                   "thời hạn và tiêu chuẩn chi tiết do tỉnh quy định (khoản 6 Điều 84, khoản 6 Điều 74 Luật Thi đua, khen thưởng).")
    elif province and any(s.province and fold(s.province) == fold(province) and not s.applies_on(day, province)
                          for s in cat.sources.values()):
        out.append(f"Quy định riêng của tỉnh {province} trong kho chưa (hoặc không còn) áp dụng vào ngày {day:%d/%m/%Y}.")
    provincial_rules = any(s.province and s.applies_on(day, province) for s in cat.sources.values())
    for fact, t in cat.transitions:
        inside = (not t["from"] or day >= _dt.date.fromisoformat(t["from"])) and \
                 (not t["until"] or day <= _dt.date.fromisoformat(t["until"]))
        if inside and not (t["unless_province_rules"] and provincial_rules):
            out.append(f"{t['message']} ({fact.clause} {fact.article} {fact.doc})")
    if not any(f.kind == "criteria" for f in facts):
        out.append(f"Danh mục chưa có tiêu chuẩn của “{award.name}” áp dụng vào ngày {day:%d/%m/%Y}.")
    return out


def award_file(corpus: Corpus, registry: Registry, award_name: str, recipient: str, day: _dt.date,
               province: str | None = None, catalogue: Catalogue | None = None,
               link: Link | None = None) -> dict[str, Any]:
    """The award file as a JSON-ready dict (keys: award, criteria … prerequisites, basis, notices)."""
    cat = catalogue or default_catalogue()
    award = cat.find(award_name, glossary_abbreviations())
    if recipient not in award.recipients:
        allowed = ", ".join(f"{r} ({RECIPIENTS[r]})" for r in award.recipients)
        raise UserError(f"“{award.name}” is not awarded to {recipient} ({RECIPIENTS.get(recipient, '?')}): it is for {allowed}")
    facts = award.facts_on(day, recipient, province)
    found = locate_all(corpus, [f for f in facts if f.source.in_corpus])
    out: dict[str, Any] = {
        "award": {"name": award.name, "asked": award_name,
                  "decision_name": (award.provincial_name if province and award.provincial_name else award.name), "category": award.category, "level": award.level,
                  "recipient": recipient, "recipient_label": RECIPIENTS[recipient], "date": day.isoformat(),
                  "province": province or None, "recipients": list(award.recipients)},
    }
    for kind in FACT_KINDS:
        out[kind] = [fact_item(f, found.get(f), link) for f in facts if f.kind == kind]
    lines = basis_lines(cat, registry, day, province)
    out["basis"] = [line.text for line in lines]
    out["basis_check"] = [line.to_dict() for line in lines]
    out["notices"] = _notices(award, cat, day, province, facts)
    return out
