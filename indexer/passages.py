"""Passages: the retrieval units cut from a Document (one per article / small section, plus one per
whole document), each carrying its document's metadata so a search result is self-contained.

Why articles as units: officers (and the public legal benchmarks) ask for "the article that says
…"; a khoản or điểm alone lacks its article's heading, and a whole law is too long to embed. An
"Điều" therefore becomes one passage with all its khoản/điểm; in plans and directives (I., 1., a))
a section whose whole subtree is short becomes one passage, a long one keeps its own text and its
children become passages of their own.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from corpus.models import Document, Section

# A subtree shorter than this (characters) is kept as one passage with its children.
MERGE_CHARS = 1500
# Own text shorter than this (after the heading) is not worth a passage on its own.
MIN_OWN_CHARS = 40
# Section kinds that are always one passage with everything under them.
WHOLE_KINDS = {"dieu"}


@dataclass
class Passage:
    """One retrieval unit with its document's metadata."""

    id: str                      # f"{doc_id}#{section_id}"; whole document: f"{doc_id}#"
    doc_id: str
    section_id: str
    doc_type: str | None = None
    type_code: str | None = None
    number: str | None = None
    symbol: str | None = None
    title: str = ""
    issuer: str | None = None
    province: str | None = None
    year: int | None = None
    date: str | None = None
    heading: str = ""            # "Điều 23. Danh hiệu “Chiến sĩ thi đua cơ sở”"
    breadcrumb: list[str] = field(default_factory=list)
    text: str = ""               # what gets embedded and indexed: context line, heading, then body
    body: str = ""               # the section's display text (original spelling) with merged children
    cites: list[str] = field(default_factory=list)
    codified: bool = False
    content_hash: str = ""       # sha256 of embed_text()
    url: str = ""
    label: str = ""              # the section's marker as written ("Điều 23", "II.", "a)")
    issuer_code: str | None = None   # "UBND", "BTP" … (who issued it: applicability in ranking)
    status: str = "unknown"      # its document's state (corpus.status.STATES) as built
    effective: str | None = None # ISO dates its document took effect / ended: its state on any date
    ended: str | None = None
    successor: str | None = None # a superseded document's successor in the corpus (ranks above it)
    same_group: str | None = None   # near-identical passages of other documents share this key (near_dup.py)

    def context(self) -> str:
        """The line that situates the passage: document and breadcrumb."""
        doc = " ".join(x for x in (self.doc_type or "", self.symbol or "") if x)
        # the breadcrumb's last piece is usually the heading itself: not twice
        parts = [doc] + [b for b in self.breadcrumb if b and not self.heading.startswith(b)]
        return " › ".join(p for p in parts if p)

    def compose(self) -> str:
        """The passage text: the line situating it (document › breadcrumb), its heading (or the
        document's title for a whole-document passage), then its body — an embedder reading only
        the body of "1. Đạt tiêu chuẩn…" would not know which title it is about."""
        head = [self.context(), self.title if not self.section_id else "", self.heading]
        lines = []
        for x in head + [self.body]:
            if x and x not in lines:
                lines.append(x)
        return "\n".join(lines).strip()

    def embed_text(self) -> str:
        """What the embedder reads (the embedders cut it to their window)."""
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Passage":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finish(p: Passage) -> Passage:
    """Fill the derived fields (text, content hash, url)."""
    p.text = p.compose()
    p.content_hash = sha256(p.text)
    p.url = f"/doc/{p.doc_id}#{p.section_id}"
    return p


def _meta(doc: Document) -> dict[str, Any]:
    return dict(
        doc_id=doc.id, **doc.meta() | {"title": doc.title or ""}, status=(doc.status or {}).get("state") or "unknown",
        effective=(doc.status or {}).get("effective"), ended=(doc.status or {}).get("ended"),
        successor=(doc.status or {}).get("successor"),
    )


def _heading(s: Section) -> str:
    """"Điều 5. Tên", "I. MỤC ĐÍCH", "a) …": the label's own punctuation is kept, never doubled."""
    if not s.heading:
        return s.label
    sep = " " if s.label.endswith((".", ")")) or not s.label else ". "
    return f"{s.label}{sep}{s.heading}".strip()


