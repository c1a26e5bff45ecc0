"""A Document as Markdown for the site (python-markdown with attr_list, tables, footnotes, toc).

Document text is untrusted: every piece is HTML-escaped (&, <, >) and Markdown-active characters
are backslash-escaped, so a document can never inject markup; only this module writes markup
(headings with {#anchor}, tables, footnote references, citation links, list items for "- " lines).
"""
from __future__ import annotations

import html
import re
from typing import Callable

from .footnotes import SUPERSCRIPTS, footnote_number
from .models import Citation, Document, Footnote, Section, Table

CiteLink = Callable[[Citation], "tuple[str, str] | None"]

# Characters python-markdown treats as markup inside a line (backslash-escapable there).
_INLINE_ACTIVE = re.compile(r"([\\`*_{}\[\]#|!])")
# Markup that only matters at the start of a line: headings, quotes, ordered lists, "+" lists.
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(\s)|^(\s*)([+=>])(\s|$)")


def escape_inline(text: str) -> str:
    """HTML-escape, then neutralise inline Markdown."""
    return _INLINE_ACTIVE.sub(r"\\\1", html.escape(text, quote=False))


def escape_line_starts(text: str) -> str:
    """"1. …" at a line start would become an ordered list renumbered from 1: keep it literal."""
    def fix(m: re.Match) -> str:
        if m.group(2):
            return f"{m.group(1)}{m.group(2)}\\{m.group(3)}{m.group(4)}"
        return f"{m.group(5)}\\{m.group(6)}{m.group(7)}"
    return "\n".join(_LINE_START.sub(fix, ln) for ln in text.split("\n"))


def to_markdown(doc: Document, cite_link: CiteLink | None = None) -> str:
    """The whole document: title, metadata line, sections in order, footnote definitions."""
    labels = _footnote_labels(doc.footnotes)
    out = [f"# {escape_inline(_doc_heading(doc))}", ""]
    if doc.title:
        out += [f"**{escape_inline(doc.title)}**", ""]
    meta = _meta_line(doc)
    if meta:
        out += [meta, ""]
    cites = _citations_by_section(doc, cite_link)
    for sec in doc.sections:
        out += _section(sec, doc, labels, cites.get(sec.id, []))
    for i, fn in enumerate(doc.footnotes):
        out.append(f"[^{labels[i]}]: {escape_inline(fn.text)}")
    return "\n".join(out).rstrip() + "\n"


def _doc_heading(doc: Document) -> str:
    kind = doc.doc_type or "Văn bản"
    return f"{kind} số {doc.symbol}" if doc.symbol else kind


def _meta_line(doc: Document) -> str:
    parts = [p for p in (doc.issuer, doc.date.display() if doc.date else None,
                         "Dự thảo" if doc.draft else None) if p]
    return escape_inline(" · ".join(parts))


def _footnote_labels(notes: list[Footnote]) -> list[str]:
    """Footnote labels by their printed number; a repeated number gets a suffix to stay unique."""
    seen: dict[str, int] = {}
    labels = []
    for fn in notes:
        num = footnote_number(fn.marker) or "n"
        seen[num] = seen.get(num, 0) + 1
        labels.append(num if seen[num] == 1 else f"{num}-{seen[num]}")
    return labels


def _citations_by_section(doc: Document, cite_link: CiteLink | None) -> dict[str, list[tuple[int, int, str, str]]]:
    """(start, end, url, title) per section, non-overlapping, in order; only those cite_link resolves."""
    if cite_link is None:
        return {}
    by: dict[str, list[tuple[int, int, str, str]]] = {}
    for c in sorted(doc.citations, key=lambda c: (c.section_id or "", c.start, -c.end)):
        sec = doc.section(c.section_id) if c.section_id else None
        if sec is None or not (0 <= c.start < c.end <= len(sec.text)):
            continue
        link = cite_link(c)
        if not link:
            continue
        spans = by.setdefault(sec.id, [])
        if spans and c.start < spans[-1][1]:
            continue  # overlapping citation: the first one wins
        spans.append((c.start, c.end, link[0], link[1]))
    return by


