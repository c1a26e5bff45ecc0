"""Find every reference to a Vietnamese document in a text: its exact span, type, number, symbol,
canonical form, date, issuer, pinpoint and the relation its wording expresses.

Works on plain text (no parser needed). Offsets are into the text given; ``text[c.start:c.end] ==
c.text`` always. The fragments the regexes are built from live in ``corpus.citation_patterns``.

Order of work, and why:
1. full citations led by a type word ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị"),
   with lists sharing the type word or the suffix;
2. laws cited by name and date, which carry no number ("Luật Thi đua, khen thưởng ngày 26/11/2003");
   the registry's aliases turn name + date into the number;
3. bare symbols with a recognisable shape ("theo 91/2017/NĐ-CP");
4. short forms, which only make sense against what came before ("Chỉ thị 34", "Kế hoạch này").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import citation_patterns as P
from .models import Citation, Document, Section
from .registry import default_registry
from .symbols import Symbol as _Symbol
from .symbols import canonical_symbol
from .symbols import symbol_from_match as _symbol_from_match
from .vntext import fold

# How far before a citation a relation verb may stand and still govern it ("triển khai đồng bộ,
# tuyên truyền có hiệu quả các nội dung Chỉ thị số 19/CT-TTg" is ~70 characters).
RELATION_REACH = 80


@dataclass
class CiteContext:
    """What short forms need: the citing document itself and the full citations seen so far."""

    doc_id: str | None = None
    doc_type: str | None = None
    symbol: str | None = None          # as written in the document's header
    canonical: str | None = None
    year: int | None = None
    date: str | None = None
    issuer: str | None = None
    province: str | None = None
    earlier: list[Citation] = field(default_factory=list)

    @classmethod
    def for_document(cls, doc: Document) -> "CiteContext":
        numbered = bool(doc.symbol and re.match(r"\s*\d", doc.symbol))        # not "/KH-VP" (blank number)
        canonical = canonical_symbol(doc.symbol)[0] if numbered else None
        return cls(doc_id=doc.id, doc_type=doc.doc_type, symbol=doc.symbol, canonical=canonical, year=doc.year,
                   date=doc.date.iso() if doc.date else None, issuer=doc.issuer, province=doc.province)


# --- tails: date, issuer ------------------------------------------------------------------------


def _iso(d: str, m: str, y: str) -> str | None:
    day, month, year = int(d), int(m), int(y)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_after(text: str, pos: int, year_only: bool = False) -> tuple[str | None, int]:
    """The date right after ``pos`` (", ngày 27/8/2021", " ngày 07 tháng 4 năm 2014"), and where it ends."""
    m = P.DATE_TAIL_RE.match(text, pos)
    if m:
        g = m.groupdict()
        d, mo, y = (g["d"], g["m"], g["y"]) if g.get("d") else (g["d2"], g["m2"], g["y2"])
        iso = _iso(d, mo, y)
        if iso:
            return iso, m.end()
    if year_only:
        m = P.YEAR_TAIL_RE.match(text, pos)
        if m:
            return m.group("y"), m.end()
    return None, pos


_ISSUER_TOKEN = re.compile(r"\s*([^\s,;.:()\"“”*/]+)")


def _issuer_after(text: str, pos: int) -> tuple[str | None, int]:
    """"của Bộ Chính trị về …" → ("Bộ Chính trị", end). A known body's name first (issuers.yaml),
    then capitalised words and the lower-case words that occur inside names ("… tỉnh Lạng Sơn");
    a title's first words ("về", "quy định", "ban hành") end it."""
    lead = P.ISSUER_LEAD_RE.match(text, pos)
    if not lead:
        return None, pos
    known = P.known_issuer_re().match(text, lead.end())
    words: list[tuple[int, int]] = [(lead.end(), known.end())] if known else []
    cur = known.end() if known else lead.end()
    while known:                       # the other bodies of a joint document
        join = P.ISSUER_JOIN_RE.match(text, cur)
        known = P.known_issuer_re().match(text, join.end()) if join and join.end() > cur else None
        if known:
            words.append((join.end(), known.end()))
            cur = known.end()
    while len(words) < 12:
        m = _ISSUER_TOKEN.match(text, cur)
        if not m or "\n\n" in text[cur:m.start(1)] or P.ISSUER_STOP_RE.match(text, m.start(1)) \
                or _TYPE_WORD_RE().match(text, m.start(1)):
            break           # "… CỦA THỦ TƯỚNG CHÍNH PHỦ VÀ QUYẾT ĐỊNH SỐ …": the next citation starts
        if not _issuer_word(m.group(1), text[words[-1][0]:words[-1][1]].split()[-1] if words else "", bool(words)):
            break
        words.append((m.start(1), m.end(1)))
        cur = m.end(1)
    while words and (text[words[-1][0]:words[-1][1]] in "-–" or text[words[-1][0]:words[-1][1]].lower() == "và"):
        words.pop()
    if not words or not text[words[0][0]].isupper():
        return None, pos
    start, end = words[0][0], words[-1][1]
    return " ".join(text[start:end].split()), end


