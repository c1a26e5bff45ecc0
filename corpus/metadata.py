"""Metadata of one document from its header block, title and signature block.

What is blank in the source stays blank ("Số: /KH-VP" → number None; "ngày  tháng 9 năm 2024" →
day None): partial, never invented. When the header block is missing (seeds 000 and 004) the
issuer is inferred from the symbol's issuer code and the place where the text names that body.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, Field, field, fields, make_dataclass
from typing import Any

from .clean import is_all_caps, is_name, is_name_word
from .models import Document, HEADER_FIELDS, PartialDate
from .vntext import fold
from .vocab import doc_type_by_code, doc_type_by_name, issuer_by_code, issuers

# Provinces and centrally-run cities (before and after the 2025 merger), as written.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh",
    "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hoà Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Khánh Hoà",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thanh Hoá",
    "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_PROVINCE_RE = "|".join(sorted((re.escape(p) for p in PROVINCES), key=len, reverse=True))
_UNIT = r"(?:tỉnh|thành phố|TỈNH|THÀNH PHỐ|Tỉnh|Thành phố)"
# --- symbol: "1169/CTr-UBND", "1657 /QĐ-UBND", "/HD – HĐTĐKT", "06/2022/QH15", "16/VBHN-VPQH" ------
_CODE = r"[0-9A-Za-zÀ-ỹĐđ&.]+"
_SYMBOL = rf"(?P<num>\d+[a-z]?)?\s*/\s*{_CODE}(?:\s*[/\-–]\s*{_CODE})*"
_SO_LINE = re.compile(rf"(?:^|\s)(?:Số|SỐ|Luật số|số)\s*:?\s*(?P<sym>{_SYMBOL})")
# --- date: "Lạng Sơn, ngày 26 tháng 10 năm 2021", "Bắc Kạn, ngày   tháng 9 năm 2024" ---------------
_DATE = re.compile(r"ngày\s*(?P<d>\d{1,2})?\s*(?:/\s*)?tháng\s*(?P<m>\d{1,2})?\s*(?:/\s*)?năm\s*(?P<y>\d{4})?")
_PLACE = re.compile(r"(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})\s*,\s*ngày")
_SLASH_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
# Codified copies: "Ngày ban hành: 04/11/2019 | Cơ quan ban hành: Bộ Nội vụ | Hiệu lực: 01/01/2020".
_CODIFIED = re.compile(r"Ngày ban hành:\s*(?P<date>[^|]*)\|\s*Cơ quan ban hành:\s*(?P<issuer>[^|]*)")
_CODIFIED_TITLE = re.compile(r"^(?P<type>[A-ZÀ-ỸĐ ]+?)\s+SỐ\s+(?P<rest>.*)$")
# "(Ban hành kèm theo Quyết định số: 1657 /QĐ-UBND ngày 19/8/2021 của UBND tỉnh Lạng Sơn)"
_ATTACHED = re.compile(rf"^\(?\s*(?:Ban hành\s+)?kèm theo\s+(?P<type>[^\d(/]*?)\s*(?:số\s*:?\s*)?(?P<sym>{_SYMBOL})"
                       rf"(?:\s*ngày\s*(?P<date>[\d/ ]+))?(?:\s*của\s+(?P<issuer>[^)]+))?", re.IGNORECASE)
_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập)")
_CAPACITY = re.compile(r"^(?:TM|KT|Q|TL|T/M)\.")
HEADER_LINES = 30


def _as_header_field(f: Field) -> tuple[str, Any, Field]:
    default = field(default_factory=f.default_factory) if f.default_factory is not MISSING else field(default=f.default)
    return f.name, f.type, default


# What the header gives: the HEADER_FIELDS of Document (same names, types and defaults), plus
# where the header says the text is attached ({"doc_type", "symbol", "number", "date", "issuer"}
# from "kèm theo") and the line of its type word.
Meta = make_dataclass("Meta", [*(_as_header_field(f) for f in fields(Document) if f.name in HEADER_FIELDS),
                               ("attached_to", "dict | None", field(default=None)),
                               ("type_line", "int | None", field(default=None))])
Meta.__module__ = __name__


def normalise_symbol(raw: str) -> tuple[str, str | None]:
    """"1657 /QĐ-UBND" → ("1657/QĐ-UBND", "1657"); "/HD – HĐTĐKT" → ("/HD-HĐTĐKT", None)."""
    sym = re.sub(r"\s*([/\-–])\s*", r"\1", raw.strip()).replace("–", "-").rstrip(".")
    m = re.match(r"(\d+[a-z]?)/", sym)
    return sym, (m.group(1) if m else None)


def split_symbol(symbol: str) -> tuple[str | None, str | None]:
    """(type code, issuer code): "200/KH-UBND" → (KH, UBND); "1419/VKS-VP" → (None, VKS)."""
    last = symbol.split("/")[-1]
    parts = [p for p in last.split("-") if p]
    if not parts:
        return None, None
    if len(parts) >= 2 and doc_type_by_code(parts[0]):
        return parts[0], _issuer_code(parts[1])
    return None, _issuer_code(parts[0])


def _issuer_code(code: str) -> str:
    found = issuer_by_code(code)
    return found.code if found and code.rstrip("0123456789") != code else code


def parse_date(line: str) -> PartialDate | None:
    m = _DATE.search(line)
    if not m or not any(m.group(k) for k in "dmy"):
        return None
    val = lambda k: int(m.group(k)) if m.group(k) else None
    return _valid(PartialDate(year=val("y"), month=val("m"), day=val("d")))


def _valid(d: PartialDate) -> PartialDate:
    if d.month is not None and not 1 <= d.month <= 12:
        d.month = None
    if d.day is not None and not 1 <= d.day <= 31:
        d.day = None
    return d


def slash_date(text: str) -> PartialDate | None:
    m = _SLASH_DATE.search(text or "")
    return _valid(PartialDate(year=int(m.group(3)), month=int(m.group(2)), day=int(m.group(1)))) if m else None


def find_province(text: str | None) -> str | None:
    if not text:
        return None
    m = re.search(rf"(?<!\w)({_PROVINCE_RE})(?!\w)", text, re.IGNORECASE)
    if not m:
        return None
    key = fold(m.group(1))
    return next(p for p in PROVINCES if fold(p) == key)


def issuer_display(caps: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" → "Ủy ban nhân dân tỉnh Lạng Sơn" (spelling kept, case fixed)."""
    text = re.sub(r"\s+", " ", caps).strip()
    if not is_all_caps(text):
        return text
    words = text.lower().split(" ")
    best = None
    for iss in issuers():
        name_words = iss.name.split(" ")
        if len(name_words) <= len(words) and fold(" ".join(words[:len(name_words)])) == fold(iss.name):
            if best is None or len(name_words) > len(best):
                best = name_words
    if best:
        words[:len(best)] = [w[:1].upper() + w[1:] if n[:1].isupper() else w for w, n in zip(words, best)]
    else:
        words[0] = words[0][:1].upper() + words[0][1:]
    out = " ".join(words)
    prov = find_province(out)
    if prov:
        out = re.sub(re.escape(prov.lower()), prov, out, flags=re.IGNORECASE) if prov.lower() in out.lower() else out
        out = re.sub(rf"(?<!\w){_PROVINCE_RE}(?!\w)", lambda m: _proper_province(m.group(0)), out, flags=re.IGNORECASE)
    return out