def _cites_by_section(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in doc.citations:
        key = c.target or c.canonical
        if c.section_id and key and key not in out.setdefault(c.section_id, []):
            out[c.section_id].append(key)
    return out


def passages_from_document(doc: Document) -> list[Passage]:
    """One passage per article / short section (with its children) / long section's own text,
    plus one whole-document passage (type, symbol, title, issuer, date)."""
    meta = _meta(doc)
    children: dict[str | None, list[Section]] = {}
    known = {s.id for s in doc.sections}
    for s in doc.sections:
        children.setdefault(s.parent if s.parent in known else None, []).append(s)
    cites = _cites_by_section(doc)
    out: list[Passage] = []

    def subtree(s: Section) -> tuple[str, list[str]]:
        lines = [s.text.strip()] if s.text.strip() else []
        ids = [s.id]
        for c in children.get(s.id, []):
            t, sub_ids = subtree(c)
            label = _heading(c)
            lines.append(f"{label} {t}".strip() if c.kind not in WHOLE_KINDS else f"{label}\n{t}".strip())
            ids += sub_ids
        return "\n".join(x for x in lines if x), ids

    def emit(s: Section, text: str, ids: list[str]) -> None:
        sc: list[str] = []
        for i in ids:
            sc += [c for c in cites.get(i, []) if c not in sc]
        crumbs = list(s.breadcrumb) or [_heading(s)]
        out.append(finish(Passage(id=f"{doc.id}#{s.id}", section_id=s.id, heading=_heading(s),
                                  breadcrumb=crumbs, body=text, cites=sc, label=s.label, **meta)))

    def has_article(s: Section) -> bool:
        return any(c.kind in WHOLE_KINDS or has_article(c) for c in children.get(s.id, []))

    def walk(s: Section) -> None:
        kids = children.get(s.id, [])
        text, ids = subtree(s)
        # an article is always a passage of its own, never merged into a short Mục or Chương
        if s.kind in WHOLE_KINDS or not kids or (len(text) <= MERGE_CHARS and not has_article(s)):
            if text or s.heading:
                emit(s, text, ids)
            return
        own = s.text.strip()
        if len(own) >= MIN_OWN_CHARS:
            emit(s, own, [s.id])
        for c in kids:
            walk(c)

    for s in children.get(None, []):
        walk(s)
    whole = " ".join(x for x in (doc.doc_type or "", doc.symbol or "", doc.title or "") if x)
    facts = [whole, doc.issuer or "", f"ngày {doc.date.display()}" if doc.date and doc.date.year else ""]
    out.insert(0, finish(Passage(id=f"{doc.id}#", section_id="", heading=doc.title or whole,
                                 breadcrumb=[], body="\n".join(x for x in facts if x),
                                 cites=list(dict.fromkeys(c for v in cites.values() for c in v))[:50], **meta)))
    return out


# Fields a document's passages share (one string held for all of them, not one copy each).
SHARED_FIELDS = ("doc_id", "doc_type", "type_code", "number", "symbol", "title", "issuer", "province", "date",
                 "label", "issuer_code", "status", "effective", "ended", "successor", "same_group")


class StoredPassage(Passage):
    """A passage read back from a built knowledge base (``read_passage``). Its ``text`` is nearly
    always ``compose()`` of its other fields — its body again, after the lines situating it — so it
    is not held a second time but composed when read (at 100k sections the second copy was 150 MB
    of a server's memory; the server reads ``text`` only to embed a passage or when the body is
    empty). A text that is not its composition is kept as it was."""

    @property
    def text(self) -> str:  # type: ignore[override]
        t = self.__dict__.get("_text")
        return self.compose() if t is None else t

    @text.setter
    def text(self, value: str) -> None:
        self.__dict__["_text"] = value


def read_passage(data: dict[str, Any], shared: dict[str, str] | None = None) -> Passage:
    """The passage of one line of passages.jsonl, holding as little as it can: its text composed
    when read (StoredPassage), the strings its document's passages share held once through
    ``shared`` (a dict the caller keeps for one load)."""
    p = StoredPassage.from_dict(data)
    if shared is not None:
        for name in SHARED_FIELDS:
            v = p.__dict__.get(name)
            if isinstance(v, str):
                p.__dict__[name] = shared.setdefault(v, v)
        if p.breadcrumb:
            p.breadcrumb = [shared.setdefault(b, b) if isinstance(b, str) else b for b in p.breadcrumb]
    if p.__dict__.get("_text") == p.compose():
        p.__dict__["_text"] = None
    return p
