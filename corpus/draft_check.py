"""The drafting check: what an officer must fix in a citation before the draft goes out.

Compares what a draft cites (number, date, issuer) with what the registry knows, and names each
problem with the right value: an unknown or ambiguous number, a superseded document, a date or an
issuer that differs from the registry's, and a first mention not written in the full form of
Nghị định 30/2020/NĐ-CP (corpus/data/draft_check.yaml), with the full form to paste. A unit's own
paper the registry cannot know (a Tờ trình, a Công văn) is "not checkable", not a warning.
Used by `tdkt cite` and by the site's citation lookup, so both agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from .citations import extract_citations
from .models import Citation
from .registry import Registry, RegistryEntry, Resolution, key
from .vntext import fold

DATA_FILE = Path(__file__).parent / "data" / "draft_check.yaml"

# Issuer abbreviations written in drafts, expanded before two issuers are compared. The Prime
# Minister is one word here: "Chính phủ" inside "Thủ tướng Chính phủ" names another issuer.
_ISSUER_ABBR = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "ttg": "thutuong",
                "bct": "bo chinh tri", "tw": "trung uong"}
_PHRASES = {"thu tuong chinh phu": "thutuong", "thu tuong": "thutuong", "chu tich nuoc": "chutichnuoc"}
# The head of a body signing for it: "Bộ trưởng Bộ Nội vụ" is "Bộ Nội vụ", "Chủ tịch UBND tỉnh Lạng
# Sơn" is "UBND tỉnh Lạng Sơn" (the Prime Minister and the President are issuers of their own).
_SIGNER = re.compile(r"^(?:bo truong|chu tich|thu truong|vien truong|chanh an|truong ban|chu nhiem|thong doc|tong(?= thanh tra| kiem toan)) ")
# Words that do not tell two issuers apart ("UBND tỉnh Lạng Sơn" ~ "Ủy ban nhân dân Lạng Sơn").
_FILLER = {"cua", "tinh", "thanh", "pho"}
_WORD = re.compile(r"[a-z0-9]+")
# "Luật số 06/2022/QH15", "Bộ luật số …": a law cited by its number, without its name
_LAW_BY_NUMBER = re.compile(r"^(?:bo\s+)?(?:luat|phap lenh|hien phap)\s*(?:so\b|\d)")

Namer = Callable[[str], str]


@dataclass
class Problem:
    kind: str      # unknown | ambiguous | superseded | date | issuer | not_full_form
    message: str   # in Vietnamese, for the officer
    right: str | None = None   # the registry's value: the right date, issuer, replacement or full form

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message} | ({"right": self.right} if self.right else {})


@dataclass
class CheckedCitation:
    """One citation of a draft with what the registry says about it and what to fix."""

    citation: Citation
    resolution: Resolution
    problems: list[Problem] = field(default_factory=list)
    checkable: bool = True
    check_note: str | None = None     # why it cannot be checked
    first_mention: bool = True


@dataclass(frozen=True)
class Rules:
    named_types: frozenset[str]
    papers: frozenset[str]
    title_openers: tuple[str, ...]
    examples: tuple[dict[str, Any], ...] = ()


@lru_cache(maxsize=None)
def rules(path: Path = DATA_FILE) -> Rules:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    openers = tuple(sorted((" ".join(fold(w).split()) for w in raw.get("title_openers") or []), key=len, reverse=True))
    return Rules(frozenset(fold(t) for t in raw.get("named_types") or []), frozenset(fold(t) for t in raw.get("papers") or []),
                 openers, tuple(raw.get("examples") or ()))


# --- comparing ----------------------------------------------------------------------------------


def _issuer_key(issuer: str) -> str:
    text = " ".join(_WORD.findall(fold(issuer)))
    for phrase, one in _PHRASES.items():
        text = re.sub(rf"\b{phrase}\b", one, text)
    text = _SIGNER.sub("", text)
    words = [_ISSUER_ABBR.get(w, w) for w in text.split()]
    return " ".join(w for w in " ".join(words).split() if w not in _FILLER)


def same_issuer(cited: str, known: str) -> bool:
    """"UBND tỉnh Lạng Sơn" is "Ủy ban nhân dân tỉnh Lạng Sơn", "Bộ trưởng Bộ Nội vụ" is "Bộ Nội
    vụ"; one naming contained in the other counts, on whole words. "Thủ tướng Chính phủ" is not
    "Chính phủ", "Ban Bí thư" is not "Bộ Chính trị"."""
    a, b = _issuer_key(cited), _issuer_key(known)
    if not a or not b:
        return True
    a, b = f" {a} ", f" {b} "
    return a in b or b in a


def _display(iso: str) -> str:
    y, m, d = (iso.split("-") + [None, None])[:3]
    return f"{int(d):02d}/{int(m)}/{y}" if d and m else iso


def _label(e: RegistryEntry) -> str:
    """"Chỉ thị 34-CT/TW ngày 07/4/2014 của Bộ Chính trị": how a candidate is named to the officer."""
    out = " ".join(x for x in (e.doc_type, e.canonical or e.id) if x)
    if e.date and len(e.date) == 10:
        out += f" ngày {_display(e.date)}"
    who = e.issuer or e.province
    return out + (f" của {who}" if who else "")


# --- one citation -------------------------------------------------------------------------------


def citation_problems(c: Citation, res: Resolution, name_of: Namer | None = None) -> list[Problem]:
    """Every problem with one citation, given what the registry resolved it to. ``name_of`` turns
    a registry id into the name an officer reads ("Luật 06/2022/QH15")."""
    name_of = name_of or (lambda entry_id: entry_id)
    out: list[Problem] = []
    entry: RegistryEntry | None = res.entry
    if res.status == "ambiguous":
        names = "; ".join(_label(e) for e in res.candidates)
        if len(res.candidates) == 1:   # a local number without its issuer's province: the one known is a guess
            text = (f"Văn bản địa phương không ghi cơ quan ban hành: tỉnh/thành nào cũng có thể có số hiệu này "
                    f"(kho chỉ biết {names}). Hãy ghi rõ cơ quan ban hành và ngày ban hành, hoặc chọn tỉnh/thành.")
        else:
            text = f"Số hiệu này ứng với nhiều văn bản: {names}. Hãy ghi rõ ngày ban hành và cơ quan ban hành."
        out.append(Problem("ambiguous", text))
    elif entry is None:
        out.append(Problem("unknown", "Không tìm thấy văn bản này trong danh mục: kiểm tra lại số hiệu, ngày ban hành."))
    if entry is None:
        return out
    state = (entry.status or {}).get("state")
    if res.status == "superseded" or state in ("superseded", "expired"):
        by = ", ".join(name_of(b) for b in (entry.status or {}).get("by") or [] if isinstance(b, str))
        source = (entry.status or {}).get("source")
        out.append(Problem("superseded", "Văn bản này đã hết hiệu lực" + (f", được thay thế bởi {by}" if by else "")
                           + (f" (theo {source})." if source else "."), by or None))
    if c.date and entry.date and len(entry.date) == 10 and c.date != entry.date:
        out.append(Problem("date", f"Ngày trích dẫn {_display(c.date)} khác ngày ban hành trong danh mục: {_display(entry.date)}.",
                           _display(entry.date)))
    if c.issuer and entry.issuer and not same_issuer(c.issuer, entry.issuer):
        out.append(Problem("issuer", f"Cơ quan ban hành trích dẫn “{c.issuer}” khác danh mục: “{entry.issuer}”.", entry.issuer))
    return out


def _year_from_date_only(c: Citation) -> bool:
    """The citation's year comes from its date, not from its symbol ("34-CT/TW", "19/CT-TTg")."""
    return bool(c.date) and not re.search(r"/(?:19|20)\d\d/", c.canonical or "")