def _proper_province(found: str) -> str:
    key = fold(found)
    match = next((p for p in PROVINCES if fold(p) == key), found)
    # keep the source's own tone placement: copy case from the known name onto the found letters
    return "".join(c.upper() if k.isupper() else c for c, k in zip(found.lower(), match)) if len(match) == len(found) else match


def extract(lines: list[str], codified: bool = False) -> Meta:
    """Metadata from the cleaned lines of one document."""
    meta = Meta()
    text_lines = [ln.strip() for ln in lines if ln.strip() and "\t" not in ln]
    head = text_lines[:HEADER_LINES]
    if codified:
        _codified_header(meta, head)
    _type_and_title(meta, head)
    _symbol(meta, head, text_lines)
    _date_and_place(meta, head, text_lines)
    _issuer(meta, head, text_lines)
    _attachment(meta, head)
    main = _before_appendix(text_lines)   # forms in an appendix have their own "Kính gửi", "Nơi nhận", signatures
    _signature(meta, main)
    meta.recipients = recipients(main)
    meta.draft = any(re.fullmatch(r"\(?\s*(?:Dự thảo|DỰ THẢO)\s*\)?", ln) for ln in head)
    return meta


_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|MẪU SỐ|Mẫu số)\b")


def _before_appendix(lines: list[str]) -> list[str]:
    """The document's own lines: everything before its first appendix heading (past the header)."""
    for i, ln in enumerate(lines):
        if i >= 10 and _APPENDIX.match(ln):
            return lines[:i]
    return lines