def _section(sec: Section, doc: Document, labels: list[str], spans) -> list[str]:
    out: list[str] = []
    anchor = f"{{#{sec.id}}}"
    if sec.kind == "table":
        table = next((t for t in doc.tables if t.section_id == sec.id), None)
        out += [f'<a id="{sec.id}"></a>', ""]
        out += _table(table) if table else [escape_line_starts(escape_inline(sec.text))]
        return out + [""]
    title = " ".join(p for p in (sec.label, sec.heading) if p)
    if sec.kind == "dieu" and sec.heading:
        title = f"{sec.label}. {sec.heading}"
    level = min(6, sec.level + 1)
    refs = _glued_refs(sec, doc, labels)
    if sec.kind in ("preamble", "closing") or not title:
        out += [f'<a id="{sec.id}"></a>', ""]
    else:
        out += [f"{'#' * level} {escape_inline(title)}{refs} {anchor}", ""]
    if sec.text:
        out += [_body(sec, doc, labels, spans), ""]
    return out


def _glued_refs(sec: Section, doc: Document, labels: list[str]) -> str:
    """Footnotes glued to an article number (16/VBHN "Điều 42") are referenced after its heading."""
    refs = [f"[^{labels[i]}]" for i, fn in enumerate(doc.footnotes)
            if fn.section_id == sec.id and fn.marker[0] not in SUPERSCRIPTS and fn.marker in sec.footnotes
            and not re.search(rf"[a-zà-ỹ]{re.escape(fn.marker)}\b", sec.text)]
    return "".join(refs)


def _body(sec: Section, doc: Document, labels: list[str], spans) -> str:
    text = sec.text
    pieces: list[str] = []
    pos = 0
    for start, end, url, title in spans:
        pieces.append(_escape_with_notes(text[pos:start], sec, doc, labels))
        pieces.append(f"[{escape_inline(text[start:end])}]({_url(url)} \"{_title(title)}\")")
        pos = end
    pieces.append(_escape_with_notes(text[pos:], sec, doc, labels))
    body = escape_line_starts("".join(pieces))
    # one paragraph per source line; "- " lines stay Markdown list items (they are list items)
    return "\n\n".join(ln for ln in body.split("\n") if ln.strip())


def _escape_with_notes(text: str, sec: Section, doc: Document, labels: list[str]) -> str:
    out = escape_inline(text)
    for i, fn in enumerate(doc.footnotes):
        if sec.id not in fn.ref_sections:
            continue
        if fn.marker[0] in SUPERSCRIPTS:
            out = re.sub(rf"(?<![{SUPERSCRIPTS}]){re.escape(fn.marker)}(?![{SUPERSCRIPTS}])", f"[^{labels[i]}]", out)
        else:
            out = re.sub(rf"(?<=[a-zà-ỹđ”]){re.escape(fn.marker)}(?=[.,;:”)]?(?:\s|$))", f"[^{labels[i]}]", out, count=1)
    return out


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _title(title: str) -> str:
    return html.escape(title, quote=True).replace("\\", "\\\\")


def _table(table: Table) -> list[str]:
    ncols = max([len(table.header)] + [len(r) for r in table.rows] + [1])
    header = table.header or [""] * ncols
    cell = lambda c: escape_inline(c).replace("\n", "<br>") or " "
    lines = ["| " + " | ".join(cell(c) for c in _pad(header, ncols)) + " |",
             "|" + "---|" * ncols]
    for row in table.rows:
        if len(row) == 1 and ncols > 1:
            row = [f"**{escape_inline(row[0])}**"] + [" "] * (ncols - 1)   # a group heading row
            lines.append("| " + " | ".join(row) + " |")
            continue
        lines.append("| " + " | ".join(cell(c) for c in _pad(row, ncols)) + " |")
    return lines


def _pad(cells: list[str], n: int) -> list[str]:
    return list(cells) + [""] * (n - len(cells))
