"""Document numbers (symbols) as written → their canonical form, number, year and implied type:
"34- CT/TW" → "34-CT/TW", "NĐ 98/2023" → "98/2023/NĐ-CP". Shared by the citation extractor
(corpus.citations) and the registry (corpus.registry), which both need a symbol's canonical form."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import citation_patterns as P
from .vocab import doc_types, issuers

# Types whose issuer is implied, so "NĐ 98/2023" is 98/2023/NĐ-CP (a decree is always the Government's).
DEFAULT_SUFFIX = {"Nghị định": "NĐ-CP"}
# Party codes that differ from the state ones: "38-TT/TW" is a Thông tri of the Secretariat, not a
# Thông tư (doc_types.yaml has no "Thông tri" yet; the text writes "Thông tri số 38-TT/TW").
PARTY_TYPES = {"TT": "Thông tri"}


# --- symbols ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def official_code(code: str) -> str:
    """"ct" → "CT", "Ttg" → "TTg", "qh15" → "QH15", "TTTLT" → "TTLT" (a miswritten code the type table
    lists under ``code_variants``); unknown codes as written (upper-cased if all lower)."""
    letters = code.rstrip("0123456789")
    digits = code[len(letters):]
    for t in doc_types():
        for c in t.codes:
            if c.casefold() == letters.casefold():
                return c + digits
        for c in t.code_variants:
            if c.casefold() == letters.casefold() and t.codes:
                return t.codes[0] + digits
    for i in issuers():
        if i.code.casefold() == letters.casefold():
            return i.code + digits
    return code.upper() if code.islower() else code


@lru_cache(maxsize=4096)
def type_from_code(code: str) -> str | None:
    letters = code.rstrip("0123456789")
    return next((t.name for t in doc_types() for c in t.codes if c.casefold() == letters.casefold()), None)


@dataclass
class Symbol:
    number: str
    year: int | None
    canonical: str
    doc_type: str | None         # implied by the type code of the symbol, if any
    written: str                 # as written, spacing removed
    typed: bool                  # the symbol carries a type code or a year (a recognisable shape)


def symbol_from_match(m: re.Match, doc_type: str | None = None) -> Symbol:
    """Read the named groups of SYMBOL (or YEAR_ONLY) into number, year, canonical and implied type."""
    written = re.sub(r"\s+", "", m.group("sym") if "sym" in m.re.groupindex and m.group("sym") else m.group(0))
    g = m.groupdict()
    if g.get("q_num"):                                   # 259/KH/TU → 259-KH/TU
        t, b = official_code(g["q_type"]), official_code(g["q_body"])
        return Symbol(g["q_num"], None, f"{g['q_num']}-{t}/{b}", type_from_code(t), written, True)
    if g.get("p_num"):                                   # 34-CT/TW
        t, b = official_code(g["p_type"]), official_code(g["p_body"])
        implied = PARTY_TYPES.get(t) or type_from_code(t)
        return Symbol(g["p_num"], None, f"{g['p_num']}-{t}/{b}", implied, written, True)
    if g.get("y_num"):                                   # NĐ 98/2023
        suffix = DEFAULT_SUFFIX.get(doc_type or "")
        canonical = f"{g['y_num']}/{g['y_year']}" + (f"/{suffix}" if suffix else "")
        return Symbol(g["y_num"], int(g["y_year"]), canonical, None, written, True)
    codes = [official_code(c) for c in re.split(r"\s*[-/]\s*", re.sub(r"&\s+", "&", g["s_codes"])) if c]
    year = int(g["s_year"]) if g.get("s_year") else None
    if year is not None and len(codes) == 1:             # 92/2017/NĐCP: the hyphen left out
        codes = _unglued(codes[0])
    implied = next((t for t in (type_from_code(c) for c in codes) if t), None)
    if year is None and len(codes) == 2 and implied and codes[1] in _party_bodies():
        # "18/NQ- TW", "05/CT-TU": a Party number written in the state shape
        return Symbol(g["s_num"], None, f"{g['s_num']}-{codes[0]}/{codes[1]}", implied, written, True)
    if implied is None and codes[0].startswith("QH"):
        implied = "Luật"
    canonical = f"{g['s_num']}/" + (f"{year}/" if year else "") + "-".join(codes)
    typed = bool(implied or year or _issuer_shaped(codes))
    return Symbol(g["s_num"], year, canonical, implied, written, typed)


@lru_cache(maxsize=4096)
def _unglued(code: str) -> list[str]:
    """A type code run into its issuer's code without the hyphen ("NĐCP" → ["NĐ", "CP"],
    "QĐTTg" → ["QĐ", "TTg"]): split only where the left part is a known type code and the right a
    known issuer code; anything else as written."""
    if type_from_code(code) or code.rstrip("0123456789") in _issuer_codes():
        return [code]
    for cut in range(1, len(code)):
        left, right = code[:cut], code[cut:]
        if type_from_code(left) and left.casefold() == left.rstrip("0123456789").casefold() \
                and official_code(right).rstrip("0123456789") in _issuer_codes():
            return [official_code(left), official_code(right)]
    return [code]


@lru_cache(maxsize=None)
def _party_bodies() -> frozenset[str]:
    return frozenset(i.code for i in issuers() if i.level == "party")


@lru_cache(maxsize=None)
def _issuer_codes() -> frozenset[str]:
    return frozenset(i.code for i in issuers())


def _issuer_shaped(codes: list[str]) -> bool:
    """A symbol without a type code still has a recognisable shape when it opens with a known
    issuer ("4104/SNV-XDCQ&TCBC", "1419/VKS-VP") or chains a body and its unit in capitals
    ("2001/QLĐĐ-TKKKTTĐĐ"): a Công văn's number."""
    if codes[0].rstrip("0123456789") in _issuer_codes():
        return True
    return len(codes) >= 2 and all(len(c) >= 2 and c.replace("&", "").isupper() for c in codes)


def canonical_symbol(symbol: str) -> tuple[str, str | None, int | None, str | None]:
    """(canonical, number, year, implied type) of a symbol as written: "34- CT/TW" → "34-CT/TW"."""
    m = P.SYMBOL_RE.search(symbol)
    if not m:
        return re.sub(r"\s+", "", symbol), None, None, None
    s = symbol_from_match(m)
    return s.canonical, s.number, s.year, s.doc_type
