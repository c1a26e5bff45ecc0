"""Vietnamese text analysis for the lexical index (Whoosh pickles these classes into the index, so
this module's path and class names must stay stable).

A Vietnamese word is often two or three syllables ("thi đua", "khen thưởng", "chiến sĩ"), so text is
segmented with pyvi; every word also yields its syllables, for recall when the segmenter and the
query disagree. Document numbers ("98/2023/NĐ-CP", "34-CT/TW") are protected from the segmenter
(which would cut them into "98 / 2023 / NĐ - CP") and indexed whole plus their numeric parts.
Two forms are indexed in two fields: the accented match form (one tone-mark placement, so "hoà" =
"hòa") and the folded form (no diacritics, so "tieu chuan" finds "tiêu chuẩn").
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer

from corpus.vntext import fold, match_form, nfc

from .vnseg import tokenize

# ------------------------------------------------------------------ document numbers
# Pieces of a document number, composed below. Why each exists:
_NUM = r"\d{1,5}(?:\.\d{1,3})?"                 # "98", "66.25" (decimal numbers occur)
_YEAR = r"(?:19|20)\d{2}"                       # the year in QPPL symbols "91/2017/…"
_CODE = r"[A-ZĐa-zđ][A-ZĐa-zđ0-9]*"             # "NĐ", "CT", "QH15", "TTg", "BLĐTBXH"
_CODES = rf"{_CODE}(?:-{_CODE})*"               # "NĐ-CP", "TTLT-BNV-BQP"
# Spaces creep in around "/" and "-" in real texts ("1657 /QĐ-UBND"); tolerate one.
_SLASH = r"\s?/\s?"
DOC_NUMBER = re.compile(
    rf"(?<![\w/])(?:"
    rf"{_NUM}{_SLASH}{_YEAR}{_SLASH}{_CODES}"   # 91/2017/NĐ-CP, 06/2022/QH15
    rf"|{_NUM}{_SLASH}{_CODES}(?:{_SLASH}{_CODES})?"  # 19/CT-TTg, 16/VBHN-VPQH, 259/KH/TU
    rf"|{_NUM}-{_CODES}{_SLASH}{_CODES}"        # 34-CT/TW (Party: hyphen before the type)
    rf")(?![\w/])"
)
# The parts worth matching alone: the number and the year ("98", "2023"), not "15" of "QH15".
_PARTS = re.compile(r"^(\d+(?:\.\d+)?)(?:\s?/\s?((?:19|20)\d{2})(?=\s?/))?")


def number_key(symbol: str) -> str:
    """One spelling of a document number for matching: no spaces, lower case, tone-normalised
    and folded ("91/2017/NĐ-CP" → "91/2017/nd-cp")."""
    return fold(re.sub(r"\s+", "", nfc(symbol)))


# ------------------------------------------------------------------ segmentation

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:_[^\W_]+)*", re.UNICODE)
# Placeholder the segmenter leaves alone (an ASCII non-word it has never seen).
_PH = "qxnumx{}q"
_PH_RE = re.compile(r"^qxnumx(\d+)q$")


def _pyvi(text: str) -> str:
    """pyvi's segmentation (its model, decoded by indexer.vnseg: the same output, ~5x faster)."""
    return tokenize(text)


@lru_cache(maxsize=4096)
def segment(text: str) -> tuple[tuple[str, bool], ...]:
    """Words of ``text`` in order as (word, is_number); multi-syllable words joined by "_".
    Hard-wrapped lines are re-joined first (a newline inside a sentence is only a wrap)."""
    text = _WS.sub(" ", nfc(text or "")).strip()
    if not text:
        return ()
    numbers: list[str] = []

    def protect(m: re.Match) -> str:
        numbers.append(m.group(0))
        return f" {_PH.format(len(numbers) - 1)} "

    text = DOC_NUMBER.sub(protect, text)
    out: list[tuple[str, bool]] = []
    for w in _WORD.findall(_pyvi(text)):
        ph = _PH_RE.match(w)
        if ph:
            out.append((numbers[int(ph.group(1))], True))
        else:
            out.append((w, False))
    return tuple(out)


# "sỹ"/"sĩ", "kỹ"/"kĩ", "lý"/"lí": a syllable of consonants + a lone y is written with i too.
_LONE_Y = re.compile(r"^([bcdđghklmnpqrstvx]+)y$")


def lone_y_as_i(syllable: str) -> str:
    """"sỹ" → "sĩ", "lý" → "lí": a syllable of consonants and a lone y in its i spelling (tone kept)."""
    bare = unicodedata.normalize("NFD", syllable)
    tones = "".join(c for c in bare if unicodedata.combining(c))
    base = "".join(c for c in bare if not unicodedata.combining(c))
    m = _LONE_Y.match(base)
    if not m:
        return syllable
    return unicodedata.normalize("NFC", m.group(1) + "i" + tones)


@lru_cache(maxsize=262_144)  # a corpus has far fewer distinct words than words: most are hits
def _form(word: str, folded: bool) -> str:
    """Folded or match form of a segmented word, syllable by syllable (match_form would treat
    "căn_cứ" as one word and misplace its tone marks)."""
    f = fold if folded else match_form
    return "_".join(lone_y_as_i(f(s)) for s in word.split("_"))


def terms(text: str, folded: bool) -> list[str]:
    """The index terms of ``text``: per word its whole form, then its syllables, then (for a
    document number) its normalised key and numeric parts. ``folded`` picks the folded form."""
    out: list[str] = []
    for word, is_number in segment(text):
        if is_number:
            key = number_key(word) if folded else re.sub(r"\s+", "", match_form(word))
            out.append(key)
            m = _PARTS.match(word)
            out.extend(x for x in (m.groups() if m else ()) if x)
            continue
        w = _form(word, folded)
        out.append(w)
        if "_" in w:
            out.extend(s for s in w.split("_") if s)
    return out


class VnTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`terms`. Every term gets its own position (phrase queries are
    not used: the query side builds term queries)."""

    def __init__(self, folded: bool = False):
        self.folded = folded

    def __eq__(self, other):
        return isinstance(other, VnTokenizer) and other.folded == self.folded

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            yield t
            return
        for i, term in enumerate(terms(value, self.folded)):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = term
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = t.endchar = start_char
            yield t


def VnAnalyzer(folded: bool = False):
    """The analyzer of an accented (match form) or folded text field."""
    return VnTokenizer(folded=folded)
