"""Which documents are in force: every corpus document and registry entry gets a full status
(corpus.status.Status) after the citations are resolved.

Steps, after corpus.resolve.derive_statuses (a text's own "… thay thế / hết hiệu lực" clauses):
1. each corpus text's own effect clause gives its effective date ("Nghị định này có hiệu lực thi
   hành từ ngày 01 tháng 7 năm 2025"), and a sunset clause its end ("Nghị định này hết hiệu lực kể
   từ ngày 01 tháng 3 năm 2027");
2. a document a text ends on the day that text takes effect gets that day as its end date;
3. inference (marked ``inferred``): a ministry's circular or decision guiding the thi đua, khen
   thưởng framework, issued under a framework text that has since ended, ends with it (khoản 3 Điều
   154 Luật Ban hành văn bản quy phạm pháp luật 2015: a detailing text ends with the text it
   details); a text based on a framework text in force, that no text of the corpus ends, is in force;
4. a superseded document's articles are mapped to the articles of its successor in the corpus that
   carry the same heading, so its page can link the replacing provision.
The registry editor's statement always wins over steps 2–3 (they only fill what it leaves blank).
"""
from __future__ import annotations

import re

from .models import Document
from .registry import Registry, RegistryEntry
from .status import ENDED_STATES, IN_FORCE, UNKNOWN, Status, effective_clause, parse_date, sunset_clause
from .vntext import fold

# Types whose "hướng dẫn công tác thi đua, khen thưởng ngành …" end with the framework they guide.
_GUIDANCE_TYPES = {"Thông tư", "Thông tư liên tịch", "Quyết định"}
_FRAMEWORK_WORDS = "thi dua, khen thuong"
_WORD = re.compile(r"\w+")


def assign_statuses(docs: list[Document], registry: Registry) -> None:
    """Fill every registry entry's status (dates, replacements, source) and copy it onto each corpus
    document (``Document.status``)."""
    entry_of = {e.corpus_doc_id: e for e in registry.entries if e.corpus_doc_id}
    for doc in docs:                 # a codified copy beside the full text shares its entry
        if doc.id not in entry_of and doc.symbol:
            same = registry.same_document(doc)
            if same is not None:
                entry_of[doc.id] = same
    for doc in docs:
        e = entry_of.get(doc.id)
        if e is not None:
            _own_clauses(doc, e)
    _end_dates(registry)
    for doc in docs:
        e = entry_of.get(doc.id)
        if e is not None and (e.status.get("state") or UNKNOWN) == UNKNOWN:
            _infer(doc, e, registry)
    by_id = {d.id: d for d in docs}
    for doc in docs:
        e = entry_of.get(doc.id)
        if e is None:
            continue
        st = Status.from_dict(e.status | {"effective": e.status.get("effective") or e.effective})
        if st.state in ENDED_STATES:
            successor = _successor_in_corpus(e, registry, by_id)
            st.successor = successor.id if successor else None
            st.provisions = _provisions(doc, successor)
        e.status = _as_registry_status(st)
        doc.status = st.to_dict()


def _as_registry_status(st: Status) -> dict:
    d = st.to_dict()
    d.pop("label", None)
    d["by"] = d.get("replaced_by") or []
    return {k: v for k, v in d.items() if v not in (None, [], "") or k in ("state", "inferred")}


def _own_clauses(doc: Document, e: RegistryEntry) -> None:
    for s in reversed(doc.sections):          # the effect article is near the end
        text = s.text or ""
        if "hiệu lực" not in text:
            continue
        eff = effective_clause(text)
        if eff and not e.status.get("effective") and not e.effective:
            e.status["effective"] = eff[0]
            e.status.setdefault("effective_source", f"{s.label} {doc.doc_type or ''} {doc.symbol or ''}: {eff[1]}".strip())
        sun = sunset_clause(text)
        if sun and not e.status.get("ended"):
            e.status["ended"] = sun[0]
            note = f"{s.label} {doc.doc_type or ''} {doc.symbol or ''}: {sun[1]}".strip()
            e.status["note"] = e.status.get("note") or note


def _effective(e: RegistryEntry) -> str | None:
    return e.status.get("effective") or e.effective


def _end_dates(registry: Registry) -> None:
    """A document ended by another ends on the day that other takes effect."""
    for e in registry.entries:
        if e.status.get("state") not in ENDED_STATES or e.status.get("ended"):
            continue
        ends = sorted(filter(None, (_effective(registry.get(b)) for b in e.status.get("by") or []
                                    if registry.get(b) is not None)))
        if ends:
            e.status["ended"] = ends[0]