def _near_miss(c: Citation, registry: Registry, province: str | None) -> Resolution | None:
    """A number without a year in its symbol, cited with a date no known document of that number
    has ("Chỉ thị số 34-CT/TW ngày 07/4/2015"): the one known document with that number, type and
    issuer, so the officer is told its date instead of "unknown" (said as a possibility: another
    term's 34-CT/TW is another directive). Not for local numbers."""
    if not _year_from_date_only(c) or Registry._is_local(c):
        return None     # a province's numbers restart every year: another year's is another plan
    res = registry.lookup(replace(c, date=None, year=None), province=province)
    e = res.entry
    if e is None or res.status == "ambiguous" or not e.date or len(e.date) != 10:
        return None
    if (c.doc_type and e.doc_type and fold(c.doc_type) != fold(e.doc_type)) or \
            (c.issuer and e.issuer and not same_issuer(c.issuer, e.issuer)):
        return None
    return res


def check_citation(c: Citation, registry: Registry, province: str | None = None,
                   name_of: Namer | None = None) -> CheckedCitation:
    """Resolve one citation and name its problems (not the first-mention rule: see check_draft)."""
    res = registry.lookup(c, province=province or None)
    near_miss = False
    if res.status == "unknown":
        near = _near_miss(c, registry, province or None)
        if near is not None:
            near_miss = True
            res = replace(near, note=f"không có văn bản {c.canonical} năm {c.date[:4]} trong danh mục; văn bản đã biết ngày {near.entry.date}")
    if res.entry is None and res.status == "unknown" and c.doc_type and fold(c.doc_type) in rules().papers:
        return CheckedCitation(c, res, [], checkable=False, check_note=(
            f"{c.doc_type} là văn bản làm việc của đơn vị, không có trong danh mục: không kiểm tra được, "
            f"hãy tự đối chiếu số, ngày và cơ quan ban hành."))
    problems = citation_problems(c, res, name_of)
    if near_miss:
        for p in problems:
            if p.kind == "date":
                p.message = (f"Không có văn bản số {c.canonical} năm {c.date[:4]} trong danh mục; danh mục biết "
                             f"{_label(res.entry)}: nếu là văn bản này, ngày ban hành đúng là {p.right}.")
    current = _in_force_successor(res.entry, registry) if res.entry is not None else None
    for p in problems:
        if p.kind == "superseded" and current is not None and current.id not in (res.entry.status or {}).get("by", []):
            label = (name_of or (lambda i: i))(current.id)
            p.message = p.message.rstrip(".") + f"; văn bản đang có hiệu lực: {label}."
            p.right = f"{p.right}; hiện hành: {label}" if p.right else label
    return CheckedCitation(c, res, problems)


