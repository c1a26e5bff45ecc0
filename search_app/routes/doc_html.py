"""A document's text as HTML: corpus.render.to_markdown → python-markdown → glossary terms marked.

The document text is untrusted. python-markdown passes raw HTML through, so the only Markdown
rendered here is what corpus.render.to_markdown produces (it HTML-escapes every piece of document
text). Glossary terms are marked afterwards on the text nodes of the rendered HTML: each text node
is unescaped, searched with Glossary.find_terms, and every piece escaped again, so no document text
can turn into markup on the way.
"""
from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from typing import Callable

import markdown
from markupsafe import Markup, escape

from corpus.ids import is_valid_id
from corpus.models import Citation, Document
from corpus.registry import RegistryEntry
from corpus.render import to_markdown
from glossary.load import Glossary
from indexer.kb import KnowledgeBase

from .. import urls
from .present import display_date

MD_EXTENSIONS = ["attr_list", "tables", "footnotes", "toc"]
MD_CONFIG = {"toc": {"permalink": False, "toc_depth": "1-4"}, "footnotes": {"BACKLINK_TITLE": "Về chỗ tham chiếu"}}

# An HTML tag or a text run between tags (the rendered Markdown is well-formed, produced by us).
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
# Inside these elements a term is not marked: links and headings already say what they are, and
# an <abbr> inside an <abbr> would hide the outer definition.
_NO_MARK = {"a", "abbr", "dfn", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "sup"}
# Characters that glue a code into a document number ("200/KH-UBND", "34-CT/TW").
_SYMBOL_JOINERS = {"/", "-"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source"}


def _safe_attr(text: str) -> str:
    """A hover title that cannot break out of the Markdown link title or the HTML attribute."""
    return re.sub(r'["<>\\\[\]]', "", " ".join(text.split()))[:300]


def citation_target_title(kb: KnowledgeBase, citation: Citation) -> str:
    """Hover text for a citation link: the cited document's date and title, as known."""
    entry = kb.registry_entry(citation.target) if citation.target else None
    known = entry or RegistryEntry(id="")
    name = known.canonical or known.symbol or citation.canonical or citation.text
    kind = known.doc_type or citation.doc_type or ""
    date = display_date(known.date or citation.date)
    title = known.title or ""
    text = " ".join(p for p in (kind, name) if p)
    if date:
        text += f" ngày {date}"
    if title:
        text += f" — {title}"
    return _safe_attr(text)


def make_cite_link(kb: KnowledgeBase) -> Callable[[Citation], tuple[str, str] | None]:
    """The cite_link callback for to_markdown: each resolved citation links to its target's page."""
    def cite_link(citation: Citation) -> tuple[str, str] | None:
        target = citation.target
        if not target or not is_valid_id(target):
            return None
        return urls.doc(kb.page_id(target)), citation_target_title(kb, citation)

    return cite_link


def _mark_text(text: str, glossary: Glossary, seen: set[str]) -> str:
    """One unescaped text node → escaped HTML with glossary terms in <abbr title=definition>.

    Only a term's first occurrence in the document is marked (terms already in `seen` are left
    plain): "thi đua" underlined in every line would bury the text.
    """
    try:
        matches = sorted(glossary.find_terms(text), key=lambda m: m.start)
    except Exception:
        matches = []
    out, pos = [], 0
    for m in matches:
        start, end, entry = m.start, m.end, m.entry
        if start < pos or end > len(text):
            continue
        if (start and text[start - 1] in _SYMBOL_JOINERS) or text[end:end + 1] in _SYMBOL_JOINERS:
            continue  # "KH" in "777/KH-UBND" is part of a document number, not a term in the prose
        definition = entry.definition or entry.term or ""
        key = entry.term or text[start:end]
        if key in seen:
            continue
        seen.add(key)
        out.append(str(escape(text[pos:start])))
        out.append(f'<abbr class="term" title="{escape(" ".join(definition.split()))}">{escape(text[start:end])}</abbr>')
        pos = end
    out.append(str(escape(text[pos:])))
    return "".join(out)


def mark_glossary_terms(rendered: str, glossary: Glossary | None) -> str:
    """Wrap glossary terms found in the text nodes of `rendered` HTML (outside links/headings), the
    first occurrence of each term."""
    if glossary is None:
        return rendered
    stack: list[str] = []
    out: list[str] = []
    seen: set[str] = set()
    for piece in _TAG_OR_TEXT.split(rendered):
        if not piece:
            continue
        if piece.startswith("<"):
            name_m = _TAG_NAME.match(piece)
            name = name_m.group(1).lower() if name_m else ""
            if piece.startswith("</"):
                if name in stack:
                    while stack and stack.pop() != name:
                        pass
            elif name and name not in _VOID and not piece.endswith("/>"):
                stack.append(name)
            out.append(piece)
        elif any(t in _NO_MARK for t in stack) or not piece.strip():
            out.append(piece)
        else:
            out.append(_mark_text(html.unescape(piece), glossary, seen))
    return "".join(out)


def _article_aliases(rendered: str, doc: Document) -> str:
    """Add the short article anchor ("dieu-5") where the renderer used the full section id.

    urls.section_anchor links articles as /doc/{id}#dieu-5; if to_markdown anchored a heading with
    the hierarchical id ("chuong-2.dieu-5"), an empty anchor with the short id goes before it.
    """
    for section in doc.sections:
        short = urls.section_anchor(section.id)
        if short == section.id or f'id="{short}"' in rendered:
            continue
        heading = re.compile(rf'(<h[1-6][^>]*\bid="{re.escape(section.id)}"[^>]*>)')
        rendered = heading.sub(lambda m: f'<span class="anchor" id="{short}"></span>{m.group(1)}', rendered, count=1)
    return rendered


# A heading that is only a marker ("1.", "a)", "2.1.") names a khoản or điểm: too fine for the TOC.
_BARE_MARKER = re.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*\.?|[a-zđ]\)|[-–•…]+)\s*$", re.IGNORECASE)
TOC_DEPTH = 3


