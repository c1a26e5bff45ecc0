"""The document model: what the parser produces and every later layer reads.

Every model serialises to plain JSON (``to_dict``) and back (``from_dict``); the JSON written by
``tdkt build`` into ``<kb>/documents/<id>.json`` is exactly ``Document.to_dict()``. Field meanings
are documented in docs/MODEL.md; keep the two in step.

Offsets: ``Section.text`` is the section's own cleaned display text (original spelling, NFC).
``Citation.start``/``end`` are offsets into the text of the section named by ``section_id``, or
into its heading or a footnote when ``part`` says so (or into the input text for ``tdkt cite``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypedDict


def _from(cls, data: dict[str, Any]):
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class PartialDate:
    """A date of issue as written; any part may be blank in the source ("ngày   tháng 9 năm 2024")."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def complete(self) -> bool:
        return None not in (self.year, self.month, self.day)

    def iso(self) -> str | None:
        """ISO form when complete ("2021-10-09"), else the known prefix ("2024-09") or None."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Vietnamese short form as documents write it: 09/10/2021, or "…/9/2024" when partial."""
        d = str(self.day) if self.day else "…"
        m = str(self.month) if self.month else "…"
        y = str(self.year) if self.year else "…"
        return f"{d.zfill(2) if self.day else d}/{m}/{y}"

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "PartialDate | None":
        return None if data is None else _from(cls, data)


@dataclass
class Citation:
    """One reference to a Vietnamese document found in a text."""

    start: int
    end: int
    text: str                      # exact span as written in the source
    doc_type: str | None = None    # "Chỉ thị", "Nghị định", "Luật" …
    number: str | None = None      # "34", "91", "1657"
    year: int | None = None        # from the symbol or the date
    symbol: str | None = None      # as written, spacing normalised: "34-CT/TW"
    canonical: str | None = None   # "34-CT/TW", "91/2017/NĐ-CP", or a law's name when cited by name
    date: str | None = None        # ISO date when given ("2014-04-07")
    issuer: str | None = None      # issuing body as written ("Bộ Chính trị")
    pinpoint: str | None = None    # "điểm a khoản 1 Điều 24", "Mẫu số 08"
    relation: str | None = None    # basis | implements | amends | repeals | replaces | attached_to | guides | mentions
    section_id: str | None = None  # section of the citing document
    target: str | None = None      # resolved document id (registry id) or None
    status: str | None = None      # in_corpus | known | unknown | ambiguous | superseded
    note: str | None = None        # why unresolved / ambiguous candidates / superseded by …
    short_form: bool = False       # "Chỉ thị 34", "Kế hoạch này": resolved against an earlier citation
    part: str = "text"             # what start/end point into: the section's "text", its "heading", or a "footnote"
    footnote: int | None = None    # with part "footnote": the index of that footnote in Document.footnotes

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Citation":
        return _from(cls, data)


@dataclass
class Footnote:
    """A footnote: its marker as printed (¹, 2, *), its text, and where it is referenced."""

    marker: str
    text: str
    section_id: str | None = None          # the section holding the reference mark
    ref_sections: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Footnote":
        return _from(cls, data)


@dataclass
class Table:
    """A table recovered as rows of cells (not word soup)."""

    id: str
    section_id: str | None
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Table":
        return _from(cls, data)


@dataclass
class Section:
    """A node of the document's hierarchy: Phần, Chương, Mục, Điều, khoản, điểm, I., 1., 1.1., a), -."""

    id: str                          # stable within the document: [a-z0-9._-]+, e.g. "chuong-2.dieu-5.k1"
    kind: str                        # phan | chuong | muc | dieu | khoan | diem | roman | numbered | lettered | dash | preamble | body | closing | appendix | table
    label: str                       # the marker as written: "Điều 5", "II.", "2.1.", "a)"
    heading: str                     # the heading text after the label ("Tiêu chuẩn …"), may be ""
    text: str                        # the section's own text (not its children's), display form
    level: int = 0
    parent: str | None = None
    path: list[str] = field(default_factory=list)        # ids from the root down to this section
    breadcrumb: list[str] = field(default_factory=list)  # "Chương II › Điều 5" pieces
    footnotes: list[str] = field(default_factory=list)   # markers referenced in this section

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Section":
        return _from(cls, data)


