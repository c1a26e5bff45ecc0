"""Words glued together without a space: a Vietnamese syllable check, and the repair that uses it.

Some HTML-to-text conversions drop the space before a word that begins with a marked vowel
("Chủ tịchỦy ban", "Trungương", "lấyý kiến", "định cưở nước ngoài", "Tòaán"; Nghị định
152/2025/NĐ-CP has about 440 of them). Vietnamese writes one syllable per word, so such a token stands out: it is
not a syllable, and it is two (or more) syllables written together.

``is_syllable`` is a phonotactic check (onset + rhyme + at most one tone mark, on a vowel), not a
dictionary: it accepts what Vietnamese spelling allows and refuses English/Latin words, abbreviations
("UBND", "TĐKT") and written-together pairs. ``repair_glued_words`` splits a token (a maximal run of
letters) only where it is not a syllable, and only

(a) into syllables each after the first beginning with a vowel that carries a diacritic (the
    letters the defect drops a space before: "trungương" is "trung ương", never "trun gương";
    "Phone" is not "Phon e", "Campuchia" stays whole), each but the last of two or more letters
    (OCR debris such as "ữở", "chiếư" is not a one-letter word glued to another), when every word
    so found is attested in the same text — on its own somewhere, or glued in two places or more;
(b) where a lower-case letter runs into a capital ("tịchỦy" → "tịch Ủy"), when every side is a
    syllable (or is split by (a)) and the capitalised word begins with a marked vowel or is attested
    in the text ("theoThông"; "MoMo" stays whole).

All-caps tokens are split only into pieces of two or more letters ("TRUNGƯƠNG"); the letters of an
abbreviation ("UBND", "CSTĐ", "NĐ-CP") never form syllables, so they are never touched. Only spaces
are inserted: every piece keeps its letters and case.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# tone marks as combining characters (NFD): huyền, sắc, ngã, hỏi, nặng
_TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
_VOWELS = frozenset("aăâeêioôơuưy")
_LETTERS = frozenset("abcdđeghiklmnopqrstuvxy") | _VOWELS
_FRONT = frozenset("ieêy")           # k, gh, ngh only before these; c, g, ng never before them
_STOPS = ("c", "ch", "p", "t", "k")     # a syllable closed by a stop takes sắc or nặng

# the standard onsets, longest first ("" = no onset)
ONSETS = ("ngh", "ng", "nh", "gh", "gi", "kh", "ph", "qu", "th", "tr", "ch",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")


def _rhyme_table() -> frozenset[str]:
    """Every rhyme (optional medial o/u + nucleus + optional coda), tone marks left out."""
    table = {
        # nucleus: codas ("-" = open syllable)
        "a": "- c ch m n ng nh p t i y o u",
        "ă": "c m n ng p t",
        "â": "c m n ng p t y u",
        "e": "- c m n ng p t o",
        "ê": "- ch m n nh p t u",
        "i": "- ch m n nh p t u a",        # "ia" (kìa, chia) is the open iê
        "iê": "c m n ng p t u",            # after an onset: tiên, nghiêng, kiến
        "y": "-",                          # ý, mỹ, kỹ, lý
        "yê": "c m n ng p t u",            # without onset: yên, yêu, yết
        "o": "- c m n ng p t i",
        "oo": "c ng",                      # xoong, boong, soóc
        "ô": "- c m n ng p t i",
        "ơ": "- m n p t i",
        "u": "- c m n ng p t i a",         # "ua" (mua, của) is the open uô
        "uô": "c m n ng t i",
        "ư": "- c m ng t i u a",           # "ưa" (mưa, giữa) is the open ươ
        "ươ": "c m n ng p t i u",
        # medial o
        "oa": "- c ch i m n ng nh o p t y",
        "oă": "c m n ng p t",
        "oe": "- c m n o t",
        # medial u
        "uâ": "n ng t y",
        "uê": "- ch n nh t",
        "uơ": "-",                         # thuở, huơ
        "uy": "- ch nh p t u a",           # "uya" (khuya) is the open uyê
        "uyê": "n t",
    }
    rhymes = {n + ("" if c == "-" else c) for n, codas in table.items() for c in codas.split()}
    return frozenset(rhymes | {"ăk"})              # Đắk, Lắk (place names)


RHYMES = _rhyme_table()
# Place names from the Central Highlands and the north keep k before a, o ("Bắc Kạn", "Kon Tum") and
# a final k after ă ("Đắk Lắk"): part of the corpus's vocabulary, so accepted as syllables.
_PLACE_NAME_K = ("a", "o")
_MEDIAL_U = ("uâ", "uê", "uơ", "uy")
_MEDIAL_O = ("oa", "oă", "oe")


def _strip_tone(word: str) -> tuple[str, str | None] | None:
    """(the letters without their tone mark, the tone) — None for two tone marks or a mark on a consonant."""
    tone = None
    base = ""
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            if tone is not None or base not in _VOWELS:
                return None
            tone = _TONES[ch]
            continue
        kept.append(ch)
        base = unicodedata.normalize("NFC", base + ch) if unicodedata.combining(ch) else ch
    return unicodedata.normalize("NFC", "".join(kept)), tone


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """A possible Vietnamese syllable, compared NFC-lowercase: "quý", "khuya", "thuở", "nghiêng",
    "Ủy", "uỷ", "hoà", "hòa" are; "UBND", "online", "trungương", "tịchủy" are not."""
    word = unicodedata.normalize("NFC", word).lower()
    stripped = _strip_tone(word) if word.isalpha() else None
    if stripped is None:
        return False
    bare, tone = stripped
    if not set(bare) <= _LETTERS:
        return False
    return any(_rhyme_ok(on, bare[len(on):], tone) for on in ONSETS if bare.startswith(on))


def _rhyme_ok(onset: str, rest: str, tone: str | None) -> bool:
    rhyme = _rhyme_after(onset, rest)
    if rhyme is None or rhyme not in RHYMES:
        return False
    if rhyme.endswith(_STOPS) and tone not in ("sắc", "nặng"):
        return False
    return True


def _rhyme_after(onset: str, rest: str) -> str | None:
    """The rhyme that ``rest`` spells after ``onset``, or None when the spelling rules forbid it."""
    if not rest:
        return "i" if onset == "gi" else None          # gì
    first = rest[0]
    if onset == "qu":                                   # the u is the medial
        if first in "aăe":
            return "o" + rest                           # qua ~ oa, quăng ~ oăng, quen ~ oen
        if first in "âêơyô":
            return "u" + rest                           # quân, quê, quở, quy, quyết, quốc
        if first == "i":
            return "uy" + rest[1:]                      # "qui", the old spelling of "quy"
        return None
    if onset == "gi":
        if first not in _VOWELS or first == "ê":
            return "i" + rest                           # gìn; giếng = gi + iêng
        if first in "iy" or rest.startswith(_MEDIAL_O + _MEDIAL_U):
            return None
        return rest                                     # gia, giữ, giường, giục
    if rest.startswith("yê") and onset:
        return None                                     # tiên, not "tyên"
    if rest.startswith("iê") and not onset:
        return None                                     # yên, not "iên"
    if onset in ("gh", "ngh") and first not in _FRONT:
        return None
    if onset == "k" and first not in _FRONT and not rest.startswith(_PLACE_NAME_K):
        return None
    if onset in ("c", "g", "ng") and first in _FRONT:
        return None
    if onset in ("c", "k", "g", "gh", "ngh") and rest.startswith(_MEDIAL_U):
        return None                                     # written qu-; "guy" is not Vietnamese
    if onset in ("c", "k") and rest.startswith(_MEDIAL_O):
        return None
    return rest


# --- the repair --------------------------------------------------------------------------------
# a maximal run of Latin letters (superscript footnote digits and other scripts are not letters here)
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
# the vowels that carry a diacritic (precomposed in NFC): the letters the defect drops a space before
_MARKED_VOWEL = frozenset(unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in ("", *_TONES)) - set("aeiouy")


@lru_cache(maxsize=1 << 16)
def _segment(token: str) -> tuple[str, ...] | None:
    """The token as syllables, each after the first starting with a marked vowel and each but the
    last of two or more letters (fewest pieces; on a tie the longest first piece); None when there
    is no such reading."""
    if is_syllable(token):
        return (token,)
    best: tuple[str, ...] | None = None
    for i in range(len(token) - 1, 1, -1):
        head, tail = token[:i], token[i:]
        if tail[0].lower() not in _MARKED_VOWEL or not is_syllable(head):
            continue
        rest = _segment(tail)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = (head, *rest)
    return best


def _case_parts(token: str) -> list[str]:
    """Cut where a lower-case letter is followed by a capital: "tịchỦy" → ["tịch", "Ủy"]."""
    parts, start = [], 0
    for i in range(1, len(token)):
        if token[i - 1].islower() and token[i].isupper():
            parts.append(token[start:i])
            start = i
    parts.append(token[start:])
    return parts


@lru_cache(maxsize=1 << 16)
def reading(token: str) -> tuple[tuple[str, bool], ...] | None:
    """How a token that is not a syllable reads as glued words: (word, needs_evidence) pairs.
    None when the token is a syllable or cannot be read so.

    A word that (a) found after a vowel needs evidence from the text; so does a word cut off at a
    capital (b) unless it begins with a marked vowel, the defect's signature ("MoMo" is a name, not
    "Mo Mo"). "tịchỦy" → (("tịch", False), ("Ủy", False)); "Trungương" → (("Trung", False),
    ("ương", True)); "theoThông" → (("theo", False), ("Thông", True))."""
    if is_syllable(token):
        return None
    out: list[tuple[str, bool]] = []
    for i, part in enumerate(_case_parts(token)):
        seg = _segment(part)
        if seg is None or (part.isupper() and min(map(len, seg)) < 2):
            return None
        for k, word in enumerate(seg):
            out.append((word, k > 0 or (i > 0 and word[0].lower() not in _MARKED_VOWEL)))
    return tuple(out) if len(out) > 1 else None


def split_token(token: str) -> tuple[str, ...]:
    """The words a token reads as, without looking at the text around it: ("tịch", "Ủy") for
    "tịchỦy", ("Trung", "ương") for "Trungương"; (token,) when it is one word or unreadable."""
    r = reading(token)
    return tuple(w for w, _ in r) if r else (token,)


def glued_words(text: str) -> dict[str, str]:
    """The tokens of ``text`` to split, in order of first appearance: {"tịchỦy": "tịch Ủy", …}.

    A word that needs evidence (see ``reading``) must be attested in the same text: written on its
    own somewhere, or found glued in at least two places. The converter's defect repeats itself; a
    one-off "trưỏng", "Đốỉ", "mớiẻ" is as likely a typo or an OCR slip, and "lệtập" a space missing
    before a consonant ("lệ tập"), so those are left alone.
    """
    # fast path, for the many texts without a glued token: the distinct whitespace-separated
    # chunks are far fewer than the tokens, and their tokens are cached
    readings = {tok: r for chunk in dict.fromkeys(text.split()) for tok, r in _glued_in(chunk)}
    if not readings:
        return {}
    counts = Counter(_TOKEN.findall(text))
    alone: Counter[str] = Counter()
    for tok, n in counts.items():
        if tok not in readings:
            alone[tok.lower()] += n
    glued: Counter[str] = Counter()
    for tok, r in readings.items():
        for word, needs_evidence in r:
            if needs_evidence:
                glued[word.lower()] += counts[tok]
    return {tok: " ".join(w for w, _ in r) for tok, r in readings.items()
            if all(alone[w.lower()] or glued[w.lower()] >= 2 for w, needs_evidence in r if needs_evidence)}


@lru_cache(maxsize=1 << 17)
def _glued_in(chunk: str) -> tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]:
    """The tokens of a whitespace-separated chunk that read as glued words, with their readings."""
    return tuple((tok, r) for tok in _TOKEN.findall(chunk) if (r := reading(tok)))


def repair_glued_words(text: str, fixes: dict[str, str] | None = None) -> tuple[str, int]:
    """The text with the missing spaces put back (``glued_words``, or the ``fixes`` given), and the
    number of tokens split."""
    fixes = glued_words(text) if fixes is None else fixes
    if not fixes:
        return text, 0
    count = 0

    def fix(m: re.Match) -> str:
        nonlocal count
        new = fixes.get(m.group(0))
        if new is None:
            return m.group(0)
        count += 1
        return new

    return _TOKEN.sub(fix, text), count
