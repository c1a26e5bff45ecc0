"""Vietnamese text forms: NFC for storage, one tone-mark placement for matching, accent folding.

The text shown to a user is always the original (NFC only). ``match_form`` and ``fold`` exist only
for matching: "hoà" and "hòa", "thuỷ" and "thủy" are the same word typed two ways, and an officer
typing without diacritics ("chien si thi dua") must find "chiến sĩ thi đua".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The five tone marks as combining characters (after NFD).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Vowels whose shape already carries a diacritic (after NFD these are base + modifier, so we
# detect them on the NFC letter with the tone removed).
_MARKED_VOWELS = set("âăêôơưÂĂÊÔƠƯ")
_VOWELS = set("aeiouyâăêôơưAEIOUYÂĂÊÔƠƯ")
# "oa", "oe", "uy" take the mark on the second vowel in the modern placement (hòa ~ hoà).
_SECOND_VOWEL_PAIRS = {"oa", "oe", "uy"}
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(word: str) -> tuple[str, str | None]:
    """The word without its tone mark (NFC), and the tone mark (combining char) if any."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = next((c for c in decomposed if c in _TONES), None)
    if tone is None:
        return word, None
    bare = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", bare), tone


def _tone_position(bare: str) -> int | None:
    """Index of the letter that carries the tone in one fixed (modern) placement."""
    lower = bare.lower()
    start = 0
    # "qu" and "gi" are initials: their u/i is not part of the vowel nucleus ("quá", "giá").
    if lower.startswith("qu") or (lower.startswith("gi") and len(lower) > 2 and lower[2] in _VOWELS):
        start = 2
    idx = [i for i in range(start, len(bare)) if bare[i] in _VOWELS]
    if not idx:
        idx = [i for i in range(len(bare)) if bare[i] in _VOWELS]
        if not idx:
            return None
    # the vowel nucleus is the first contiguous run of vowels
    run = [idx[0]]
    for i in idx[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            break
    marked = [i for i in run if bare[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]  # "ươ" → ơ
    if len(run) == 1:
        return run[0]
    if len(run) >= 3:
        return run[1]
    has_final = run[-1] + 1 < len(bare)
    if has_final or lower[run[0]:run[-1] + 1] in _SECOND_VOWEL_PAIRS:
        return run[1]
    return run[0]


@lru_cache(maxsize=262_144)   # pure, and called for every word a page or a snippet compares
def normalize_tone_word(word: str) -> str:
    bare, tone = _split_tone(word)
    if tone is None:
        return word
    pos = _tone_position(bare)
    if pos is None:
        return word
    placed = bare[:pos] + unicodedata.normalize("NFD", bare[pos]) + tone + bare[pos + 1:]
    return unicodedata.normalize("NFC", placed)


def match_form(text: str) -> str:
    """NFC, lower case, one tone-mark placement: the form every matching compares."""
    text = nfc(text).lower()
    return _WORD.sub(lambda m: normalize_tone_word(m.group(0)), text)


def fold(text: str) -> str:
    """Lower case without any diacritics: "Chiến sĩ thi đua" → "chien si thi dua"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "d")


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()