@lru_cache(maxsize=None)
def _TYPE_WORD_RE() -> re.Pattern:
    return re.compile(P.type_word_pattern())


def _issuer_word(tok: str, prev: str, started: bool) -> bool:
    """May ``tok`` continue an issuer's name after ``prev``?"""
    low = tok.lower()
    if low in P.ISSUER_AFTER_WORD:
        return prev.lower() in P.ISSUER_AFTER_WORD[low]
    return tok[0].isupper() or low in P.ISSUER_INNER_WORDS or (tok in "-–" and started)


# --- relation and pinpoint ----------------------------------------------------------------------


def _relation_before(text: str, start: int, floor: int) -> str:
    """The relation the wording before a citation expresses: the nearest relation word in the same
    clause (back to ";", ".", a blank line or the previous citation), else the verb that opens the
    sentence ("Căn cứ …", "Thực hiện …"), else "mentions"."""
    lo = max(floor, start - 160)
    window = text[lo:start]
    cut = max(window.rfind(";"), window.rfind(". "), window.rfind("\n\n"))
    clause = window[cut + 1:] if cut >= 0 else window
    hits = [h for h in P.RELATION_RE.finditer(clause) if len(clause) - h.end() <= RELATION_REACH]
    if hits:
        last = hits[-1]
        if P.PASSIVE_RE.search(clause[:last.start()]):
            return "mentions"     # "đã được sửa đổi, bổ sung theo Luật số 47/2005/QH11": not this document's act
        idx = next(int(k[1:]) for k, v in last.groupdict().items() if v)
        return P.RELATION_WORDS[idx][1]
    # sentence opener: back to the start of the line / sentence, skipping list markers
    lo = max(0, start - 300)            # bounded: a text without line breaks must not cost O(n) per citation
    dot = text.rfind(". ", lo, start)
    line_start = max(text.rfind("\n", lo, start) + 1, dot + 2 if dot >= 0 else 0, lo)
    opener = text[line_start:start]
    opener = re.sub(r"^[\s\-–+*•\d.)IVX]*", "", opener)
    m = P.RELATION_RE.match(opener)
    if m and fold(m.group(0)) in {"can cu", "thuc hien", "trien khai", "thuc hien theo"}:
        idx = next(int(k[1:]) for k, v in m.groupdict().items() if v)
        return P.RELATION_WORDS[idx][1]
    return "mentions"


def _relation_after(text: str, end: int) -> str | None:
    """"Quyết định số 2635/QĐ-BKHCN … hết hiệu lực kể từ ngày Thông tư này có hiệu lực": the verb
    comes after the citation, in the same sentence."""
    rest = text[end:end + 400]
    stops = [i for i in (rest.find(". "), rest.find(";"), rest.find("\n")) if i >= 0]
    return "repeals" if P.CEASES_RE.search(rest[:min(stops, default=len(rest))]) else None


