"""A document downloaded as plain text (.txt) or Word (.docx): its heading block (issuer, number,
place and date, type and title), every section in order (label and heading, then its text), tables
as rows, and the footnotes. Word files follow Nghị định 30/2020/NĐ-CP's typeface (Times New Roman);
offices paste from them into their own drafts."""
from __future__ import annotations

import io
from typing import Any, Iterator

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from corpus.vntext import fold

from .present import display_date

# kinds of line: "title" (centred, bold), "heading" (bold), "text", "row" (a table row, cells joined)


def document_lines(doc: Any) -> Iterator[tuple[str, str]]:
    """(kind, text) for each line of the document, in reading order."""
    head = [doc.issuer or "", f"Số: {doc.symbol}" if doc.symbol else "",
            ", ".join(p for p in (doc.place, f"ngày {display_date(doc.date)}" if doc.date else "") if p)]
    for line in head:
        if line:
            yield "title", line
    opening = " ".join((doc.sections[0].text or "").split()[:60]) if doc.sections else ""
    if doc.doc_type and doc.doc_type.upper() not in opening:   # the text's own heading block says it already
        yield "title", doc.doc_type.upper()
    if doc.title and " ".join(doc.title.split()[:8]) not in opening:
        yield "title", doc.title
    tables = {t.section_id: t for t in doc.tables}
    for sec in doc.sections:
        if sec.kind == "table" and sec.id in tables:
            t = tables[sec.id]
            for row in ([t.header] if t.header else []) + t.rows:
                yield "row", "\t".join(row)
            continue
        sep = ". " if sec.kind == "dieu" and sec.heading else " "
        title = sep.join(p for p in (sec.label, sec.heading) if p)
        if title and sec.kind not in ("preamble", "closing"):
            yield "heading", title
        for line in (sec.text or "").split("\n"):
            if line.strip():
                yield "text", line.strip()
    if doc.footnotes:
        yield "heading", "Chú thích"
        for fn in doc.footnotes:
            yield "text", f"{fn.marker} {fn.text}"


def to_txt(doc: Any) -> bytes:
    """UTF-8 text with a blank line between headings and paragraphs (Windows line ends open in Notepad)."""
    out: list[str] = []
    for kind, text in document_lines(doc):
        if kind in ("heading", "title") and out and out[-1] != "":
            out.append("")
        out.append(text)
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def to_docx(doc: Any) -> bytes:
    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    for kind, text in document_lines(doc):
        p = word.add_paragraph()
        run = p.add_run(text)
        run.font.name = "Times New Roman"
        run.bold = kind in ("title", "heading")
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "text":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


def download_name(doc: Any, ext: str) -> str:
    """"Ke-hoach-200-KH-UBND.txt": an ASCII file name (the header carries the Vietnamese one too)."""
    base = " ".join(p for p in (doc.doc_type, doc.symbol or doc.id) if p)
    ascii_name = "".join(ch if ch.isalnum() else "-" for ch in fold(base))
    return "-".join(p for p in ascii_name.split("-") if p) + f".{ext}"
