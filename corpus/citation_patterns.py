"""The named regex fragments that citations are built from.

Each fragment is small and says why it exists; ``corpus.citations`` composes them. Type words come
from corpus/data/doc_types.yaml (via corpus.vocab), so a domain expert adds a type or an OCR variant
there, not here.

Real texts are messy: references break across lines ("Chỉ thị số\\n18/CT-TTg"), OCR drops or moves
tone marks ("Chi thị", "Nghi quyết"), typists put spaces inside symbols ("1657 /QĐ-UBND",
"34- CT/TW"). The fragments below tolerate exactly those damages and nothing wider, because every
tolerance is also a chance to mistake a ratio (62/111), a date (09/10/2021) or a year range
(2021 - 2025) for a citation.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .vntext import fold
from .vocab import doc_types

# --- letters -----------------------------------------------------------------------------------
_BASES = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


@lru_cache(maxsize=None)
def _letters_by_fold() -> dict[str, str]:
    """Every Vietnamese vowel (any shape, any tone, both cases) grouped by its accent-free letter."""
    groups: dict[str, set[str]] = {}
    for base in _BASES:
        for tone in _TONES:
            ch = unicodedata.normalize("NFC", base + tone)
            for c in (ch, ch.upper()):
                groups.setdefault(fold(c), set()).add(c)
    groups.setdefault("d", set()).update("dDđĐ")
    return {k: "".join(sorted(v)) for k, v in groups.items()}


def loose_word(word: str) -> str:
    """A pattern matching ``word`` with any (or no) tone marks and any case: OCR damages diacritics
    ("Chi thị", "Nghi quyết", "Quyêt định"), so type words are matched on their letters only.
    Syllables may be separated by any whitespace, line breaks included ("Nghị\\nquyết")."""
    groups = _letters_by_fold()
    out = []
    for ch in word:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
            continue
        key = fold(ch)
        if key in groups:
            out.append(f"[{groups[key]}]")
        elif ch.isalpha():
            out.append(f"[{re.escape(ch.lower())}{re.escape(ch.upper())}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


# --- whitespace ---------------------------------------------------------------------------------
# Inside a symbol: spaces only ("1657 /QĐ-UBND"), or a line break the PDF extraction introduced
# ("49-\n\nNQ/TU" in a seed). Two line breaks at most, so two separate lines never fuse.
GAP = r"[^\S\n]*(?:\n[^\S\n]*){0,2}"
# Between a type word and its number: any whitespace ("Chỉ thị số\n18/CT-TTg").
WS = r"\s+"

# --- numbers and symbols ------------------------------------------------------------------------
# Not preceded by a digit, a letter, "/" or "." — so ".../2025/QĐ-UBND" placeholders, the "2021" of
# "09/10/2021" and the "111" of "62/111" never start a symbol. Glued to "số" it may start: typists
# drop the space ("Tờ trình số374/TTr-CP", "Nghị định số142/2018/NĐ-CP"). Not after "06:": "QCVN
# 06:2022/BXD" is a technical standard, not a document number.
NUMBER_START = r"(?:(?<![\w/.\-])(?<!\d:)|(?<=số|Số|SỐ))"
# The number: "1657", "0124", and the decimal numbers some Government resolutions carry ("66.25").
NUMBER = r"\d{1,5}(?:\.\d{1,3})?"
# The year inside a normative symbol: "91/2017/NĐ-CP".
YEAR = r"(?:19|20)\d{2}"
# A code of a symbol: type or issuer, capitalised, possibly with a term number ("QH15"); covers
# "CT", "TTg", "NĐ", "CTr", "BLĐTBXH", "VIII" (a department of the Central Commendation Board).
# Unit codes join two parts with "&" ("CTTN&BĐG", "BVHTT&DL", "TCBC&VTLT"), a space after it at most
# ("QLN& TTBĐS").
CODE = r"[A-ZĐ][A-Za-zĐđ]{0,11}\d{0,2}(?:&[^\S\n]?[A-ZĐ][A-Za-zĐđ]{0,11}\d{0,2})?"
# Between codes: a hyphen, with a stray space on one side at most ("NQ- UBTVQH15", "TTr -SNV",
# "BLĐTBXH- BTC"), or the slash some joint circulars carry after their type ("88/2016/TTLT/BTC-BTNMT").
# A space on both sides is a dash between phrases ("… UBND - Sở Nội vụ"), not part of a symbol.
CODE_JOIN = r"(?:-[^\S\n]?|[^\S\n]-(?=[A-ZĐ])|(?<=LT)/)"
# Codes chained: "NĐ-CP", "TTLT-BNV-BQP-BLĐTBXH". No spaces otherwise: "VKS-VP (NTB)".
CODES = rf"{CODE}(?:{CODE_JOIN}{CODE}){{0,5}}"
# After the symbol: no letter or digit glued on (so "CT/TWx" is not cut short).
END = r"(?![\w])"

# State documents: number/TYPE-ISSUER or number/year/TYPE-ISSUER ("19/CT-TTg", "91/2017/NĐ-CP",
# "1657 /QĐ-UBND", Công văn "1419/VKS-VP", laws "06/2022/QH15").
STATE_SYMBOL = (rf"(?P<s_num>{NUMBER}){GAP}/{GAP}(?:(?P<s_year>{YEAR}){GAP}/{GAP})?"
                rf"(?P<s_codes>{CODES}){END}")
# Party documents: number-TYPE/BODY ("34-CT/TW", "34- CT/TW", "49-\n\nNQ/TU", "23-CTr/TU").
PARTY_SYMBOL = rf"(?P<p_num>{NUMBER}){GAP}-{GAP}(?P<p_type>{CODE}){GAP}/{GAP}(?P<p_body>{CODE}){END}"
# The "259/KH/TU" variant of a Party symbol (slash instead of hyphen).
PARTY_SLASH = rf"(?P<q_num>{NUMBER})/(?P<q_type>{CODE})/(?P<q_body>{CODE}){END}"
# number/year alone, only after a type word whose issuer is implied ("NĐ 98/2023" → 98/2023/NĐ-CP).
YEAR_ONLY = rf"(?P<y_num>{NUMBER})/(?P<y_year>{YEAR}){END}(?![/\-])"

SYMBOL = rf"(?P<p_num>{NUMBER}){GAP}-{GAP}(?P<p_type>{CODE}){GAP}/{GAP}(?P<p_body>{CODE}){END}"
# The "259/KH/TU" variant of a Party symbol (slash instead of hyphen).
PARTY_SLASH = rf"(?P<q_num>{NUMBER})/(?P<q_type>{CODE})/(?P<q_body>{CODE}){END}"
# number/year alone, only after a type word whose issuer is implied ("NĐ 98/2023" → 98/2023/NĐ-CP).
YEAR_ONLY = rf"(?P<y_num>{NUMBER})/(?P<y_year>{YEAR}){END}(?![/\-])"

SYMBOL = rf"{NUMBER_START}(?:{PARTY_SLASH}|{PARTY_SYMBOL}|{STATE_SYMBOL})"
YEAR_ONLY_RE = re.compile(YEAR_ONLY)
SYMBOL_RE = re.compile(SYMBOL)

# --- dates --------------------------------------------------------------------------------------


def date_numeric(tag: str = "") -> str:
    """"07/4/2014", "19 /8/2021", "07-4-2014", "07.4.2014" (groups d, m, y + ``tag``)."""
    return (rf"(?P<d{tag}>[0-3]?\d)[^\S\n]*[/.\-][^\S\n]*(?P<m{tag}>[01]?\d)[^\S\n]*[/.\-][^\S\n]*"
            rf"(?P<y{tag}>(?:19|20)\d{{2}})(?!\d)")


def date_words(tag: str = "") -> str:
    """"07 tháng 4 năm 2014", the formal written form, across line breaks."""
    return (rf"(?P<d{tag}>[0-3]?\d)\s*{loose_word('tháng')}\s+(?P<m{tag}>[01]?\d)\s+{loose_word('năm')}\s+"
            rf"(?P<y{tag}>(?:19|20)\d{{2}})(?!\d)")


NGAY = loose_word("ngày")
# The date right after a symbol: ", ngày 27/8/2021", " ngày 07 tháng 4 năm 2014".
DATE_TAIL_RE = re.compile(rf"[^\S\n]*,?\s*{NGAY}\s+(?:{date_numeric()}|{date_words('2')})")
# Laws are also cited with the year only: "Luật ... năm 2013".
YEAR_TAIL_RE = re.compile(rf"[^\S\n]*,?\s*{loose_word('năm')}\s+(?P<y>(?:19|20)\d{{2}})(?!\d)")

# --- issuer -------------------------------------------------------------------------------------
# "của Bộ Chính trị", "của UBND tỉnh Lạng Sơn": the issuer follows "của".
ISSUER_LEAD_RE = re.compile(rf"[^\S\n]*,?\s*{loose_word('của')}\s+")
# Lower-case words that belong inside an issuer's name ("Ủy ban nhân dân tỉnh", "Bộ Chính trị"
# written "Bộ Chính tri", "Ban Thường vụ Tỉnh ủy"). Any other lower-case word ("về", "quy định",
# "phê duyệt", "thực hiện") ends the issuer.
ISSUER_INNER_WORDS = {
    "nhân", "dân", "tỉnh", "thành", "phố", "huyện", "xã", "phường", "thị", "trấn", "quận",
    "thường", "vụ", "trị", "tri", "chính", "phủ", "tướng", "trưởng", "ương", "hội", "đồng",
    "nước", "ủy", "uỷ", "chấp", "đảng", "bộ", "thi", "đua", "khen", "thưởng",
    "quốc", "văn", "phòng", "sở", "kiểm", "sát", "viện", "tòa", "toà", "án", "tối", "cao", "nội", "tịch",
}
# Lower-case words allowed only right after a given word: "Ủy ban", "Ban Chấp hành" — elsewhere
# "ban hành" starts the title ("của Chính phủ ban hành Điều lệ …").
ISSUER_AFTER_WORD = {"ban": {"ủy", "uỷ", "uy"}, "hành": {"chấp"}}
# Where a title starts, whatever the case ("CỦA CHÍNH PHỦ QUY ĐỊNH CHI TIẾT …", "Chính phủ Quy định").
ISSUER_STOP_RE = re.compile("|".join(loose_word(w) for w in (
    "quy định", "quy chế", "kết luận", "hướng dẫn", "ban hành", "phê duyệt", "về", "điều", "sửa đổi",
    "thực hiện", "triển khai", "phát động", "kèm theo")) + r"(?![\w])")
# Titles of the person who signs for a body ("Bộ trưởng Bộ Nội vụ", "Chủ tịch UBND tỉnh").
_SIGNER_TITLES = ["Bộ trưởng", "Chủ tịch", "Thủ trưởng", "Tổng Thanh tra", "Viện trưởng", "Chánh án", "Trưởng ban", "Chủ nhiệm", "Thống đốc"]


# Names holding a comma, which issuers.yaml's flow mappings split in two ("name: Bộ Văn hóa, Thể
# thao và Du lịch" loads as "Bộ Văn hóa"); kept whole here until the data file quotes them.
_NAMES_WITH_COMMAS = ["Bộ Văn hóa, Thể thao và Du lịch"]


@lru_cache(maxsize=None)
def known_issuer_re() -> re.Pattern:
    """The issuing bodies of corpus/data/issuers.yaml by name or alias (any tone damage), with an
    optional signer's title before them: "Bộ Văn hoá, Thể thao và Du lịch" holds a comma and "và"
    that the word-by-word reading would stop at."""
    from .vocab import issuers
    names = {n for i in issuers() for n in (i.name, *i.aliases) if len(n) > 3} | set(_NAMES_WITH_COMMAS)
    alts = "|".join(loose_word(n) for n in sorted(names, key=len, reverse=True))
    titles = "|".join(loose_word(t) for t in _SIGNER_TITLES)
    return re.compile(rf"(?:(?:{titles})\s+)?(?:{alts})(?![\w])")


# --- relation words -----------------------------------------------------------------------------
# The verb before a citation names the relation (DOMAIN.md "How documents cite each other"). Listed
# longest first; the one nearest the citation wins.
RELATION_WORDS: list[tuple[str, str]] = [
    ("ban hành kèm theo", "attached_to"),
    ("kèm theo", "attached_to"),
    ("quy định chi tiết", "guides"),
    ("hướng dẫn thi hành", "guides"),
    ("hướng dẫn", "guides"),
    ("sửa đổi, bổ sung", "amends"),
    ("sửa đổi", "amends"),
    ("bãi bỏ", "repeals"),
    ("thay thế", "replaces"),
    ("thực hiện theo", "implements"),
    ("thực hiện", "implements"),
    ("triển khai", "implements"),
    ("căn cứ", "basis"),
]
RELATION_RE = re.compile("|".join(rf"(?<![\w])(?P<r{i}>{loose_word(w)})(?![\w])" for i, (w, _) in enumerate(RELATION_WORDS)))

# A passive voice before the relation word: the act is someone else's ("đã được sửa đổi, bổ sung
# theo Luật số 47/2005/QH11" — the citing text does not amend anything).
PASSIVE_RE = re.compile(rf"(?<![\w])(?:{loose_word('được')}|{loose_word('bị')})\s*$")
# Verbs after a citation saying the citing document ends it ("… hết hiệu lực kể từ ngày Thông tư này
# có hiệu lực", "… bị bãi bỏ").
CEASES_RE = re.compile(rf"(?<![\w])(?:{loose_word('hết hiệu lực')}|{loose_word('bị bãi bỏ')})(?![\w])")

# --- pinpoints ----------------------------------------------------------------------------------
# "điểm a khoản 1 Điều 24 …", "Mẫu số 08 ban hành kèm theo …", "Phụ lục I …" right before a citation.
PINPOINT_RE = re.compile(
    r"(?P<pin>(?:điểm\s+[a-zđ]\)?\s+)?(?:khoản\s+\d+\s+)?Điều\s+\d+[a-zđ]?"
    r"|Mẫu\s+số\s+\d+[a-zA-Z]?"
    r"|Phụ\s+lục\s+(?:số\s+)?[IVXLC\d]+)"
    r"(?:\s*\([^()\n]{0,20}\))?"            # "(Mẫu số 08)" style parenthetical
    r"(?:\s+(?:ban\s+hành\s+)?kèm\s+theo|\s+của|\s+tại)?\s*\(?\s*$")

# --- type words ---------------------------------------------------------------------------------


def _type_names() -> list[tuple[str, str]]:
    """(spelling, type name) for every type name and long variant, longest first."""
    pairs = []
    for t in doc_types():
        for v in (t.name, *t.variants):
            if len(v) > 3 and not v.isupper():
                pairs.append((v, t.name))
    # one pattern per distinct folded spelling
    seen, out = set(), []
    for v, name in sorted(pairs, key=lambda p: -len(p[0])):
        if fold(v) not in seen:
            seen.add(fold(v))
            out.append((v, name))
    return out


def _type_codes() -> list[tuple[str, str]]:
    """(abbreviation, type name): "QĐ 1493/QĐ-TTg", "NĐ 98/2023" use the symbol code as a type word."""
    out = []
    for t in doc_types():
        for c in t.codes:
            if len(c) >= 2:
                out.append((c, t.name))
    return sorted(out, key=lambda p: -len(p[0]))


@lru_cache(maxsize=None)
def type_word_pattern() -> str:
    """TYPE_WORD: a document type written out (any tone damage), or its upper-case abbreviation.

    Not preceded by a letter (so "thị" inside "Chỉ thị" never starts one) and not followed by one.
    """
    words = "|".join(loose_word(v) for v, _ in _type_names())
    codes = "|".join(re.escape(c) for c, _ in _type_codes())
    return rf"(?<![\w])(?P<type>{words}|(?-i:{codes}))(?![\w])"


@lru_cache(maxsize=None)
def type_lookup() -> dict[str, str]:
    """Folded spelling or code → type name."""
    out = {fold(v): name for v, name in _type_names()}
    for c, name in _type_codes():
        out.setdefault(fold(c), name)
    return out


def type_name_of(written: str) -> str | None:
    return type_lookup().get(" ".join(fold(written).split()))


# "số", "số:", "Số" between the type word and the number ("Quyết định số: 1657 /QĐ-UBND").
SO = rf"(?:{loose_word('số')}[^\S\n]*:?\s*)?"
# A law's name between "Luật" and "số": "Luật Thi đua, khen thưởng số 06/2022/QH15". No digits, no
# clause punctuation: a date or another sentence never gets swallowed as a name.
LAW_NAME_GAP = r"(?P<lawname>[^\n;:.()\d“”\"]{2,90}?)\s+"
# Shared-suffix lists: "Chỉ thị số 11, 26-CT/TU" = 11-CT/TU and 26-CT/TU.
NUMBER_LIST = rf"(?P<list>(?:{NUMBER}[^\S\n]*(?:,|và)[^\S\n]*)+)"


@lru_cache(maxsize=None)
def lead_re() -> re.Pattern:
    """A type word, an optional law name, "số", an optional shared-number list, then a symbol."""
    law = "L" + loose_word("uật")   # capital: "pháp luật của Nhà nước" is not a law's name
    no_type = type_word_pattern().replace("(?P<type>", "(?:")
    name_gap = LAW_NAME_GAP.replace("[^", f"(?:(?!{no_type})[^").replace("]{2,90}?)", "]){2,90}?)")
    return re.compile(
        rf"(?:{type_word_pattern()}|(?P<law>(?<![\w]){law}){WS}{name_gap})"
        rf"\s*{SO}{NUMBER_LIST}?(?P<sym>{SYMBOL}|{NUMBER_START}{YEAR_ONLY})")


@lru_cache(maxsize=None)
def short_re() -> re.Pattern:
    """Short forms: "Chỉ thị 34" (type + bare number), "Kế hoạch này", "Nghị định nêu trên"."""
    return re.compile(
        rf"{type_word_pattern()}(?:"
        rf"[^\S\n]+{SO}(?P<num>{NUMBER})(?![\w/\-]|\.\d|\s*(?:{loose_word('năm')}|{loose_word('tháng')})\b)"
        rf"|[^\S\n]+(?P<self>{loose_word('này')})(?![\w])"
        rf"|[^\S\n]+(?P<above>{loose_word('nêu trên')}|{loose_word('nói trên')}|{loose_word('đã nêu')}|{loose_word('trên')})(?![\w])"
        r")")


# A law cited by its name and date only ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm
# 2022"), or by the amending law's name ("Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen
# thưởng ngày 14/6/2005"). The name is words and commas, with no "và"/"các"/"số" (those start a
# new phrase, not a name).
LAW_BY_NAME_RE = re.compile(
    rf"(?<![\w])L{loose_word('uật')}"
    rf"(?P<amend>\s+{loose_word('sửa đổi')},?\s*{loose_word('bổ sung')}\s+{loose_word('một số điều')}\s+{loose_word('của')}\s+{loose_word('Luật')})?"
    rf"\s+(?P<name>[A-ZĐ][^\W\d_]*(?:,?[^\S\n]+(?!(?:ngày|năm|và|các|số|của|để|theo)\b)[^\W\d_]+){{0,9}})"
    rf"(?=[^\S\n]*,?\s*(?:{NGAY}|{loose_word('năm')})\s+\d)")

# The header line "Số: 12/KH-UBND" (or "| Số: 71/2025/QĐ-UBND |") is the document's own number.
HEADER_NUMBER_RE = re.compile(r"(?:^|\|)(?:[^\S\n]|\*)*S[ốỐô][^\S\n]*:?[^\S\n]*$", re.IGNORECASE)