def _pinpoint_before(text: str, start: int) -> str | None:
    m = P.PINPOINT_RE.search(text[max(0, start - 90):start])
    return " ".join(m.group("pin").split()) if m else None


# --- the passes ---------------------------------------------------------------------------------


def _line_start(text: str, pos: int, reach: int) -> int:
    """Start of the line holding ``pos``, looking back at most ``reach`` characters."""
    lo = max(0, pos - reach)
    i = text.rfind("\n", lo, pos)
    return i + 1 if i >= 0 else lo


def _is_header_number(text: str, start: int) -> bool:
    """"Số: 12/KH-UBND" at the top of a document is its own number, not a citation."""
    line = text[_line_start(text, start, 80):start]
    return bool(P.HEADER_NUMBER_RE.search(line))


def _is_heading_line(text: str, type_start: int, written_type: str) -> bool:
    """"THÔNG TƯ SỐ 12/2019/TT-BNV" opening a line in capitals is the document's own title."""
    line_before = text[_line_start(text, type_start, 80):type_start].strip(" \t|*")
    return not line_before and " " in written_type.strip() and written_type.isupper()


def _tails(text: str, c: Citation, pos: int) -> int:
    """Attach the date and issuer written right after the symbol; returns the new end."""
    date, pos2 = _date_after(text, pos)
    if date:
        c.date, pos = date, pos2
    issuer, pos3 = _issuer_after(text, pos)
    if issuer:
        c.issuer, pos = issuer, pos3
    return pos


def _new(text: str, start: int, sym: _Symbol, doc_type: str | None) -> Citation:
    return Citation(start=start, end=start, text="", doc_type=doc_type or sym.doc_type, number=sym.number,
                    year=sym.year, symbol=sym.written, canonical=sym.canonical)


def _finish(text: str, c: Citation, end: int) -> Citation:
    c.end = end
    c.text = text[c.start:end]
    if c.year is None and c.date:
        c.year = int(c.date[:4])
    return c


def _lead_citations(text: str) -> list[Citation]:
    """Pass 1: type word (or "Luật <name>") + number/symbol + date + issuer, with shared lists."""
    out: list[Citation] = []
    for m in P.lead_re().finditer(text):
        written_type = m.group("type") or "Luật"
        if m.group("type") and _is_heading_line(text, m.start(), written_type):
            continue
        doc_type = "Luật" if m.group("law") else P.type_name_of(written_type)
        sym_m = P.SYMBOL_RE.match(text, m.start("sym")) or P.YEAR_ONLY_RE.match(text, m.start("sym"))
        sym = _symbol_from_match(sym_m, doc_type)
        listed = _shared_list(text, m, sym, doc_type)
        start = m.start()
        if m.group("law") and not listed:
            start = _amending_title_start(text, start)
        head = _new(text, m.start("sym") if listed else start, sym, doc_type)
        end = _tails(text, head, m.end("sym"))
        _finish(text, head, end)
        for c in listed:                # the shared date/issuer belongs to every listed number
            c.date, c.issuer, c.year = head.date, head.issuer, c.year or head.year
        out += listed + [head] + _continuations(text, end, doc_type)
    return out


def _amending_title_start(text: str, start: int) -> int:
    """Where the amending law's long title begins, when "Luật <name> số …" at ``start`` ends one."""
    heads = list(P.AMEND_HEAD_RE.finditer(text, max(0, start - 400), start))
    if heads and P.AMEND_LIST_GAP_RE.fullmatch(text, heads[-1].end(), start):
        return heads[-1].start()
    return start


def _shared_list(text: str, m: re.Match, sym: _Symbol, doc_type: str | None) -> list[Citation]:
    """"Chỉ thị số 11, 26-CT/TU": the numbers listed before the symbol take its suffix (11-CT/TU)."""
    if not m.group("list"):
        return []
    suffix = sym.canonical[len(sym.number):]
    out = []
    for nm in re.finditer(P.NUMBER, m.group("list")):
        at = m.start("list") + nm.start()
        num = nm.group(0)
        c = _new(text, at if out else m.start(), replace(sym, number=num, canonical=num + suffix, written=num + suffix), doc_type)
        out.append(_finish(text, c, at + len(num)))
    return out


