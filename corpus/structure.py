"""The hierarchy of one document: Phần › Chương › Mục › Điều › khoản › điểm, or I. › 1. › 1.1. › a).

Every Phần/Chương/Mục/Điều, Roman, numbered and lettered item is a Section; dash items ("- …")
stay in their parent's text (retrieval works at section level and one-line sections hurt search).
Text before the first item is the "preamble" section (header, title, Căn cứ lines); the signature
block and "Nơi nhận" list are the "closing" section; "PHỤ LỤC …"/"DANH MỤC …"/"Mẫu số …" start an
"appendix" section that holds what follows. Tables are "table" sections under the section they
appear in.

Ids are built from the labels along the path ("chuong-2.dieu-5.k1.a", "phan-1.ii.3"), so the same
input always gives the same ids; a repeated id gets "-2", "-3" in order of appearance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import is_all_caps, is_name
from .models import Section, Table
from .tables import table_text
from .vntext import fold

_ROMAN = r"[IVXLC]+"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# Each pattern: the marker at the start of a line, its number, and the rest of the line. A space
# must follow an item marker: "0.a" or "I.X" is text, and splitting it would lose its punctuation.
_PHAN = re.compile(rf"^(?:Phần|PHẦN)\s+(?:thứ\s+|THỨ\s+)?({_ROMAN}|\d+|[A-ZĐ][a-zà-ỹ]+|[A-ZĐ]+)\b[.:]?\s*(.*)$")
_CHUONG = re.compile(rf"^(?:Chương|CHƯƠNG)\s+({_ROMAN}|\d+)\b[.:]?\s*(.*)$")
_MUC = re.compile(rf"^(?:Mục|MỤC)\s+({_ROMAN}|\d+)\b[.:]?\s*(.*)$")
# "Điều 5. Tiêu chuẩn …", "Điều 5", "Điều 42" (VBHN); not "Điều 1.À" (no space after the separator)
_DIEU = re.compile(r"^Điều\s+(\d+)([a-z]?)(?:\s*[.:])?(?:\s+(.*))?$")
_ALPHA = re.compile(r"^([A-Z])\.\s+(.+)$")               # "A. KHỐI THI ĐUA …" (Hưng Yên guide)
_ROMAN_ITEM = re.compile(rf"^({_ROMAN})\.\s+(\S.*)$")     # "II. NỘI DUNG, GIẢI PHÁP"
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.(?!\d)\s+(\S.*)$")   # "2.3." alone is not "2." + "3."  # "1.", "2.1.", "2.1.3."
_LETTERED = re.compile(r"^([a-zđ])\)\s+(\S.*)$")          # "a)", "đ)"
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|MẪU SỐ|Mẫu số)\b")
_CAPACITY = re.compile(r"^(?:TM|KT|Q|TL|T/M)\.(?:\s|$)")
# A numbered heading is short and does not end a sentence; a long "1. …" item is body text.
MAX_HEADING = 200

RANK = {"appendix": 0, "closing": 0, "phan": 1, "chuong": 2, "muc": 3, "part": 4, "roman": 5, "dieu": 5,
        "numbered": 6, "khoan": 6, "lettered": 10, "diem": 10, "table": 20}


@dataclass
class Marker:
    kind: str
    label: str
    local_id: str
    heading: str
    text: str
    rank: int
    footnote: str | None = None     # a note number glued to an article number (VBHN)


@dataclass
class Outline:
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    glued_notes: dict[str, str] = field(default_factory=dict)   # marker → section id


def roman_to_int(s: str) -> int:
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES.get(b, 0) > v else v
    return total


def _num_id(token: str) -> str:
    return str(roman_to_int(token)) if re.fullmatch(_ROMAN, token) else fold(token).lower()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text))[:40].strip("-") or "x"


def _heading_or_text(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    if len(rest) <= MAX_HEADING and not rest.endswith((".", ";", ":", ",")):
        return rest, ""
    return "", rest


class _Builder:
    def __init__(self, consolidated: bool, codified: bool):
        self.consolidated = consolidated
        self.codified = codified
        self.out = Outline()
        self.stack: list[tuple[Section, int]] = []
        self.ids: dict[str, int] = {}
        self.prev_dieu = 0
        self.in_appendix = False
        self.in_closing = False
        self.tables = 0
        self.pending: dict[str, list[str]] = {}
        self.law_like = False
        self.body_started = False
        self.last_part = ""
        self.seen_roman = False

    # --- markers ---------------------------------------------------------------------------
    def marker(self, line: str, next_lines: list[str]) -> Marker | None:
        s = line.strip()
        # codified texts (pháp điển) have no appendices: their "Phụ lục kèm theo … .doc" lines are
        # links to attachments, and the articles after them must not nest under an appendix
        if _APPENDIX.match(s) and len(s) <= 200 and not self.codified:
            return Marker("appendix", s, _slug(s), s, "", RANK["appendix"])
        if not self.in_appendix and not self.in_closing and self._starts_closing(s, next_lines):
            return Marker("closing", "", "closing", "", s, RANK["closing"])
        if self.in_closing and not self.in_appendix:
            return None
        in_law_preamble = self.law_like and not self.body_started
        for kind, pat in (("phan", _PHAN), ("chuong", _CHUONG), ("muc", _MUC)):
            m = pat.match(s)
            if m and len(s) <= 200:
                label = s[: m.start(2)].strip().rstrip(".:") if m.group(2) else s.rstrip(".:")
                return Marker(kind, label, f"{kind}-{_num_id(m.group(1))}", m.group(2).strip(), "", RANK[kind])
        m = _DIEU.match(s)
        if m and not (m.group(3) or "")[:1].islower():   # "Điều 4 của Luật số 32/2009/QH12 …" cites, does not open, an article
            return self._dieu(m)
        if in_law_preamble:
            return None
        m = _ALPHA.match(s)
        if m and is_all_caps(m.group(2)) and (m.group(1) == "A" and not self.last_part and not self.seen_roman
                                               or self.last_part and ord(m.group(1)) == ord(self.last_part) + 1):
            self.last_part = m.group(1)   # "A." "B." "C." parts (Hưng Yên guide); "C." after "B." is not Roman 100
            return Marker("part", f"{m.group(1)}.", f"part-{m.group(1).lower()}", m.group(2).strip(), "", RANK["part"])
        m = _ROMAN_ITEM.match(s)
        if m:
            self.seen_roman = True
            return Marker("roman", f"{m.group(1)}.", m.group(1).lower(), m.group(2).strip(), "", RANK["roman"])
        m = _NUMBERED.match(s)
        if m and int(m.group(1).split(".")[0]) <= 200:
            depth = m.group(1).count(".")
            heading, text = _heading_or_text(m.group(2))
            in_dieu = any(sec.kind == "dieu" for sec, _ in self.stack)
            if in_dieu and depth == 0:
                return Marker("khoan", f"{m.group(1)}.", f"k{m.group(1)}", heading, text, RANK["khoan"])
            return Marker("numbered", f"{m.group(1)}.", m.group(1).replace(".", "-"), heading, text,
                          RANK["numbered"] + depth)
        m = _LETTERED.match(s)
        if m:
            parent_kind = self.stack[-1][0].kind if self.stack else ""
            kind = "diem" if parent_kind == "khoan" else "lettered"
            local = "dd" if m.group(1) == "đ" else m.group(1)
            return Marker(kind, f"{m.group(1)})", local, "", m.group(2).strip(), RANK[kind])
        return None

    def _dieu(self, m: re.Match) -> Marker:
        digits, suffix, rest = m.group(1), m.group(2), m.group(3) or ""
        number, note = int(digits), None
        expected = str(self.prev_dieu + 1)
        if (self.consolidated and not self.codified and number != self.prev_dieu + 1
                and digits.startswith(expected) and len(digits) > len(expected)):
            number, note = self.prev_dieu + 1, digits[len(expected):]   # "Điều 42" = Điều 4 + note 2
        self.prev_dieu = number
        label = f"Điều {number}{suffix}"
        return Marker("dieu", label, f"dieu-{number}{suffix}", rest.strip().rstrip("."), "", RANK["dieu"], footnote=note)

    def _starts_closing(self, s: str, next_lines: list[str]) -> bool:
        if s.startswith("Nơi nhận") or _CAPACITY.match(s):
            return True
        if is_all_caps(s) and len(s.split()) <= 7 and not re.match(rf"^({_ROMAN}|\d+|[A-Z])\.", s):
            following = [x.strip() for x in next_lines if x.strip()][:2]
            return any(is_name(x) for x in following)
        return False

    # --- tree --------------------------------------------------------------------------------
    def open(self, mk: Marker) -> Section:
        if mk.kind in ("phan", "chuong", "muc", "dieu", "appendix", "closing"):
            self.body_started = True
        while mk.kind != "table" and self.stack and self.stack[-1][1] >= mk.rank:
            self.stack.pop()
        parent = self.stack[-1][0] if self.stack else None
        full = f"{parent.id}.{mk.local_id}" if parent else mk.local_id
        n = self.ids.get(full, 0) + 1
        self.ids[full] = n
        sid = full if n == 1 else f"{full}-{n}"
        sec = Section(id=sid, kind=mk.kind, label=mk.label, heading=mk.heading, text=mk.text,
                      level=(parent.level + 1) if parent else 1, parent=parent.id if parent else None,
                      path=(parent.path if parent else []) + [sid],
                      breadcrumb=(parent.breadcrumb if parent else []) + [_crumb(mk)])
        self.out.sections.append(sec)
        self.stack.append((sec, mk.rank))
        if mk.footnote:
            self.out.glued_notes[mk.footnote] = sid
        if mk.kind == "appendix":
            self.in_appendix = True
        if mk.kind == "closing":
            self.in_closing = True
        return sec

    def current(self) -> Section:
        if not self.stack:
            # rank 100: the first structural item of any kind closes the preamble
            return self.open(Marker("preamble", "", "preamble", "", "", 100))
        return self.stack[-1][0]

    def add_text(self, line: str) -> None:
        sec = self.current()
        # collected as a list and joined once in finish(): growing one string line by line is quadratic
        self.pending.setdefault(sec.id, [sec.text] if sec.text else []).append(line)

    def finish(self) -> Outline:
        for sec in self.out.sections:
            if sec.id in self.pending:
                sec.text = "\n".join(self.pending[sec.id])
        return self.out

    def add_table(self, table: Table) -> None:
        self.current()  # a table before any heading opens the preamble
        self.tables += 1
        table.id = f"bang-{self.tables}"
        sec = self.open(Marker("table", f"Bảng {self.tables}", table.id, "", table_text(table), RANK["table"]))
        table.section_id = sec.id
        self.out.tables.append(table)
        self.stack.pop()  # text after the table belongs to the section around it


def _crumb(mk: Marker) -> str:
    if mk.kind == "khoan":
        return f"Khoản {mk.label.rstrip('.')}"
    if mk.kind == "diem":
        return f"Điểm {mk.label.rstrip(')')}"
    if mk.kind in ("preamble", "closing"):
        return {"preamble": "Phần mở đầu", "closing": "Phần ký và nơi nhận"}[mk.kind]
    return mk.label


def build_outline(items: list, consolidated: bool = False, codified: bool = False) -> Outline:
    """Lines and Tables of one document → its sections (reading order) and tables."""
    b = _Builder(consolidated, codified)
    # In a text made of articles, numbered lines before the first Phần/Chương/Mục/Điều belong to the
    # preamble (16/VBHN lists its amending laws "1. Luật số 47/2005/QH11 …" there).
    b.law_like = any(isinstance(x, str) and _DIEU.match(x.strip()) for x in items)
    b.current()  # the preamble always exists, even when empty
    lines_only = [x if isinstance(x, str) else "" for x in items]
    waiting_heading: Section | None = None
    for i, item in enumerate(items):
        if isinstance(item, Table):
            b.add_table(item)
            waiting_heading = None
            continue
        s = item.strip()
        if not s:
            continue
        if waiting_heading is not None and not waiting_heading.heading and len(s) <= 200 and is_all_caps(s) \
                and b.marker(s, lines_only[i + 1:i + 8]) is None:
            waiting_heading.heading = s   # "Chương I" ⏎ "NHỮNG QUY ĐỊNH CHUNG"
            waiting_heading = None
            continue
        waiting_heading = None
        mk = b.marker(s, lines_only[i + 1:i + 8])
        if mk is None:
            b.add_text(s)
            continue
        sec = b.open(mk)
        if mk.kind in ("phan", "chuong", "muc", "part") and not mk.heading:
            waiting_heading = sec
    return b.finish()