def _in_force_successor(entry: RegistryEntry, registry: Registry) -> RegistryEntry | None:
    """Follow "replaced by" to the end (91/2017/NĐ-CP → 98/2023/NĐ-CP → 152/2025/NĐ-CP): the text
    that applies now, when the chain is one document at each step."""
    seen, cur = {entry.id}, entry
    while cur.ended:
        by = [b for b in (cur.status or {}).get("by") or [] if isinstance(b, str)]
        nxt = registry.get(by[0]) if len(by) == 1 else None
        if nxt is None or nxt.id in seen:
            return None
        seen.add(nxt.id)
        cur = nxt
    return cur if cur is not entry else None


# --- the full form of a first mention -----------------------------------------------------------


def has_title_after(text: str, end: int) -> bool:
    """Does a trích yếu follow the citation ("… của Bộ Chính trị về tiếp tục đổi mới …")?"""
    rest = fold(text[end:end + 60]).lstrip(" \t,")
    return any(rest.startswith(w) and (not w[-1].isalnum() or not rest[len(w):len(w) + 1].isalnum())
               for w in rules().title_openers)


def missing_parts(c: Citation, text: str, entry: RegistryEntry | None = None,
                  group: list[Citation] | None = None) -> list[str]:
    """What the full form of NĐ 30/2020 needs and this citation lacks, in the officer's words.
    ``group``: the list the citation stands in ("các Nghị định số 91/2017/NĐ-CP ngày …, 152/2025/NĐ-CP
    ngày … của Chính phủ quy định …"), which shares its first member's type word and its last
    member's issuer and trích yếu."""
    group = group or [c]
    doc_type = c.doc_type or (entry.doc_type if entry else None)
    typed = not _NUMBER_FIRST.match(group[0].text.lstrip())
    if doc_type and fold(doc_type) in rules().named_types:
        out = ["tên luật"] if _LAW_BY_NUMBER.match(fold(c.text).lstrip()) else []
        return out + ([] if c.date and len(c.date) == 10 else ["ngày thông qua"])
    out = []
    if not doc_type or not typed:
        out.append("loại văn bản")
    if not c.number and not c.symbol:
        out.append("số, ký hiệu")
    if not (c.date and len(c.date) == 10):
        out.append("ngày ban hành")
    if not any(m.issuer for m in group[group.index(c) if c in group else 0:]):
        out.append("cơ quan ban hành")
    if not has_title_after(text, group[-1].end):
        out.append("trích yếu")
    return out