_CONTINUATION = re.compile(rf"[^\S\n]*(?:,|và)[^\S\n]*(?:{P.loose_word('số')}[^\S\n]*)?(?={P.NUMBER_START}\d)")


def _continuations(text: str, pos: int, doc_type: str | None) -> list[Citation]:
    """"các Nghị quyết số 13/2018/NQ-HĐND, 12/2019/NQ-HĐND": symbols following a citation after a
    comma or "và" share its type word."""
    out = []
    while True:
        m = _CONTINUATION.match(text, pos)
        if not m:
            return out
        sm = P.SYMBOL_RE.match(text, m.end())
        if not sm:
            return out
        sym = _symbol_from_match(sm, doc_type)
        so = re.search(r"(?:số|Số|SỐ)[^\S\n]*$", text[m.start():m.end()])
        c = _new(text, m.start() + so.start() if so else sm.start(), sym, doc_type)
        pos = _tails(text, c, sm.end())
        out.append(_finish(text, c, pos))


_LAW_KINDS = {"bo luat": "Bộ luật", "luat": "Luật", "hien phap": "Hiến pháp", "phap lenh": "Pháp lệnh"}


def _law_kind(written: str) -> str:
    return _LAW_KINDS.get(" ".join(fold(written).split()), "Luật")


def _law_by_name(text: str, start: int, end: int, kind: str, dated: bool = True,
                 shared_date: tuple[str | None, int] | None = None) -> Citation | None:
    """One law cited by name over text[start:end], with the date (or year) and issuer after it, and
    its number when the registry knows the name and date. ``shared_date``: the date read after the
    last law of a series ("Luật A, Luật B ngày …"), given to every member; only the last one's span
    covers it."""
    name = " ".join(text[start:end].split())
    c = Citation(start=start, end=end, text="", doc_type=kind if kind != "Pháp lệnh" else "Pháp lệnh", canonical=name)
    date, tail = shared_date if shared_date else _date_after(text, end, year_only=True)
    if dated and not date:
        return None
    if date:
        c.date = date if len(date) > 4 else None
        c.year = int(date[:4])
    if shared_date is None:
        end = tail if date else end
        issuer, end2 = _issuer_after(text, end)
        if issuer:
            c.issuer, end = issuer, end2
    entry, note = default_registry().law_by_name(name, date)
    if entry is not None:
        c.number, c.symbol, c.canonical = entry.number, None, entry.canonical
        c.year, c.note = entry.year, note
    return _finish(text, c, end)


def _law_name_citations(text: str, taken: list[tuple[int, int]]) -> list[Citation]:
    """Pass 2: laws, codes and the Constitution cited by name — with a date or year ("Luật Tổ chức
    chính quyền địa phương ngày 16 tháng 6 năm 2025", "Luật Ngân sách nhà nước năm 2015"), an
    amending law by its long title, a series sharing one date ("Luật A, Luật B và Luật C ngày …":
    each its own citation), or undated as the object of "Căn cứ". The registry (tolerant of small
    typos in the name) gives the number."""
    out: list[Citation] = []
    spans = sorted(taken)

    def free(s: int, e: int) -> bool:
        return not _overlaps(s, e, spans)

    def keep(c: Citation | None) -> None:
        if c is not None:
            out.append(c)
            bisect.insort(spans, (c.start, c.end))

    singles = []
    for m in P.law_by_name_re().finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("amend"):
            keep(_law_by_name(text, m.start(), m.end(), _law_kind(m.group("kind"))))
        else:
            singles.append(m)
    for m in P.law_series_re().finditer(text):
        if not free(m.start(), m.end()):
            continue
        parts = list(P.law_one_re().finditer(text, m.start(), m.end()))
        date, tail = _date_after(text, m.end(), year_only=True)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            keep(_law_by_name(text, part.start(), part.end(), _law_kind(part.group("kind")),
                              shared_date=None if last else (date, tail)))
    for m in singles:
        if free(m.start(), m.end()):
            keep(_law_by_name(text, m.start(), m.end(), _law_kind(m.group("kind"))))
    for m in P.law_basis_re().finditer(text):
        if free(m.start("law"), m.end("law")):
            keep(_law_by_name(text, m.start("law"), m.end("law"), _law_kind(m.group("kind")), dated=False))
    return out