@dataclass
class Document:
    """One document as the knowledge base knows it."""

    id: str                                   # [a-z0-9-]+, stable across builds
    source_file: str                          # path under corpus/documents/
    doc_type: str | None = None               # "Kế hoạch", "Công văn" …
    type_code: str | None = None              # "KH", "CV" …
    number: str | None = None                 # "200"; None when blank in the source
    symbol: str | None = None                 # "200/KH-UBND" (as written, spacing normalised)
    issuer: str | None = None                 # "Ủy ban nhân dân tỉnh Lạng Sơn"
    issuer_code: str | None = None            # "UBND"
    province: str | None = None               # "Lạng Sơn"
    place: str | None = None                  # "Lạng Sơn" from "Lạng Sơn, ngày …"
    date: PartialDate | None = None
    title: str = ""                           # trích yếu
    signer: str | None = None
    signer_capacity: str | None = None        # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    recipients: list[str] = field(default_factory=list)
    codified: bool = False                    # only the codified articles (Bộ pháp điển), not a full text
    draft: bool = False                       # "Dự thảo"
    provenance: dict[str, Any] = field(default_factory=dict)   # repository, path, commit, what it is
    links: list[dict[str, str]] = field(default_factory=list)  # {"relation": "attached_to"|"forwards"|…, "target": id}
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    content_hash: str = ""                    # sha256 of the raw source bytes (of the file)
    status: dict[str, Any] = field(default_factory=dict)   # corpus.status.Status.to_dict(), set at resolve

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def citation_source(self, c: Citation) -> str | None:
        """The text ``c``'s offsets point into (its section's text, heading or footnote), or None
        when that text does not hold ``c.text`` at those offsets (a knowledge base built before
        ``part`` existed, or a citation edited by hand): a span is never shown out of place."""
        if c.part == "footnote":
            note = self.footnotes[c.footnote] if c.footnote is not None and 0 <= c.footnote < len(self.footnotes) else None
            text = note.text if note else None
        else:
            sec = self.section(c.section_id) if c.section_id else None
            text = (sec.heading if c.part == "heading" else sec.text) if sec else None
        return text if text is not None and 0 <= c.start < c.end <= len(text) and text[c.start:c.end] == c.text else None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d

    def meta(self) -> dict[str, Any]:
        """The document's metadata of META_FIELDS as JSON values (date as ISO): what a passage
        copies of its document and what lists and facets read without loading it."""
        return {name: (self.date.iso() if self.date else None) if name == "date" else getattr(self, name)
                for name in META_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        doc = _from(cls, data)
        doc.date = PartialDate.from_dict(data.get("date"))
        doc.sections = [Section.from_dict(s) for s in data.get("sections", [])]
        doc.footnotes = [Footnote.from_dict(f) for f in data.get("footnotes", [])]
        doc.tables = [Table.from_dict(t) for t in data.get("tables", [])]
        doc.citations = [Citation.from_dict(c) for c in data.get("citations", [])]
        return doc


# The fields of a document's header, as corpus.metadata reads them (its Meta is derived from these
# fields of Document) and the parser copies them onto the Document.
HEADER_FIELDS = ("doc_type", "type_code", "number", "symbol", "issuer", "issuer_code", "province", "place", "date",
                 "title", "signer", "signer_capacity", "recipients", "draft")
# The document's metadata a passage carries (indexer.passages.Passage has each of them) and the
# knowledge base's list of documents holds (indexer.kb_layout.document_meta): Document.meta().
META_FIELDS = ("doc_type", "type_code", "number", "symbol", "title", "issuer", "issuer_code", "province", "date",
               "year", "codified")



class DocumentMeta(TypedDict):
    """A corpus document's row in the knowledge base's list of documents (indexer.kb_layout.
    document_meta; KnowledgeBase.documents_meta / corpus_meta): its id, META_FIELDS, and what lists
    need besides. tests/test_model_fields.py keeps the keys in step with META_FIELDS."""
    id: str
    doc_type: str | None
    type_code: str | None
    number: str | None
    symbol: str | None
    title: str
    issuer: str | None
    issuer_code: str | None
    province: str | None
    date: str | None            # ISO (partial dates as far as known)
    year: int | None
    codified: bool
    draft: bool
    source_file: str
    sections: int
