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
from .vocab import issuers

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
NUMBER_START = r"(?=\d)(?:(?<![\w/.\-])(?<!\d:)|(?<=số|Số|SỐ))"   # (?=\d) first: fails fast
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
# A unit's suffix joined by a dot, in capitals ("545/CCTKV.VIII-CNTK", "838/CCTKV.XII-NVDTPC.HUE");
# never a sentence glued on ("12/QĐ-UBND.Sau đó": not capitals).
CODE_JOIN = r"(?:-[^\S\n]?|[^\S\n]-(?=[A-ZĐ])|(?<=LT)/|\.(?=[A-ZĐ][A-ZĐ\d]*(?![\w])))"
# Codes chained: "NĐ-CP", "TTLT-BNV-BQP-BLĐTBXH". No spaces otherwise: "VKS-VP (NTB)". A
# company's letters may end in a serial after the hyphen ("01/CV-01"), never run into a slash.
CODES = rf"{CODE}(?:{CODE_JOIN}{CODE}){{0,5}}(?:-\d{{1,4}}(?![\d/]))?"
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
    "cục", "thuế", "khu", "vực",      # "Chi cục thuế khu vực XII", "Tổng cục Thuế"
    "đốc",                            # "Giám đốc Sở …"
}
# Lower-case words allowed only right after a given word: "Ủy ban", "Ban Chấp hành" — elsewhere
# "ban hành" starts the title ("của Chính phủ ban hành Điều lệ …").
ISSUER_AFTER_WORD = {"ban": {"ủy", "uỷ", "uy"}, "hành": {"chấp"}}
# Where a title starts, whatever the case ("CỦA CHÍNH PHỦ QUY ĐỊNH CHI TIẾT …", "Chính phủ Quy định").
ISSUER_STOP_RE = re.compile("|".join(loose_word(w) for w in (
    "quy định", "quy chế", "kết luận", "hướng dẫn", "ban hành", "phê duyệt", "về", "điều", "sửa đổi",
    "thực hiện", "triển khai", "phát động", "kèm theo", "thành lập", "công bố", "kiện toàn", "bổ nhiệm",
    "thông qua")) + r"(?![\w])")
# Titles of the person who signs for a body ("Bộ trưởng Bộ Nội vụ", "Chủ tịch UBND tỉnh").
_SIGNER_TITLES = ["Bộ trưởng, Chủ nhiệm", "Liên Bộ trưởng", "Bộ trưởng", "Chủ tịch", "Thủ trưởng", "Tổng Thanh tra", "Viện trưởng", "Chánh án", "Trưởng ban", "Chủ nhiệm", "Thống đốc",
                  "Giám đốc", "Phó Chủ tịch", "Cục trưởng", "Chánh Văn phòng"]


# Names holding a comma, which issuers.yaml's flow mappings split in two ("name: Bộ Văn hóa, Thể
# thao và Du lịch" loads as "Bộ Văn hóa"); kept whole here until the data file quotes them.
_NAMES_WITH_COMMAS = ["Bộ Văn hóa, Thể thao và Du lịch"]


@lru_cache(maxsize=None)
def known_issuer_re() -> re.Pattern:
    """The issuing bodies of corpus/data/issuers.yaml by name or alias (any tone damage), with an
    optional signer's title before them: "Bộ Văn hoá, Thể thao và Du lịch" holds a comma and "và"
    that the word-by-word reading would stop at."""
    names = {n for i in issuers() for n in (i.name, *i.aliases) if len(n) > 3} | set(_NAMES_WITH_COMMAS)
    alts = "|".join(loose_word(n) for n in sorted(names, key=len, reverse=True))
    titles = "|".join(loose_word(t) for t in sorted(_SIGNER_TITLES, key=len, reverse=True))
    return re.compile(rf"(?:(?:{titles})\s+)?(?:{alts})(?![\w])")