# "số" right before a symbol written without its type word ("các Văn bản: số 4104/SNV-…", "Luật số
# 43/2024/QH15, số 47/2024/QH15") belongs to the citation's words.
_SO_BEFORE = re.compile(r"(?<![\w])(?:số|Số|SỐ)[^\S\n]*$")


def _bare_symbols(text: str, taken: list[tuple[int, int]]) -> list[Citation]:
    """Pass 3: symbols written without a type word, when their shape says what they are."""
    out = []
    for m in P.SYMBOL_RE.finditer(text):
        if _overlaps(m.start(), m.end(), taken) or _is_header_number(text, m.start()):
            continue
        sym = _symbol_from_match(m)
        if not sym.typed:
            continue
        so = _SO_BEFORE.search(text, max(0, m.start() - 6), m.start())
        c = _new(text, so.start() if so else m.start(), sym, None)
        out.append(_finish(text, c, _tails(text, c, m.end())))
    return out


def _short_forms(text: str, found: list[Citation], taken: list[tuple[int, int]], ctx: CiteContext | None) -> list[Citation]:
    """Pass 4: "Chỉ thị 34", "Kế hoạch này", "Nghị định nêu trên", resolved against the citing
    document (``ctx``) and the full citations before them; never emitted when nothing matches."""
    out = []
    # the latest full citation of each type, and of each (type, number), seen so far
    latest_type: dict[str | None, Citation] = {}
    latest_num: dict[tuple[str | None, str | None], Citation] = {}

    def see(c: Citation) -> None:
        latest_type[c.doc_type] = latest_num[(c.doc_type, c.number)] = c

    for c in (ctx.earlier if ctx else []):
        see(c)
    full = iter([c for c in found if not c.short_form])
    pending = next(full, None)
    for m in P.short_re().finditer(text):
        while pending is not None and pending.end <= m.start():
            see(pending)
            pending = next(full, None)
        if _overlaps(m.start(), m.end(), taken):
            continue
        doc_type = P.type_name_of(m.group("type"))
        src: Citation | None = None
        if m.group("num"):
            src = latest_num.get((doc_type, m.group("num")))
        elif m.group("above"):
            src = latest_type.get(doc_type)
        elif m.group("self") and ctx and (ctx.canonical or ctx.doc_id) and doc_type and ctx.doc_type \
                and fold(doc_type) == fold(ctx.doc_type):
            number = re.match(r"[\d.]+", ctx.canonical or "")
            src = Citation(0, 0, "", doc_type=ctx.doc_type, year=ctx.year, canonical=ctx.canonical, date=ctx.date,
                           issuer=ctx.issuer, target=ctx.doc_id, number=number.group(0) if number else None)
        if src is None:
            continue
        c = Citation(start=m.start(), end=m.end(), text=m.group(0), doc_type=src.doc_type, number=src.number,
                     year=src.year, canonical=src.canonical, date=src.date, issuer=src.issuer,
                     target=src.target if m.group("self") else None, short_form=True)
        out.append(c)
    return out


