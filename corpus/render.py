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
from .tables import table_text

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
    cites = _citations_by_part(doc, cite_link)
    for sec in doc.sections:
        out += _section(sec, doc, labels, cites)
    for i, fn in enumerate(doc.footnotes):
        out.append(f"[^{labels[i]}]: {_linked(fn.text, cites.get(('footnote', i), []), escape_inline)}")
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


Spans = list[tuple[int, int, str, str, int]]   # (start, end, url, title, index in doc.citations)


def _citations_by_part(doc: Document, cite_link: CiteLink | None) -> dict[tuple[str, object], Spans]:
    """Linked spans of each shown text — ("text", section id), ("heading", section id), ("footnote",
    index) — non-overlapping, in order; only citations cite_link resolves and whose offsets hold
    their own words (``Document.citation_source``): a link never covers other words."""
    if cite_link is None:
        return {}
    by: dict[tuple[str, object], list] = {}
    order = sorted(range(len(doc.citations)), key=lambda i: (doc.citations[i].start, -doc.citations[i].end))
    for i in order:
        c = doc.citations[i]
        if doc.citation_source(c) is None:
            continue
        link = cite_link(c)
        if not link:
            continue
        spans = by.setdefault(("footnote", c.footnote) if c.part == "footnote" else (c.part, c.section_id), [])
        if spans and c.start < spans[-1][1]:
            continue  # overlapping citation: the first one wins
        spans.append((c.start, c.end, link[0], link[1], i))
    return by


def _linked(text: str, spans, escape: Callable[[str], str]) -> str:
    """``text`` as Markdown with each span a link (``data-cite``: the citation's index). A span
    across a line break is one link per line: every line becomes its own paragraph."""
    pieces: list[str] = []
    pos = 0
    for start, end, url, title, index in spans:
        pieces.append(escape(text[pos:start]))
        lines = text[start:end].split("\n")
        pieces.append("\n".join(
            f'[{escape_inline(ln)}]({_url(url)} "{_title(title)}"){{: data-cite="{index}"}}' if ln.strip() else ln
            for ln in lines))
        pos = end
    pieces.append(escape(text[pos:]))
    return "".join(pieces)


def _section(sec: Section, doc: Document, labels: list[str], cites) -> list[str]:
    out: list[str] = []
    anchor = f"{{#{sec.id}}}"
    if sec.kind == "table":
        table = next((t for t in doc.tables if t.section_id == sec.id), None)
        out += [f'<a id="{sec.id}"></a>', ""]
        spans = cites.get(("text", sec.id), [])
        out += _table(table, _cell_spans(table, sec.text, spans) if table else {}) if table \
            else [escape_line_starts(_linked(sec.text, spans, escape_inline))]
        return out + [""]
    sep = ". " if sec.kind == "dieu" and sec.heading else " "
    title = sep.join(p for p in (sec.label, sec.heading) if p)
    level = min(6, sec.level + 1)
    refs = _glued_refs(sec, doc, labels)
    if sec.kind in ("preamble", "closing") or not title:
        out += [f'<a id="{sec.id}"></a>', ""]
    else:
        heading = _linked(sec.heading, cites.get(("heading", sec.id), []), escape_inline)
        shown = sep.join(p for p in (escape_inline(sec.label) if sec.label else "", heading) if p)
        out += [f"{'#' * level} {shown}{refs} {anchor}", ""]
    if sec.text:
        out += [_body(sec, doc, labels, cites.get(("text", sec.id), [])), ""]
    return out


def _glued_refs(sec: Section, doc: Document, labels: list[str]) -> str:
    """Footnotes glued to an article number (16/VBHN "Điều 42") are referenced after its heading."""
    refs = [f"[^{labels[i]}]" for i, fn in enumerate(doc.footnotes)
            if fn.section_id == sec.id and fn.marker[0] not in SUPERSCRIPTS and fn.marker in sec.footnotes
            and not re.search(rf"[a-zà-ỹ]{re.escape(fn.marker)}\b", sec.text)]
    return "".join(refs)


def _body(sec: Section, doc: Document, labels: list[str], spans) -> str:
    body = escape_line_starts(_linked(sec.text, spans, lambda t: _escape_with_notes(t, sec, doc, labels)))
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
    # "|" would end a table cell when the link stands in a table
    return html.escape(title, quote=True).replace("\\", "\\\\").replace("|", "&#124;")


def _cell_spans(table: Table, text: str, spans) -> dict[tuple[int, int], list]:
    """A table section's text is its rows as "cell | cell" lines (corpus.tables.table_text): the
    citation spans, moved from that text into the cells that hold them, by (row, column); row -1 is
    the header. A span across two cells is not linked (it would cover a cell border)."""
    if table_text(table) != text or not spans:
        return {}
    where: list[tuple[int, int, int, int]] = []          # (start, end, row, column) of each cell
    pos = 0
    for r, row in enumerate(([table.header] if table.header else []) + list(table.rows)):
        for col, cell in enumerate(row):
            where.append((pos, pos + len(cell), r - (1 if table.header else 0), col))
            pos += len(cell) + 3                           # " | "
        pos += 1 - (3 if row else 0)                       # the last cell has no " | ", then "\n"
    out: dict[tuple[int, int], list] = {}
    for start, end, url, title, index in spans:
        cell = next((w for w in where if w[0] <= start and end <= w[1]), None)
        if cell:
            out.setdefault((cell[2], cell[3]), []).append((start - cell[0], end - cell[0], url, title, index))
    return out


def _table(table: Table, spans: dict[tuple[int, int], list] | None = None) -> list[str]:
    spans = spans or {}
    ncols = max([len(table.header)] + [len(r) for r in table.rows] + [1])
    header = table.header or [""] * ncols

    def cell(c: str, r: int, col: int) -> str:
        return _linked(c, spans.get((r, col), []), escape_inline).replace("\n", "<br>") or " "

    lines = ["| " + " | ".join(cell(c, -1, j) for j, c in enumerate(_pad(header, ncols))) + " |",
             "|" + "---|" * ncols]
    for r, row in enumerate(table.rows):
        if len(row) == 1 and ncols > 1:
            row = [f"**{cell(row[0], r, 0)}**"] + [" "] * (ncols - 1)   # a group heading row
            lines.append("| " + " | ".join(row) + " |")
            continue
        lines.append("| " + " | ".join(cell(c, r, j) for j, c in enumerate(_pad(row, ncols))) + " |")
    return lines


def _pad(cells: list[str], n: int) -> list[str]:
    return list(cells) + [""] * (n - len(cells))
