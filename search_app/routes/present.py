"""Turning the library's objects into what the pages and the JSON API show.

The lower layers hand back typed objects (Document, RegistryEntry, Status, graph edges, search
results); the pages and the API want dicts with Vietnamese labels (routes/api_models.py declares them). Everything here is pure and small, so
the templates stay free of logic.
"""
from __future__ import annotations

from datetime import date as _date
from typing import Any, Iterable

from markupsafe import Markup, escape

from corpus.graph import Edge
from corpus.models import Document, PartialDate
from corpus.status import ENDED_STATES, LABELS, UNKNOWN, Status, state_on

# The relations a citation can carry, in the order the panels list them, with their label.
RELATIONS: list[tuple[str, str]] = [
    ("basis", "Căn cứ"),
    ("implements", "Thực hiện"),
    ("guides", "Hướng dẫn"),
    ("amends", "Sửa đổi, bổ sung"),
    ("replaces", "Thay thế"),
    ("repeals", "Bãi bỏ"),
    ("attached_to", "Kèm theo"),
    ("forwards", "Chuyển tiếp"),
    ("mentions", "Nhắc đến"),
]
RELATION_LABEL = dict(RELATIONS)

# The document page's "Lược đồ" tab: each relation read from this document (what it does to others)
# and towards it (what others do to it), as the legal portals name them; in this order.
SCHEMA_RELATIONS: list[tuple[str, str, str]] = [
    ("basis", "Căn cứ", "Là căn cứ của"),
    ("guides", "Hướng dẫn", "Được hướng dẫn bởi"),
    ("amends", "Sửa đổi, bổ sung", "Bị sửa đổi, bổ sung bởi"),
    ("replaces", "Thay thế", "Bị thay thế bởi"),
    ("repeals", "Bãi bỏ", "Bị bãi bỏ bởi"),
    ("implements", "Thực hiện", "Được thực hiện bởi"),
    ("attached_to", "Kèm theo", "Có văn bản kèm theo"),
    ("forwards", "Chuyển tiếp", "Được chuyển tiếp bởi"),
    ("mentions", "Dẫn chiếu", "Được dẫn chiếu bởi"),
]

STATUS_LABEL = {
    "in_corpus": "có trong kho",
    "known": "đã biết (ngoài kho)",
    "unknown": "không rõ",
    "ambiguous": "không xác định được (nhiều văn bản cùng số)",
    "superseded": "đã bị thay thế / hết hiệu lực",
    "in_force": "còn hiệu lực",
    "expired": "hết hiệu lực",
    "partly_amended": "đã được sửa đổi một phần",
}

# A document's legal state (corpus.status) → the class of its badge: green in force, grey unknown,
# red superseded, orange expired, blue not yet in force.
STATE_CLASS = {"in_force": "in-force", "partly_amended": "amended", "superseded": "superseded",
               "expired": "expired", "not_yet_in_force": "not-yet", "unknown": "unknown"}


def status_badge(status: Status | dict[str, Any] | None, day: _date | None = None, state: str | None = None) -> dict[str, Any]:
    """The badge of a document's status: its state on ``day`` (default today; ``state`` when the
    searcher already knows it), the Vietnamese label, and a title with the dates, the source clause
    and "(suy luận)" when the status was inferred rather than stated by a text."""
    st = status if isinstance(status, Status) else Status.from_dict(status or {})
    state = state if state in LABELS else state_on(st, day)
    title = []
    if day is not None and day != _date.today():
        title.append(f"Tình trạng tại ngày {day.day:02d}/{day.month:02d}/{day.year}")
    if st.effective:
        title.append(f"có hiệu lực từ {display_date(st.effective)}")
    if st.ended:
        title.append(f"hết hiệu lực từ {display_date(st.ended)}")
    if st.source:
        title.append(f"Nguồn: {st.source}")
    if st.inferred:
        title.append("(suy luận)")
    return {"state": state, "label": LABELS.get(state, LABELS[UNKNOWN]), "css": STATE_CLASS.get(state, "unknown"),
            "title": " · ".join(title) or "Chưa có thông tin về hiệu lực của văn bản này",
            "inferred": st.inferred, "ended": state in ENDED_STATES}