# What joins the members of a list sharing one verb: a comma, "và", "cùng".
_LIST_GLUE = re.compile(r"\s*(?:,|;)?\s*(?:và|cùng|,)?\s*(?:các\s+)?")


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Does [start, end) overlap a span of ``taken`` (sorted by start)? Binary search: a long text
    has thousands of citations and tens of thousands of candidate matches."""
    i = bisect.bisect_left(taken, (end, -1))
    return any(s < end and start < e for s, e in taken[max(0, i - 3):i])


def extract_citations(text: str, section_id: str | None = None, context: CiteContext | None = None) -> list[Citation]:
    """Every citation in ``text``, in order of position. With a ``context``, short forms resolve
    against the citing document and earlier citations, and this text's full citations are appended
    to ``context.earlier`` for the texts that follow."""
    if not text or not text.strip():
        return []
    found = _lead_citations(text)
    taken = sorted((c.start, c.end) for c in found)
    found += _law_name_citations(text, taken)
    taken = sorted((c.start, c.end) for c in found)
    found += _bare_symbols(text, taken)
    taken = sorted((c.start, c.end) for c in found)
    found.sort(key=lambda c: c.start)
    found += _short_forms(text, found, taken, context)
    found.sort(key=lambda c: c.start)
    prev_end, prev_relation = 0, None
    for c in found:
        c.section_id = section_id
        if prev_relation and _LIST_GLUE.fullmatch(text[prev_end:c.start]):
            c.relation = prev_relation        # "thực hiện Chỉ thị 19/CT-TTg và Kế hoạch …": one verb, a list
        else:
            c.relation = _relation_before(text, c.start, prev_end)
        if c.relation == "mentions" and not c.short_form:
            c.relation = _relation_after(text, c.end) or c.relation
        prev_relation = c.relation
        c.pinpoint = _pinpoint_before(text, c.start)
        prev_end = c.end
        if c.year is None and context and c.canonical:   # a later bare mention inherits the year
            same = next((e for e in reversed(context.earlier) if e.canonical == c.canonical and e.year), None)
            if same:
                c.year = same.year
    if context is not None:
        context.earlier.extend(c for c in found if not c.short_form)
    return found


# Headings of the part that lists a document's legal basis ("I. CƠ SỞ XÂY DỰNG ĐỀ ÁN",
# "Căn cứ pháp lý"): what is cited there is cited as a basis even without the word "căn cứ".
_BASIS_HEADING = re.compile(r"\b(co so (xay dung|phap ly|ban hanh)|can cu (phap ly|xay dung|ban hanh))\b")


def _basis_sections(doc: Document) -> set[str]:
    """Ids of the sections under a legal-basis heading (the heading's section and its descendants)."""
    heads = {s.id for s in doc.sections if s.heading and _BASIS_HEADING.search(fold(s.heading))}
    by_id = {s.id: s for s in doc.sections}
    out = set()
    for s in doc.sections:
        cur: Section | None = s
        while cur is not None:
            if cur.id in heads:
                out.add(s.id)
                break
            cur = by_id.get(cur.parent) if cur.parent else None
    return out


def extract_document_citations(doc: Document) -> list[Citation]:
    """All citations of a document: sections in order (headings, text) and each section's
    footnotes right after it, carrying one context so short forms resolve across sections.
    Offsets of citations found in a heading or a footnote are into that heading or footnote text,
    and ``Citation.part`` (with ``footnote``, its index) says which: the page links each in place."""
    ctx = CiteContext.for_document(doc)
    basis = _basis_sections(doc)
    notes_by_section: dict[str | None, list[int]] = {}
    for i, f in enumerate(doc.footnotes):
        notes_by_section.setdefault(f.section_id, []).append(i)

    def in_footnote(i: int, section_id: str | None) -> list[Citation]:
        found = extract_citations(doc.footnotes[i].text, section_id, ctx)
        for c in found:
            c.part, c.footnote = "footnote", i
        return found

    out: list[Citation] = []
    for s in doc.sections:
        found = extract_citations(s.heading, s.id, ctx) if s.heading and s.heading not in s.text else []
        for c in found:
            c.part = "heading"      # its offsets are into the heading, which the page shows apart
        found += extract_citations(s.text, s.id, ctx)
        if s.id in basis:           # the items under "Cơ sở xây dựng Đề án" are its legal basis
            for c in found:
                c.relation = "basis" if c.relation == "mentions" else c.relation
        out += found
        for i in notes_by_section.pop(s.id, []):
            out += in_footnote(i, s.id)
    for notes in notes_by_section.values():
        for i in notes:
            out += in_footnote(i, doc.footnotes[i].section_id)
    return out
