"""Raw corpus file → Documents: decode → clean → footnotes out → re-join wraps → split → per
document: tables, structure, metadata, footnotes linked, links between documents of one file.

Bad input never crashes: a refused file raises SourceError (empty, binary, undecodable, too big);
every other problem becomes a warning naming the file, and the good data around it is kept.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import clean, footnotes, metadata, split, structure, tables
from .decode import MAX_BYTES, decode_bytes_with_warnings, size_problem
from .errors import SourceError
from .ids import document_id
from .models import Document, HEADER_FIELDS, Section
from .sources import SourceFile
from .vocab import issuer_by_code


@dataclass
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_source(source: SourceFile | Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, refusing oversized files before reading them (stat first, bounded read).
    A plain path is accepted too (named by its file name in errors)."""
    return _read(source, max_bytes)[0]


def _read(source: SourceFile | Path, max_bytes: int = MAX_BYTES) -> tuple[str, list[str], bytes]:
    if not isinstance(source, SourceFile):
        source = SourceFile(path=Path(source), rel=Path(source).name)
    try:
        size = source.path.stat().st_size
    except OSError as exc:
        raise SourceError(source.rel, f"cannot be read ({exc.strerror or exc})") from exc
    problem = size_problem(size, max_bytes)
    if problem:
        raise SourceError(source.rel, problem)
    with open(source.path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    text, warnings = decode_bytes_with_warnings(data, source.rel, max_bytes)
    return text, warnings, data


def parse_file(source: SourceFile) -> ParseResult:
    """Parse one corpus file; SourceError for refused files, warnings for everything else."""
    text, warnings, data = _read(source)
    result = parse_text(text, source.rel, provenance=source.provenance, codified=source.codified)
    digest = hashlib.sha256(data).hexdigest()
    for doc in result.documents:
        doc.content_hash = digest
    result.warnings[:0] = warnings
    return result


def parse_text(text: str, rel: str, provenance: dict | None = None, codified: bool = False) -> ParseResult:
    """Parse decoded text of the file ``rel`` (a path under corpus/documents/) into Documents."""
    result = ParseResult()
    try:
        _parse(text, rel, provenance or {}, codified, result)
    except Exception as exc:  # noqa: BLE001 - last line of defence: keep the text, report the problem
        result.warnings.append(f"{rel}: parser error ({type(exc).__name__}: {exc}); kept the text unstructured")
        result.documents = [_fallback(text, rel, provenance or {}, codified)]
    return result


def _parse(text: str, rel: str, provenance: dict, codified: bool, result: ParseResult) -> None:
    # codified copies are recognised by their header line even outside phapdien_29_1/ (12_2019_TT-BNV.txt)
    codified = codified or bool(re.search(r"^Ngày ban hành:.*\|\s*Cơ quan ban hành:", text[:3000], re.MULTILINE))
    prepared = clean.prepare_lines(text)
    cleaning: list[str] = []      # what cleaning changed: on the result and on the file's first document
    if prepared.chrome:
        cleaning.append(f"{rel}: dropped {len(prepared.chrome)} line(s) of web-page chrome: "
                        + "; ".join(prepared.chrome[:5]))
    if prepared.repaired:
        cleaning.append(f"{rel}: repaired {prepared.repaired} word(s) glued together without a space: "
                        + "; ".join(f"'{a}' → '{b}'" for a, b in prepared.repair_examples[:5]))
    result.warnings.extend(cleaning)
    consolidated = "VBHN" in text or "hợp nhất" in text[:3000].lower()
    lines, notes = footnotes.pull_notes(prepared.lines, consolidated)
    lines, _wrapped = clean.join_wrapped(lines)
    ranges = split.split_documents(lines)
    stem = str(PurePosixPath(rel).with_suffix(""))
    docs: list[tuple[Document, metadata.Meta]] = []
    for k, (a, b) in enumerate(ranges):
        chunk = lines[a:b]
        own_notes = notes if k == 0 else []   # notes are rare in multi-document files; keep them on the first
        doc, meta = _document(chunk, own_notes, rel, stem, k, provenance, codified, consolidated)
        docs.append((doc, meta))
    if docs:
        docs[0][0].warnings.extend(cleaning)   # the chrome and spacing warnings, on the file's first document
    _link(docs, result, rel)
    for doc, _ in docs:
        _check(doc, result, rel)
        result.documents.append(doc)


def _document(chunk: list[str], notes, rel: str, stem: str, k: int, provenance: dict, codified: bool,
              consolidated: bool) -> tuple[Document, metadata.Meta]:
    items = tables.extract_tables(chunk)
    outline = structure.build_outline(items, consolidated=consolidated, codified=codified)
    meta = metadata.extract(chunk, codified=codified)
    doc = Document(id="", source_file=rel, codified=codified, provenance=dict(provenance))
    _apply(doc, meta)
    doc.sections = outline.sections
    doc.tables = outline.tables
    doc.footnotes = footnotes.link_notes(notes, outline.sections, outline.glued_notes)
    for marker, sid in outline.glued_notes.items():   # the reference is kept even when the note lost its number
        sec = next(x for x in outline.sections if x.id == sid)
        if marker not in sec.footnotes:
            sec.footnotes.append(marker)
    suffix = "" if k == 0 else f"-{k + 1}"
    doc.id = document_id(doc.symbol if doc.number else None, doc.year, fallback=stem + suffix)
    return doc, meta


def _apply(doc: Document, meta: metadata.Meta) -> None:
    for name in HEADER_FIELDS:
        setattr(doc, name, getattr(meta, name))


def _link(docs: list[tuple[Document, metadata.Meta]], result: ParseResult, rel: str) -> None:
    """Cover letter → forwarded document; decision → attached regulation; attachment → its decision."""
    first = docs[0][0] if docs else None
    for k, (doc, meta) in enumerate(docs):
        att = meta.attached_to
        if k == 0:
            if att and att.get("symbol"):
                _inherit_from_attachment_line(doc, att)
                target = document_id(att["symbol"], (att["date"].year if att.get("date") else None),
                                     fallback=att["symbol"])
                doc.links.append({"relation": "attached_to", "target": target})
            continue
        if first.doc_type == "Công văn":
            _inherit_from_cover_letter(doc, first, result, rel)
            first.links.append({"relation": "forwards", "target": doc.id})
        else:
            _inherit_from_parent(doc, first, att)
            first.links.append({"relation": "issues", "target": doc.id})
        doc.links.append({"relation": "attached_to", "target": first.id})


def _inherit_from_attachment_line(doc: Document, att: dict) -> None:
    """An Đề án "ban hành kèm theo Quyết định … ngày 19/8/2021 của UBND tỉnh Lạng Sơn" is issued that day by that body."""
    if doc.date is None and att.get("date"):
        doc.date = att["date"]
    if doc.issuer is None and att.get("issuer"):
        doc.issuer = _expand_issuer(att["issuer"])
        doc.province = doc.province or metadata.find_province(doc.issuer)
        if doc.issuer_code is None and att.get("symbol"):
            doc.issuer_code = metadata.split_symbol(att["symbol"])[1]


def _expand_issuer(written: str) -> str:
    """"UBND tỉnh Lạng Sơn" → "Ủy ban nhân dân tỉnh Lạng Sơn" (abbreviated body names spelled out)."""
    m = re.match(r"^([A-ZĐ]{2,})\b(.*)$", written.strip())
    if m and issuer_by_code(m.group(1)):
        return issuer_by_code(m.group(1)).name + m.group(2)
    return written.strip()


def _inherit_from_cover_letter(doc: Document, letter: Document, result: ParseResult, rel: str) -> None:
    """The forwarded plan has no header (seed 000): its number, date and issuer are in the letter's V/v line."""
    if doc.symbol or not doc.doc_type:
        return
    pat = re.compile(rf"{re.escape(doc.doc_type)}\s+(?:số\s*:?\s*)?(\d+[a-z]?\s*/\s*[\w\-–/]+)"
                     r"(?:\s+ngày\s+(\d{1,2}/\d{1,2}/\d{4}))?(?:\s+của\s+(.+?))?\s*$", re.IGNORECASE)
    m = pat.search(letter.title or "")
    if not m:
        return
    doc.symbol, doc.number = metadata.normalise_symbol(m.group(1))
    doc.type_code, doc.issuer_code = metadata.split_symbol(doc.symbol)
    doc.date = doc.date or metadata.slash_date(m.group(2) or "")
    if m.group(3) and doc.issuer is None:
        doc.issuer = _expand_issuer(m.group(3))
    doc.province = doc.province or metadata.find_province(doc.issuer)
    doc.id = document_id(doc.symbol, doc.year, fallback=doc.id)
    _warn(doc, result, rel, f"{doc.doc_type} {doc.id} has no header block; number, date and issuer taken from "
                            f"the cover letter's subject line ({letter.symbol})")


def _inherit_from_parent(doc: Document, parent: Document, att: dict | None) -> None:
    """A Quy chế issued with a Quyết định carries the decision's issuer, place and date."""
    for name in ("issuer", "issuer_code", "province", "place", "date", "signer", "signer_capacity"):
        if getattr(doc, name) in (None, "") and getattr(parent, name) not in (None, ""):
            setattr(doc, name, getattr(parent, name))


def _warn(doc: Document, result: ParseResult, rel: str, message: str) -> None:
    """A warning names the file and the problem; it is kept on the document and on the result."""
    line = f"{rel}: {message}"
    doc.warnings.append(line)
    result.warnings.append(line)


def _check(doc: Document, result: ParseResult, rel: str) -> None:
    if not doc.doc_type:
        _warn(doc, result, rel, f"document {doc.id} has no recognisable type line")
    if doc.date is None:
        _warn(doc, result, rel, f"document {doc.id} has no date of issue")
    elif not doc.date.complete:
        _warn(doc, result, rel, f"document {doc.id} has a partial date ({doc.date.display()})")
    if doc.symbol and doc.number is None:
        _warn(doc, result, rel, f"document {doc.id} has a blank number ({doc.symbol})")


def _fallback(text: str, rel: str, provenance: dict, codified: bool) -> Document:
    body = "\n".join(ln for ln in clean.normalise(text) if ln.strip())
    return Document(id=document_id(None, None, str(PurePosixPath(rel).with_suffix(""))), source_file=rel,
                    codified=codified, provenance=dict(provenance),
                    sections=[Section(id="body", kind="body", label="", heading="", text=body, level=1,
                                      path=["body"], breadcrumb=["Toàn văn"])])