# Between the bodies of a joint document: "Bộ Y tế - Bộ Tài chính - Bộ Lao động - Thương binh và Xã
# hội", "Bộ Quốc phòng, Bộ Lao động …", "Bộ trưởng Bộ Tài chính và Bộ trưởng Bộ Tài nguyên và Môi
# trường", "Bộ Chính trị, Ban Bí thư". Only a known body may follow.
ISSUER_JOIN_RE = re.compile(rf"[^\S\n]*(?:,|-|–|{loose_word('và')}(?![\w]))[^\S\n]*")


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
    words = "|".join(_type_word(v) for v, _ in _type_names())
    codes = "|".join(re.escape(c) for c, _ in _type_codes())
    return rf"(?=[^\W\d_]){_WORD_START}(?P<type>{words}|(?-i:{codes}))(?![\w])"   # a letter first: fails fast


# Lower-case letters, so that a type word glued to the word before it starts anyway when it is
# capitalised: "Tờ trình số374/TTr-CP vàĐề án số 375/ĐA-CP" (a dropped space).
_LOWER = "a-zđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_WORD_START = rf"(?:(?<![\w])|(?<=[{_LOWER}])(?=[A-ZĐ]))"
# Type words that count only capitalised: "luật số 64/2025/QH15" is the tail of "… pháp luật", not
# a law; a law's name may hold "pháp luật" ("Luật Ban hành văn bản quy phạm pháp luật số …").
_CAPITALISED_TYPES = {"Luật", "Bộ luật", "Luat"}


def _type_word(v: str) -> str:
    if v in _CAPITALISED_TYPES:
        return re.escape(v[0]) + loose_word(v[1:])
    return loose_word(v)


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
    # a capitalised type word ends the name ("Luật … Nghị định số"); a lower-case one belongs to
    # it ("Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15")
    no_type = rf"(?<![\w])(?:{'|'.join(re.escape(v[0]) + loose_word(v[1:]) for v, _ in _type_names() if v[0].isupper())})(?![\w])"
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


# Whitespace inside a law's name or title: spaces, or one line break (PDF text breaks lines inside
# names: "Luật sửa đổi, bổ sung một số điều của\nLuật Thi đua, khen thưởng năm 2013"); never a blank line.
_S = r"(?:[^\S\n]|\n(?![^\S\n]*\n))+"
_S0 = r"(?:[^\S\n]|\n(?![^\S\n]*\n))*"

# Before a law cited by name and number: the start of an amending law's long title ("Luật sửa đổi,
# bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật số 87/2025/QH15" is Luật 87;
# "… của Luật Đấu thầu, …, Luật Quản lý, sử dụng tài sản công số 90/2025/QH15" is Luật 90, not the
# last law of its list). What lies between is names only: no digit, no ";" or line end.
AMEND_HEAD_RE = re.compile(rf"(?<![\w])L{loose_word('uật')}{_S}{loose_word('sửa đổi')},?{_S0}{loose_word('bổ sung')}"
                           rf"{_S}{loose_word('một số điều')}{_S}{loose_word('của')}{_S}")
AMEND_LIST_GAP_RE = re.compile(r"[^\d;\n()]*")

# --- laws by name -------------------------------------------------------------------------------
# A law, a code or the Constitution cited by name, without its number. The head word is capitalised
# ("pháp luật ngày …" is not a law); the name's first word may not be ("Bộ luật hàng hải Việt Nam").
LAW_HEAD = (rf"(?P<kind>B{loose_word('ộ luật')}|L{loose_word('uật')}|H{loose_word('iến pháp')}|P{loose_word('háp lệnh')})")
# Words that end a law's name: the date or number that follows, or the next phrase ("đã được sửa
# đổi", "này"). "và" and "của" belong to a name ("Luật Khoa học, công nghệ và đổi mới sáng tạo",
# "Luật Phòng, chống tác hại của rượu, bia") unless another body or law follows them ("… và Luật
# Công đoàn", "… của Quốc hội").
_NAME_STOP = (r"(?:ngày|năm|các|số|để|đã|được|này|tại|nêu|trên|thì|khi|do|Luật|Bộ\s+luật"
              r"|(?:và|của)(?=[^\S\n]+[A-ZĐ]))(?![\w])")
