"""Raw bytes → NFC text: detect the encoding of a corpus file, or refuse it with a clear reason.

Accepted: UTF-8 (with or without BOM), UTF-16 (BOM, or LE/BE recognised by the pattern of NUL
bytes in ASCII-heavy text), Windows-1258 (the old Vietnamese code page; it yields combining tone
marks, so the result is NFC-normalised like everything else).

Refused (``SourceError``): an empty file, a binary file (NUL bytes that are not UTF-16), a file that
is none of the above, a file over the size limit.

UTF-8 with a few stray bad bytes (a truncated copy, one damaged character): when at most 1% of the
bytes are invalid the bad bytes become U+FFFD and the caller gets a warning through
``decode_bytes_with_warnings``; above 1% the file is not UTF-8 and we try Windows-1258.
"""
from __future__ import annotations

import codecs
import re

from .errors import SourceError
from .vntext import nfc

MAX_BYTES = 20_000_000
# Above this share of invalid bytes a "UTF-8" file is really something else.
MAX_BAD_UTF8_SHARE = 0.01
# Windows-1258 text is mostly ASCII plus a few bytes ≥ 0x80; control bytes other than
# tab/newline/carriage-return/form-feed mean binary, not text.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# Letters that only Vietnamese text in cp1258 produces (combining tone marks and ă â đ ê ô ơ ư …).
_CP1258_VIET = set(b"\xcc\xd2\xde\xec\xf2\xfe\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd\xc2\xe2\xca\xea\xd4\xf4")


def size_problem(size: int, max_bytes: int = MAX_BYTES) -> str | None:
    """The refusal message for a file of ``size`` bytes, or None when it is small enough."""
    if size <= max_bytes:
        return None
    return f"is {size / 1_000_000:.1f} MB; the limit for one document is {max_bytes / 1_000_000:.0f} MB"


def decode_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode one corpus file to NFC text, or raise SourceError(name, problem)."""
    text, _warnings = decode_bytes_with_warnings(data, name, max_bytes)
    return text


def decode_bytes_with_warnings(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> tuple[str, list[str]]:
    """Like ``decode_bytes`` but also returns warnings (replaced bytes, legacy encoding used)."""
    problem = size_problem(len(data), max_bytes)
    if problem:
        raise SourceError(name, problem)
    if not data.strip():
        raise SourceError(name, "file is empty" if not data else "file is empty (only whitespace)")
    utf16 = _decode_utf16(data)
    if utf16 is not None:
        return nfc(utf16), []
    if b"\x00" in data:
        raise SourceError(name, "looks binary (NUL bytes), not a text document")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return nfc(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    bad = _count_bad_utf8(data)
    if bad <= max(1, MAX_BAD_UTF8_SHARE * len(data)) and _looks_utf8(data):
        text = data.decode("utf-8", errors="replace")
        return nfc(text), [f"{name}: {bad} invalid UTF-8 byte(s) replaced by U+FFFD"]
    if len(_CONTROL.findall(data)) > max(2, len(data) // 1000):
        raise SourceError(name, "looks binary (control bytes), not a text document")
    if any(b in _CP1258_VIET for b in data):
        text = data.decode("cp1258", errors="replace")
        if text.count("\ufffd") <= MAX_BAD_UTF8_SHARE * len(text):
            return nfc(text), [f"{name}: decoded as Windows-1258"]
    raise SourceError(name, "cannot be decoded: not UTF-8, UTF-16 or Windows-1258 text")


def _decode_utf16(data: bytes) -> str | None:
    """UTF-16 text by BOM, or by NUL bytes at every other position (ASCII-heavy LE/BE text)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    encoding = "utf-16-le" if odd_nul > 0.3 and even_nul < 0.05 else "utf-16-be" if even_nul > 0.3 and odd_nul < 0.05 else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _count_bad_utf8(data: bytes) -> int:
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")


def _looks_utf8(data: bytes) -> bool:
    """Real UTF-8 multi-byte sequences dominate the non-ASCII bytes (else it is a legacy code page)."""
    good = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    high = sum(1 for b in data if b >= 0x80)
    return high == 0 or good * 2 >= high * 0.5
