"""Which abbreviations the corpus uses that the glossary does not explain.

An abbreviation is told apart from the other upper-case words of a text by its shape:
- at least two capitals and at most one small letter ("TĐKT", "UBND", "TTg", "CTr", "QyĐ"), so
  "GitHub" or a glued "CPngày" are not taken for codes;
- not a Roman numeral (headings "II.", "XIII" of a congress);
- not a Vietnamese syllable, unless it is written as part of a symbol ("23-CTr/TU"): the upper-case
  words of headings ("KẾ HOẠCH", "MỤC ĐÍCH") are syllables, codes mostly are not ("UBND", "CT").
Codes joined by hyphens ("KT-XH") count as one when the glossary explains the whole, otherwise
each part is checked ("NĐ-CP" → NĐ, CP).
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from corpus.parse import read_source
from corpus.sources import iter_sources
from corpus.vntext import nfc

from .load import Glossary, looks_like_syllable

# Letters-only words joined by hyphens without spaces: "TĐKT", "KT-XH", "NĐ-CP". Digits split a
# word ("QH15" → QH) because the term number is not part of the code.
_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Roman numerals as the corpus uses them (parts, chapters, congresses: up to a few dozen).
_ROMAN = re.compile(r"^(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_MAX_LEN = 10   # longer all-capital words are heading words ("NGHIÊNG" at most 7), codes are shorter


def _latin(word: str) -> bool:
    """Latin letters with Vietnamese diacritics only (not the CJK debris of a broken PDF layer)."""
    return all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in word)


def is_code_shaped(word: str) -> bool:
    """At least two capitals, at most one small letter, short: "UBND", "TTg", "CTr"."""
    capitals = sum(c.isupper() for c in word)
    small = sum(c.islower() for c in word)
    return capitals >= 2 and small <= 1 and len(word) <= _MAX_LEN and _latin(word)


def is_roman_numeral(word: str) -> bool:
    return bool(word) and bool(_ROMAN.match(word))


# The word on the other side of a "/" in a symbol: a number or a code ("23-CTr/TU", "…/KH-UBND").
# The slash touches the word itself ("ĐƠN VỊ / CQĐD" is a heading, not a symbol); spacing on the
# other side is tolerated ("1657 /QĐ-UBND").
_BEFORE_SLASH = re.compile(r"(?:\d|[^\W\d_]+)\s*/$")
_AFTER_SLASH = re.compile(r"^/\s*(\d|[^\W\d_]+)")


def _touches_slash(text: str, start: int, end: int) -> bool:
    """Written as part of a document symbol ("CTr/TU", "200/KH-UBND"), not "TẶNG THƯỞNG/TRUY TẶNG"."""
    before = _BEFORE_SLASH.search(text, max(0, start - 40), start)
    after = _AFTER_SLASH.match(text[end:end + 40])
    for m in (before, after):
        if m is None:
            continue
        other = re.findall(r"\d|[^\W\d_]+", m.group(0))
        word = other[-1] if m is before else other[0]
        if word.isdigit() or (is_code_shaped(word) and not looks_like_syllable(word)):
            return True
    return False


def abbreviation_candidates(text: str) -> Iterable[tuple[str, int, int]]:
    """(word, start, end) of every abbreviation-shaped word or hyphen-joined code in ``text``."""
    for m in _COMPOUND.finditer(text):
        parts = m.group(0).split("-")
        shaped = [is_code_shaped(p) and not is_roman_numeral(p) for p in parts]
        # A non-syllable code in the compound, or a "/" next to it, says it is a code, so its
        # syllable-shaped parts are codes too ("HD-TU"); otherwise they are heading words.
        if not any(shaped):
            continue
        in_code = any(s and not looks_like_syllable(p) for s, p in zip(shaped, parts)) or \
            _touches_slash(text, m.start(), m.end())
        picked = [s and (in_code or not looks_like_syllable(p)) for s, p in zip(shaped, parts)]
        if len(parts) > 1 and all(picked):
            yield m.group(0), m.start(), m.end()
            continue
        pos = m.start()
        for part, keep in zip(parts, picked):
            if keep:
                yield part, pos, pos + len(part)
            pos += len(part) + 1


def _explained(code: str, glossary: Glossary) -> list[str]:
    """The parts of ``code`` the glossary does not explain ([] when all are)."""
    if glossary.explains(code):
        return []
    parts = code.split("-")
    if len(parts) == 1:
        return [code]
    return [p for p in parts if not is_roman_numeral(p) and not glossary.explains(p)]


def _line_around(text: str, start: int, end: int, width: int = 160) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    a, b = max(a, start - width // 2), min(b, end + width // 2)
    return " ".join(text[a:b].split())


def corpus_abbreviation_gaps(texts: Iterable[str], glossary: Glossary) -> list[tuple[str, int, str]]:
    """(token, count, example line) for each abbreviation the texts use and the glossary does not
    explain, most frequent first."""
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        text = nfc(text)
        for word, start, end in abbreviation_candidates(text):
            for missing in _explained(word, glossary):
                counts[missing] += 1
                examples.setdefault(missing, _line_around(text, start, end))
    return [(tok, n, examples[tok]) for tok, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def read_text(path: Path) -> str:
    """A corpus file's text, decoded like the parser does (never fails on bad bytes)."""
    try:
        result = read_source(path)
        return result if isinstance(result, str) else getattr(result, "text", str(result))
    except Exception:  # a file the parser rejects is still scanned for codes
        pass
    return path.read_bytes().decode("utf-8", errors="replace")


def corpus_texts(root: Path | None = None) -> Iterable[str]:
    """The text of every corpus file under ``root`` (default: the bundled corpus)."""
    sources = iter_sources(root) if root is not None else iter_sources()
    for source in sources:
        yield read_text(source.path)