_NAME_WORD = r"[^\W\d_]+"
# Nor does a name open with a function word: "… của 37 Luật có liên quan đến quy hoạch" is no law's name.
_NAME_FIRST_STOP = r"(?:có|về|và|của|này|đó|mới|cũ|khác|hiện|liên|trên|nào|khi|thì)(?![\w])"
LAW_NAME = rf"(?P<name>(?!{_NAME_STOP}|{_NAME_FIRST_STOP}){_NAME_WORD}(?:,?{_S}(?!{_NAME_STOP}){_NAME_WORD}){{0,13}})"
# "Luật sửa đổi, bổ sung một số điều của Luật A, Luật B và Luật C": one citation, the amending law;
# the laws it names are part of its title, and a date after the list is the amending law's date.
_NOT_DATE_OR_NUMBER = rf"(?!{NGAY}{_S}\d|{loose_word('năm')}{_S}\d|{loose_word('số')}{_S0}\d)"
LAW_AMEND = (rf"(?P<amend>{_S}{loose_word('sửa đổi')},?{_S0}{loose_word('bổ sung')}{_S}"
             rf"{loose_word('một số điều')}{_S}{loose_word('của')}{_S}(?:{loose_word('các')}{_S})?"
             rf"(?P<amended>{_NOT_DATE_OR_NUMBER}{_NAME_WORD}"
             rf"(?:(?:{_S0}[,:])?{_S}{_NOT_DATE_OR_NUMBER}{_NAME_WORD}){{0,60}}))")
# What follows a law cited with its date: "ngày 16 tháng 6 năm 2025", "năm 2015".
_DATE_NEXT = rf"(?={_S0},?\s*(?:{NGAY}|{loose_word('năm')})\s+\d)"
# "Luật A, Luật B và Luật C ngày …": a series sharing its date; each law its own citation.
LAW_SEP = rf"(?:{_S0},{_S0}|{_S}{loose_word('và')}{_S})"


@lru_cache(maxsize=None)
def law_by_name_re() -> re.Pattern:
    """A law by name and date (or year), or an amending law by its long title and date."""
    return re.compile(rf"(?<![\w]){LAW_HEAD}(?:{LAW_AMEND}|[^\S\n]+{LAW_NAME}){_DATE_NEXT}")


@lru_cache(maxsize=None)
def law_series_re() -> re.Pattern:
    """"Luật A, Luật B và Luật C ngày …" (two laws or more) — the date is read after the last one."""
    one = rf"(?<![\w])(?:B{loose_word('ộ luật')}|L{loose_word('uật')})[^\S\n]+{LAW_NAME.replace('(?P<name>', '(?:')}"
    return re.compile(rf"{one}(?:{LAW_SEP}{one})+{_DATE_NEXT}")


@lru_cache(maxsize=None)
def law_one_re() -> re.Pattern:
    return re.compile(rf"(?<![\w]){LAW_HEAD}[^\S\n]+{LAW_NAME}")


# "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;", "Căn cứ Luật Tổ chức Chính phủ;": a
# law named as a legal basis without a date is still a citation (it cannot be resolved to a number
# when several laws carry the name, but it is shown).
@lru_cache(maxsize=None)
def law_basis_re() -> re.Pattern:
    return re.compile(rf"(?<![\w]){loose_word('Căn cứ')}[^\S\n]+(?P<law>{LAW_HEAD}[^\S\n]+(?!{loose_word('sửa đổi')}){LAW_NAME})"
                      rf"(?=[^\S\n]*(?:[;,.]|\n|$|{loose_word('đã được')}|{loose_word('được')}|{loose_word('và')}))")


# The header line "Số: 12/KH-UBND" (or "| Số: 71/2025/QĐ-UBND |") is the document's own number.
HEADER_NUMBER_RE = re.compile(r"(?:^|\|)(?:[^\S\n]|\*)*S[ốỐô][^\S\n]*:?[^\S\n]*$", re.IGNORECASE)