def _codified_header(meta: Meta, head: list[str]) -> None:
    """"Ngày ban hành: 04/11/2019 | Cơ quan ban hành: Bộ Nội vụ | …" ("?" = unknown), and the type
    from the first line even when it is not all capitals ("PHÁP LỆNH (không số)")."""
    words = head[0].split() if head else []
    for k in range(min(4, len(words)), 0, -1):
        t = doc_type_by_name(" ".join(words[:k]))
        if t and is_all_caps(" ".join(words[:k])):
            meta.doc_type = t.name
            break
    for ln in head[:6]:
        m = _CODIFIED.search(ln)
        if m:
            meta.date = meta.date or slash_date(m.group("date"))
            issuer = m.group("issuer").strip()
            if issuer and issuer != "?":
                meta.issuer = issuer


def _type_and_title(meta: Meta, head: list[str]) -> None:
    for i, ln in enumerate(head):
        if ln.startswith(("Số", "Luật số")) and not is_all_caps(ln):
            continue
        m = _CODIFIED_TITLE.match(ln)
        t = doc_type_by_name(ln) if is_all_caps(ln) else None
        if t is None and m and doc_type_by_name(m.group("type")):
            t = doc_type_by_name(m.group("type"))
            sym = re.search(_SYMBOL, m.group("rest"))
            if sym:
                meta.symbol, meta.number = normalise_symbol(sym.group(0))
        if t is None:
            first = re.match(r"^([A-ZÀ-ỸĐ]+(?: [A-ZÀ-ỸĐ]+)?)\s+([A-ZÀ-ỸĐ][a-zà-ỹđ].*)$", ln)
            if first and doc_type_by_name(first.group(1)):   # "LUẬT Thi đua, khen thưởng Luật thi đua … số 15/2003/QH11 …"
                t = doc_type_by_name(first.group(1))
                meta.doc_type, meta.type_line = t.name, i
                rest = first.group(2).strip()
                cut = re.search(rf"\s{re.escape(t.name)}\b", rest, re.IGNORECASE)   # the consolidation note starts
                meta.title = rest[:cut.start()].strip() if cut else rest
                return
            if ln.startswith("V/v") and not meta.title:
                meta.title = ln
            continue
        meta.doc_type, meta.type_line = t.name, i
        meta.title = _title_after(head, i)
        return


def _title_after(head: list[str], i: int) -> str:
    out: list[str] = []
    for ln in head[i + 1:i + 5]:
        if re.match(r"^(Căn cứ|Thực hiện|Xét |Theo đề nghị|Trong |\(|Ngày ban hành|NGUỒN|Số điều|Điều\s+\d|"
                    r"Chương\s|CHƯƠNG\s|Phần\s|PHẦN\s|[IVX]+\.\s|\d+\.\s|BỘ TRƯỞNG|CHỦ TỊCH|THỦ TƯỚNG|ỦY BAN|UỶ BAN|"
                    r"HỘI ĐỒNG NHÂN DÂN|QUỐC HỘI|CHÍNH PHỦ)", ln):
            break
        out.append(ln)
        if len(out) == 2 or not is_all_caps(ln):
            break
    return " ".join(out)


