"""The citations of a text as rows: what `tdkt cite` prints, and what /lookup and /api/lookup show.

Each row is one citation resolved against the registry and checked as a draft
(corpus.draft_check: problems with the right value, the full form of a first mention, papers the
registry cannot know), JSON-ready. The command line and the site both call ``cite_rows``, so they
always agree.
"""
from __future__ import annotations

from typing import Any

from .draft_check import check_draft
from .registry import Registry


def entry_name(registry: Registry, entry_id: str) -> str:
    """"Nghị định 91/2017/NĐ-CP": how a warning names a known document (its id when unknown)."""
    e = registry.get(entry_id)
    return " ".join(x for x in (e.doc_type, e.canonical or e.symbol) if x) if e else entry_id


def cite_rows(text: str, registry: Registry, province: str | None = None) -> list[dict[str, Any]]:
    """One JSON-ready row per citation in ``text``, resolved against ``registry`` and checked as a
    draft. ``province``: the drafter's province, which picks among local documents cited without
    their issuer's name (without it such a citation is ambiguous: every province has a "Kế hoạch số
    12/KH-UBND")."""
    rows = []
    for checked in check_draft(text, registry, province=province or None, name_of=lambda i: entry_name(registry, i)):
        c, res = checked.citation, checked.resolution
        entry = res.entry
        row = {
            "span": [c.start, c.end], "text": c.text, "canonical": c.canonical, "type": c.doc_type,
            "number": c.number, "year": c.year, "date": c.date, "issuer": c.issuer, "pinpoint": c.pinpoint,
            "relation": c.relation, "resolved": (entry.corpus_doc_id or entry.id) if entry else None,
            "status": res.status, "note": "; ".join(n for n in (res.note, c.note) if n) or None,
            "full_form": entry.full_form() if entry else None,
            "first_mention": checked.first_mention, "checkable": checked.checkable,
        }
        if checked.check_note:
            row["check_note"] = checked.check_note
        # "message" as the drafting check names it, "text" as the lookup page shows it: the same words
        row["warnings"] = [p.to_dict() | {"text": p.message} for p in checked.problems]
        if res.status == "superseded":
            row["superseded_by"] = list(entry.status.get("by") or [])
        if res.status == "ambiguous":
            row["candidates"] = [e.id for e in res.candidates]
            row["candidate_details"] = [{"id": e.id, "canonical": e.canonical, "date": e.date, "issuer": e.issuer,
                                         "province": e.province, "title": e.title} for e in res.candidates]
        rows.append(row)
    return rows
