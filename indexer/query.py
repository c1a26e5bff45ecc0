"""Query understanding: what an officer typed → a ParsedQuery the index and the ranker use.

Never an error: unbalanced quotes, stray operators (AND OR NOT * ? ~ ^ : ( ) +), control
characters and 10 kB of pasted text all give a query (perhaps an empty one). Raw user text never
reaches Whoosh's query parser; the lexical index builds term queries from the analysed text.

Recognised: document numbers typed in full ("34-CT/TW", "91/2017/NĐ-CP", "19/CT-TTg") or short
("ct 34", "chỉ thị 34", "nghị định 98/2023", "nd 91/2017", "kh 200") → DocRefs, so the search can
go straight to that document and the passages citing it; abbreviations expand through the
glossary when one is given (TĐKT → thi đua, khen thưởng).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.vntext import fold, has_diacritics, nfc
from corpus.vocab import doc_type_by_code, doc_type_by_name, doc_types

from .analysis import DOC_NUMBER, number_key

MAX_QUERY_CHARS = 1000
MAX_EXPANSIONS = 8
# Characters Lucene-style parsers treat as syntax; here they are only separators.
_OPERATOR_CHARS = re.compile(r"[\"“”'`*?~^:()\[\]{}+!|&\\<>=]")
_SPACED_HYPHEN = re.compile(r"(\d)\s*-\s*(?=[A-ZĐ][A-Za-zĐđ]*/)(\S)")
_OPERATOR_WORDS = re.compile(r"(?<!\S)(?:AND|OR|NOT|TO)(?!\S)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\ufeff]")
_YEAR = r"(?:19|20)\d{2}"


@dataclass
class Filters:
    """What a search is restricted to: document type, issuer, province, a span of years."""

    doc_type: str | None = None
    issuer: str | None = None
    province: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.doc_type, self.issuer, self.province, self.year_from, self.year_to))


@dataclass(frozen=True)
class DocRef:
    """A document the query names: its type code and number, and the year or full symbol when typed."""

    type_code: str | None
    number: str
    year: int | None = None
    key: str | None = None        # number_key of a full symbol ("34-ct/tw")
    text: str = ""                # as typed
    type_name: str | None = None  # "Luật" (types without a code in symbols are matched by name)


@dataclass
class ParsedQuery:
    raw: str                      # the user's text, NFC, cleaned of control characters, bounded
    text: str                     # free text to match (operators removed)
    expansions: list[str] = field(default_factory=list)   # glossary expansions (lower weight)
    doc_refs: list[DocRef] = field(default_factory=list)
    accentless: bool = False      # typed without diacritics: match the folded forms

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.doc_refs and not self.expansions


def _type_words() -> list[tuple[str, str]]:
    """(folded spelling, type name) for every type name, variant and code, longest first, so
    "nghị quyết liên tịch" wins over "nghị quyết"."""
    out = []
    for t in doc_types():
        for w in (t.name, *t.variants, *t.codes):
            if len(w) >= 2:
                out.append((" ".join(fold(w).split()), t.name))
    return sorted(set(out), key=lambda x: -len(x[0]))


def _short_ref_pattern() -> re.Pattern:
    words = "|".join(re.escape(w) for w, _ in _type_words())
    # "<type> [số] <number>[/<year>]" on the folded query: "chi thi 34", "nd 91/2017", "kh so 200"
    return re.compile(rf"(?<![\w/])({words})\s+(?:so\s+)?(\d{{1,5}})(?:\s?/\s?({_YEAR}))?(?![\w/])")


_SHORT_REF: re.Pattern | None = None


def _code_of(word: str) -> str | None:
    t = doc_type_by_code(word) or doc_type_by_name(word)
    return t.codes[0] if t and t.codes else None


def find_doc_refs(text: str) -> list[DocRef]:
    """Document numbers in a query: full symbols first, then "<type> <number>[/<year>]" forms."""
    global _SHORT_REF
    refs: list[DocRef] = []
    # "34- CT/TW", "34 -CT/TW": real texts (and officers copying them) space the Party hyphen
    text = _SPACED_HYPHEN.sub(r"\1-\2", text)
    for m in DOC_NUMBER.finditer(text):
        sym = m.group(0)
        key = number_key(sym)
        num = re.match(r"\d+(?:\.\d+)?", key).group(0)
        year = re.search(rf"/({_YEAR})/", key)
        code_m = re.search(r"[-/]([a-z]+)", key[len(num):])
        code = None
        if code_m:
            code = _code_of(code_m.group(1))
        refs.append(DocRef(code, num, int(year.group(1)) if year else None, key, sym))
    if _SHORT_REF is None:
        _SHORT_REF = _short_ref_pattern()
    folded = fold(DOC_NUMBER.sub(" ", text))
    for m in _SHORT_REF.finditer(folded):
        name = dict(_type_words()).get(" ".join(m.group(1).split()))
        t = doc_type_by_name(name) if name else None
        code = t.codes[0] if t and t.codes else None
        year = int(m.group(3)) if m.group(3) else None
        refs.append(DocRef(code, m.group(2), year, None, m.group(0), type_name=name))
    return refs


def clean(text: str) -> str:
    """NFC, control characters out, bounded length, whitespace collapsed."""
    text = _CONTROL.sub(" ", nfc(str(text or ""))[:MAX_QUERY_CHARS])
    return " ".join(text.split())


def parse_query(text: str, glossary=None) -> ParsedQuery:
    """The ParsedQuery of what the user typed (never raises)."""
    raw = clean(text)
    refs = find_doc_refs(raw)
    # keep "/" and "-" (they belong to document numbers); everything else syntax-like is a space
    free = _OPERATOR_CHARS.sub(" ", raw)
    free = " ".join(_OPERATOR_WORDS.sub(" ", free).split())
    expansions: list[str] = []
    if glossary is not None and free:
        try:
            for phrase in glossary.expand_query(free) or []:
                phrase = clean(phrase)
                if phrase and phrase.lower() not in free.lower() and phrase not in expansions:
                    expansions.append(phrase)
        except Exception:  # a glossary problem must not break search
            expansions = []
    letters = re.sub(r"[^\w]|\d|_", "", free)
    return ParsedQuery(raw=raw, text=free, expansions=expansions[:MAX_EXPANSIONS], doc_refs=refs,
                       accentless=bool(letters) and not has_diacritics(letters))