def _symbol(meta: Meta, head: list[str], all_lines: list[str]) -> None:
    for ln in ([] if meta.symbol else head + all_lines[-15:]):
        m = _SO_LINE.search(ln)
        if m and (re.match(r"^(?:Số|SỐ|Luật số\s*:)", ln.lstrip()) or "VBHN" in ln):
            meta.symbol, meta.number = normalise_symbol(m.group("sym"))
            break
    if meta.symbol:
        tcode, icode = split_symbol(meta.symbol)
        meta.type_code, meta.issuer_code = tcode, icode
        if tcode == "VBHN":   # a consolidated text: its own type is "Văn bản hợp nhất", whatever it consolidates
            meta.doc_type = doc_type_by_code(tcode).name
        if meta.doc_type is None:
            by_code = doc_type_by_code(tcode) if tcode else None
            meta.doc_type = by_code.name if by_code else None
    if meta.doc_type is None and (meta.title.startswith("V/v") or (meta.symbol and meta.type_code is None
                                                                     and meta.issuer_code not in ("QH",))):
        meta.doc_type = "Công văn"


def _date_and_place(meta: Meta, head: list[str], all_lines: list[str]) -> None:
    for ln in head + all_lines[-15:]:
        if "tháng" in ln and "năm" in ln and len(ln) <= 140 and re.search(r",\s*ngày", ln) \
                and not ln.startswith(("(", "Căn cứ", "Thực hiện")):
            if meta.date is None:
                meta.date = parse_date(ln)
            meta.place = _place(ln)
            return
    m = re.search(r"thông qua ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", " ".join(all_lines[-40:]))
    if meta.date is None and m:   # laws: "Luật này đã được Quốc hội … thông qua ngày 26 tháng 11 năm 2003"
        meta.date = _valid(PartialDate(year=int(m.group(3)), month=int(m.group(2)), day=int(m.group(1))))


def _place(line: str) -> str | None:
    """"… Hạnh phúc Lai Châu, ngày …" → "Lai Châu": the capitalised words just before ", ngày"."""
    m = re.search(r"^(.*?)\s*,\s*ngày", line)
    if not m:
        return None
    words = m.group(1).split()
    k = len(words)
    while k > 0 and len(words) - k < 4 and is_name_word(words[k - 1].rstrip(".")):
        k -= 1
    return " ".join(words[k:]) or None


def _issuer(meta: Meta, head: list[str], all_lines: list[str]) -> None:
    if meta.issuer is None:
        caps: list[str] = []
        for i, ln in enumerate(head):
            if (meta.type_line is not None and i >= meta.type_line) or ln.startswith(("V/v", "Kính gửi")) \
                    or len(ln) > 80 or doc_type_by_name(ln):
                break
            if _MOTTO.match(ln) or _SO_LINE.search(ln) or re.search(r",\s*ngày", ln):
                if caps:
                    break
                continue
            if is_all_caps(ln) and not re.search(r"DỰ THẢO", ln):
                caps.append(ln)
            elif caps:
                break
        if caps:
            meta.issuer = issuer_display(" ".join(caps))
    if meta.issuer is None and meta.issuer_code:
        meta.issuer = issuer_from_text(meta.issuer_code, all_lines)
    if meta.issuer_code is None and meta.issuer:
        key = fold(meta.issuer)
        found = [i for i in issuers() if key.startswith(fold(i.name))]
        meta.issuer_code = max(found, key=lambda i: len(i.name)).code if found else None
    meta.province = find_province(meta.issuer)
    iss = issuer_by_code(meta.issuer_code) if meta.issuer_code else None
    if meta.province is None and (iss is None or iss.level in ("province", "unit")):
        meta.province = find_province(meta.place)