def compact_status(status: Status | dict[str, Any] | None) -> dict[str, Any]:
    """The status object without its article-by-article mapping (for lists of results)."""
    st = status if isinstance(status, Status) else Status.from_dict(status or {})
    d = st.to_dict()
    d.pop("provisions", None)
    return d


FACET_LABEL = {"doc_type": "Loại văn bản", "type": "Loại văn bản", "province": "Tỉnh/thành",
               "issuer": "Cơ quan ban hành", "year": "Năm"}


def display_date(value: Any) -> str:
    """"2014-04-07" / PartialDate / {"year":…} → "07/4/2014" as Vietnamese texts write it."""
    if not value:
        return ""
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return f"{parts[2]}/{int(parts[1])}/{parts[0]}"
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            return f"…/{int(parts[1])}/{parts[0]}"
        return value
    if isinstance(value, _date):
        return f"{value.day:02d}/{value.month}/{value.year}"
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, dict) and value.get("year"):
        d, m = value.get("day"), value.get("month")
        return f"{str(d).zfill(2) if d else '…'}/{m or '…'}/{value['year']}"
    return str(value)


def relation_groups(grouped: dict[str, list[Edge]]) -> list[dict[str, Any]]:
    """The graph's edges by relation (CitationGraph.cites / cited_by) → [{relation, label, items}]
    in the panel order."""
    order = [r for r, _ in RELATIONS] + sorted(set(grouped) - set(RELATION_LABEL))
    return [{"relation": r, "label": RELATION_LABEL.get(r, r), "items": list(grouped[r])}
            for r in order if grouped.get(r)]


def snippet_html(snippet: Any) -> Markup:
    """A search snippet with its hits in <mark>, escaped.

    The searcher may give [(text, is_hit), …] pieces, or a string marked with <mark>…</mark> or
    «…»; in every case the text is escaped first and only our own <mark> tags are put back.
    """
    if snippet is None:
        return Markup("")
    if isinstance(snippet, (list, tuple)):
        out = []
        for piece in snippet:
            text, hit = (piece[0], bool(piece[1])) if isinstance(piece, (list, tuple)) else (str(piece), False)
            out.append(Markup("<mark>%s</mark>") % text if hit else escape(text))
        return Markup("").join(out)
    escaped = str(escape(str(snippet)))
    for raw, tag in (("&lt;mark&gt;", "<mark>"), ("&lt;/mark&gt;", "</mark>"), ("«", "<mark>"), ("»", "</mark>")):
        escaped = escaped.replace(raw, tag)
    if escaped.count("<mark>") != escaped.count("</mark>"):  # never leave an open tag on the page
        escaped = escaped.replace("<mark>", "").replace("</mark>", "")
    return Markup(escaped)


def doc_meta(doc: Document) -> dict[str, Any]:
    """The metadata block of a document page, in the order the legal portals show it."""
    rows = [
        ("Số hiệu", doc.symbol or ("(chưa ghi số)" if doc.symbol is None else doc.symbol)),
        ("Loại văn bản", doc.doc_type),
        ("Cơ quan ban hành", doc.issuer),
        ("Người ký", " – ".join(x for x in (doc.signer_capacity, doc.signer) if x) or None),
        ("Ngày ban hành", display_date(doc.date)),
        ("Nơi ban hành", doc.place),
        ("Tỉnh/thành", doc.province),
    ]
    return {"rows": [(k, v) for k, v in rows if v], "title": doc.title, "codified": doc.codified, "draft": doc.draft,
            "provenance": doc.provenance or {}, "source_file": doc.source_file}


def doc_label(m: dict[str, Any]) -> str:
    """"Kế hoạch 200/KH-UBND" — how a document is named in lists and boxes (a metadata row, a
    registry entry's or a graph node's dict)."""
    parts = [m.get("doc_type") or "", m.get("symbol") or m.get("canonical") or ""]
    label = " ".join(p for p in parts if p).strip()
    return label or m.get("title") or m.get("id") or ""


def uniq(items: Iterable[Any]) -> list[Any]:
    seen, out = set(), []
    for it in items:
        key = repr(it)
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out