def toc_html(tokens: list[dict], depth: int = 1) -> str:
    """A table of contents from python-markdown's toc_tokens: articles and headed items, not every
    khoản and điểm (bare markers are skipped, nesting stops at TOC_DEPTH)."""
    items = []
    for t in tokens:
        name = html.unescape(re.sub(r"<[^>]+>", "", t.get("name", "")))
        children = toc_html(t.get("children") or [], depth + 1) if depth < TOC_DEPTH else ""
        if _BARE_MARKER.match(name):
            if children:
                items.append(children)
            continue
        items.append(f'<li><a href="#{escape(t["id"])}">{escape(name)}</a>{children}</li>')
    return f"<ul>{''.join(items)}</ul>" if items else ""


# Renderings kept, bounded by their size: the bundled corpus's 96 documents render to about 20 MB
# of HTML, so every page of it stays cached; a corpus of thousands keeps the most recently read.
CACHE_BYTES = 64 * 1024 * 1024
_cache: "OrderedDict[tuple, tuple[Markup, Markup]]" = OrderedDict()
_cache_size = [0]
_cache_lock = threading.Lock()


def render_document(doc: Document, kb: KnowledgeBase) -> tuple[Markup, Markup]:
    """The document's body HTML and its table of contents, both safe to put on the page.

    A built knowledge base never changes, so renderings are cached per (knowledge base, document):
    marking glossary terms on a whole law takes a second or two, a cached page a few milliseconds.
    """
    key = (id(kb), kb.dir, doc.id, doc.content_hash)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = _render(doc, kb)
    size = len(result[0]) + len(result[1])
    with _cache_lock:
        if key not in _cache:
            _cache[key] = result
            _cache_size[0] += size
        while _cache_size[0] > CACHE_BYTES and len(_cache) > 1:
            _, (body, toc) = _cache.popitem(last=False)
            _cache_size[0] -= len(body) + len(toc)
    return result


def _render(doc: Document, kb: KnowledgeBase) -> tuple[Markup, Markup]:
    source = to_markdown(doc, cite_link=make_cite_link(kb))
    md = markdown.Markdown(extensions=MD_EXTENSIONS, extension_configs=MD_CONFIG)
    body = _inline_markers(_drop_preface(md.convert(source), doc))
    body = _permalinks(_article_aliases(body, doc))
    body = mark_glossary_terms(body, kb.glossary)
    tokens = getattr(md, "toc_tokens", [])
    if len(tokens) == 1 and tokens[0].get("level") == 1:  # the document's own title: list what is under it
        tokens = tokens[0].get("children") or []
    return Markup(body), Markup(toc_html(tokens))


# A khoản/điểm rendered as a heading that holds only its marker ("1.", "a)"), followed by its text.
_MARKER_HEADING = re.compile(
    r'<h([2-6]) id="([^"]+)">\s*((?:[0-9]+(?:\.[0-9]+)*\.?|[a-zđ]\)))\s*</h\1>\s*<p>', re.IGNORECASE)


def _inline_markers(rendered: str) -> str:
    """"1." / "a)" headings become the start of their paragraph, as the printed law shows them:
    a line per marker wastes half the page. The anchor (its id) moves to the paragraph."""
    return _MARKER_HEADING.sub(
        lambda m: f'<p id="{m.group(2)}" class="clause lvl{m.group(1)}">{_marker_link(m.group(2), m.group(3))} ',
        rendered)


def _marker_link(section_id: str, marker: str) -> str:
    """A clause's marker ("1.", "a)") as the link to the clause: the page's script copies it."""
    anchor = urls.section_anchor(section_id)
    return (f'<a class="marker" href="#{anchor}" data-copy-link="#{anchor}" '
            f'title="Sao chép liên kết tới {escape(marker)}">{marker}</a>')


_HEADING_WITH_ID = re.compile(r'(<h([2-6]) id="([^"]+)"[^>]*>)(.*?)(</h\2>)', re.S)


def _permalinks(rendered: str) -> str:
    """Each heading with an id (an article, a chapter, a numbered part) ends with a link to itself
    that the page's script copies ("Sao chép liên kết"); without the script it is a plain link."""
    def add(m: re.Match) -> str:
        anchor = urls.section_anchor(m.group(3))
        return (f'{m.group(1)}{m.group(4)} <a class="permalink" href="#{anchor}" data-copy-link="#{anchor}" '
                f'title="Sao chép liên kết tới mục này" aria-label="Sao chép liên kết tới mục này">#</a>{m.group(5)}')
    return _HEADING_WITH_ID.sub(add, rendered)


def _drop_preface(rendered: str, doc: Document) -> str:
    """The rendering opens with the document's heading, title and metadata line, which the page
    already shows in its metadata block: start the body at the first section."""
    if not doc.sections:
        return rendered
    at = rendered.find(f'id="{doc.sections[0].id}"')
    start = rendered.rfind("<", 0, at) if at > 0 else -1
    if start >= 3 and rendered[:start].endswith("<p>"):  # an anchor alone in its paragraph
        start -= 3
    return rendered[start:] if start > 0 else rendered