def issuer_from_text(code: str, lines: list[str]) -> str | None:
    """The issuing body as the text names it: "Viện kiểm sát nhân dân tỉnh Lạng Sơn" for VKS."""
    iss = issuer_by_code(code)
    if iss is None:
        return None
    names = sorted({iss.name, *iss.aliases}, key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    # spaces only, never a line break: a body named at the end of one paragraph is not continued by the next
    pat = re.compile(rf"(?<!\w)({alt})((?:[ ]+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân))?[ ]+{_UNIT}(?:[ ]+(?:{_PROVINCE_RE}))?)")
    text = "\n".join(lines)
    hits = [m for m in pat.finditer(text)]
    if not hits:
        # a central body is unambiguous by its code alone ("VPQH" is the Văn phòng Quốc hội)
        return iss.name if iss.level in ("central", "ministry") else None
    best = max(hits, key=lambda m: (find_province(m.group(0)) is not None, -m.start()))
    body = best.group(1)
    if body == iss.code or body.isupper():
        body = iss.name
    return body + best.group(2)


def _attachment(meta: Meta, head: list[str]) -> None:
    """"(Ban hành kèm theo Quyết định số: 1657 /QĐ-UBND ngày 19/8/2021 của UBND tỉnh Lạng Sơn)"."""
    start = meta.type_line if meta.type_line is not None else 0
    for ln in head[start:start + 6]:
        m = _ATTACHED.match(ln.strip("*"))
        if not m:
            continue
        if not m.group("type").strip():
            continue
        t = doc_type_by_name(m.group("type") or "")
        sym, num = normalise_symbol(m.group("sym")) if m.group("sym") else (None, None)
        issuer = m.group("issuer").strip().rstrip(")").strip() if m.group("issuer") else None
        meta.attached_to = {"doc_type": t.name if t else (m.group("type") or "").strip(), "symbol": sym, "number": num,
                            "date": slash_date(m.group("date") or "") or parse_date(ln), "issuer": issuer}
        return


def _signature(meta: Meta, lines: list[str]) -> None:
    """The signer is the personal name under the all-caps capacity lines. Looked for just after the
    first "Nơi nhận" list (appendix forms with their own signatures follow it in some files), else
    from the end of the text."""
    start = next((i for i, ln in enumerate(lines) if ln.startswith("Nơi nhận")), None)
    window = lines[start:start + 40] if start is not None else lines[-25:]
    order = range(len(window)) if start is not None else range(len(window) - 1, -1, -1)
    for k in order:
        if not is_name(window[k]):
            continue
        caps: list[str] = []
        j = k - 1
        while j >= 0 and (is_all_caps(window[j]) or _CAPACITY.match(window[j])) and not window[j].startswith("-"):
            caps.insert(0, window[j])
            j -= 1
        if not caps and j >= 0:
            trailing = re.search(r"((?:\s[A-ZÀ-ỸĐ]{2,})+)$", " " + window[j])
            if trailing and is_all_caps(trailing.group(1)):
                caps = [trailing.group(1).strip()]
        if caps:
            meta.signer = window[k]
            meta.signer_capacity = re.sub(r"\s+", " ", " ".join(caps))
            return


def recipients(lines: list[str]) -> list[str]:
    """The "Kính gửi:" and "Nơi nhận:" lists, one entry per addressee, punctuation trimmed."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = re.match(r"^(Kính gửi|Nơi nhận)\s*:\s*(.*)$", ln)
        if not m:
            continue
        if m.group(2).strip(" .…"):
            out.append(m.group(2).strip().rstrip(";,."))
        for nxt in lines[i + 1:]:
            if nxt.startswith(("-", "+", "–")):
                for piece in re.split(r";\s*-\s*", nxt.lstrip("-+– ")):   # "- Ban TĐKT TW;- Chủ tịch …"
                    item = piece.strip().rstrip(";,.").strip()
                    if item:
                        out.append(item)
            elif nxt.endswith(":") and len(nxt) < 40:
                continue   # "Gửi bản điện tử:" sub-heading inside the list
            else:
                break
    return out