def _is_framework(e: RegistryEntry) -> bool:
    return _FRAMEWORK_WORDS in fold(f"{e.title} {' '.join(e.aliases)}")


def _infer(doc: Document, e: RegistryEntry, registry: Registry) -> None:
    """Steps 3: what the framework a text guides says of it."""
    issued = parse_date(e.date)
    cited = {c.target for c in doc.citations if c.target and c.relation not in ("replaces", "repeals")}
    framework = [registry.get(t) for t in sorted(cited)]
    framework = [f for f in framework if f is not None and f.id != e.id and _is_framework(f)
                 and f.doc_type in ("Luật", "Nghị định", "Thông tư")]
    ended = [f for f in framework if f.status.get("state") in ENDED_STATES and f.status.get("ended")
             and issued and issued < parse_date(f.status["ended"])]
    alive = [f for f in framework if f.status.get("state") == IN_FORCE]
    if doc.doc_type in _GUIDANCE_TYPES and ended and not alive and _is_ministry(doc):
        first = max(ended, key=lambda f: f.status["ended"])     # it ends with the last text it guides
        e.status.update({
            "state": "expired", "ended": first.status["ended"], "inferred": True,
            "source": (f"Văn bản hướng dẫn {first.doc_type} {first.canonical}, văn bản này đã hết hiệu lực từ "
                       f"{_vn_date(first.status['ended'])}; văn bản quy định chi tiết hết hiệu lực cùng văn bản "
                       f"được quy định chi tiết (khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015)")})
    elif alive and doc.doc_type not in ("Luật",):
        names = ", ".join(f"{f.doc_type} {f.canonical}" for f in alive[:3])
        e.status.update({
            "state": IN_FORCE, "inferred": True,
            "source": f"Căn cứ {names} đang có hiệu lực; không văn bản nào trong kho thay thế hoặc bãi bỏ văn bản này"})


def _is_ministry(doc: Document) -> bool:
    """A central ministry's or sector's text (not a province's)."""
    return not doc.province and bool(doc.symbol) and not re.search(r"UBND|HĐND", doc.symbol or "")


def _vn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d):02d}/{int(m):02d}/{y}"


def _successor_in_corpus(e: RegistryEntry, registry: Registry, by_id: dict[str, Document]) -> Document | None:
    """The first document of the chain of replacements that the corpus holds (91/2017 → 98/2023,
    not in the corpus → 152/2025)."""
    seen, todo = {e.id}, list(e.status.get("by") or [])
    while todo:
        nxt = registry.get(todo.pop(0))
        if nxt is None or nxt.id in seen:
            continue
        seen.add(nxt.id)
        if nxt.corpus_doc_id and nxt.corpus_doc_id in by_id and nxt.status.get("state") not in ENDED_STATES:
            return by_id[nxt.corpus_doc_id]
        todo += list(nxt.status.get("by") or [])
    return None


def _words(heading: str) -> set[str]:
    return {w for w in _WORD.findall(fold(heading)) if len(w) > 1}


# Two articles' headings must share this share of their words to map one onto the other.
PROVISION_MATCH = 0.6


def _provisions(old: Document, new: Document | None) -> list[dict[str, str]]:
    """Article → article of the successor with (nearly) the same heading, each the other's best
    match: "Huân chương Chiến công" must not map onto "Huân chương Quân công" when the old decree's
    own "Quân công" article matches it better."""
    if new is None:
        return []
    targets = [(t, _words(t.heading)) for t in new.sections if t.kind == "dieu" and t.heading]
    sources = [(s, _words(s.heading)) for s in old.sections if s.kind == "dieu" and s.heading]

    def jaccard(a: set[str], b: set[str]) -> float:
        return len(a & b) / max(1, len(a | b))

    def best(words: set[str], among):
        scored = [(jaccard(words, w), i) for i, (_, w) in enumerate(among)]
        return max(scored, default=(0.0, -1))

    out = []
    for s, mine in sources:
        score, ti = best(mine, targets)
        if ti < 0 or score < PROVISION_MATCH:
            continue
        t, theirs = targets[ti]
        if sources[best(theirs, sources)[1]][0].id != s.id:
            continue
        out.append({"section": s.id, "label": s.label, "by": new.id, "by_section": t.id,
                    "by_label": t.label, "by_heading": t.heading})
    return out