# What joins the members of one list of documents: a comma, "và", "cùng" (not ";": each "Căn cứ"
# line is its own item).
_LIST_GLUE = re.compile(r"[^\S\n]*(?:,|và|cùng)[^\S\n]*(?:(?:và|các)[^\S\n]+)?(?:số[^\S\n]*)?")


# A list member written without its own type word: "12/2019/NQ-HĐND", "số 12/2019/NQ-HĐND".
_NUMBER_FIRST = re.compile(r"(?i)(?:số[^\S\n]*)?\d")


def _groups(text: str, cits: list[Citation]) -> dict[int, list[Citation]]:
    """Citation index → the list of citations it stands in (itself alone when in no list)."""
    out: dict[int, list[Citation]] = {}
    run: list[int] = []
    for i, c in enumerate(cits):
        if run and not c.short_form and c.start >= cits[run[-1]].end \
                and _LIST_GLUE.fullmatch(text[cits[run[-1]].end:c.start]) and _NUMBER_FIRST.match(c.text):
            run.append(i)
        else:
            run = [i]
        members = [cits[j] for j in run]
        for j in run:
            out[j] = members
    return out


def _identity(checked: CheckedCitation) -> str | None:
    e = checked.resolution.entry
    if e is not None:
        return e.id
    return key(checked.citation.canonical) or None


def check_draft(text: str, registry: Registry, province: str | None = None,
                name_of: Namer | None = None) -> list[CheckedCitation]:
    """Every citation of a draft, checked: the problems of each, and on the first mention of each
    known document the parts of the full form it lacks, with the full form to paste. Short forms
    ("Chỉ thị này") and later mentions may be short."""
    out: list[CheckedCitation] = []
    seen: set[str] = set()
    cits = extract_citations(text)
    groups = _groups(text, cits)
    for i, c in enumerate(cits):
        checked = check_citation(c, registry, province, name_of)
        ident = _identity(checked)
        checked.first_mention = not c.short_form and ident not in seen
        if ident:
            seen.add(ident)
        out.append(checked)
        entry, kinds = checked.resolution.entry, {p.kind for p in checked.problems}
        if not checked.first_mention or entry is None or kinds & {"superseded", "ambiguous", "unknown"}:
            continue   # a superseded text is replaced, not completed; an unknown one has no full form
        lacking = missing_parts(c, text, entry, groups[i])
        if lacking:
            full = entry.full_form()
            checked.problems.append(Problem(
                "not_full_form", f"Lần đầu viện dẫn phải ghi đầy đủ (Nghị định 30/2020/NĐ-CP): còn thiếu {', '.join(lacking)}."
                + (" Dùng trích dẫn chuẩn." if full else ""), full))
    return out
