"""Cleaning, in memory: decoded text → display lines (original spelling, NFC).

Steps, each a small function: normalise (NFC, line ends, no-break spaces, words glued together
without a space split again — spacing.py) → drop web-page chrome
(data/chrome.yaml) → strip Markdown emphasis and stray table pipes → unpack the one-line "| … | … |"
header and signature rows of thuvienphapluat copies into lines → (footnotes are pulled out by
footnotes.py here) → re-join hard-wrapped lines. Blank lines are kept as "" (paragraph breaks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .spacing import glued_words, repair_glued_words
from .vntext import nfc
from .vocab import doc_type_by_name

CHROME_FILE = Path(__file__).parent / "data" / "chrome.yaml"

# --- fragments -------------------------------------------------------------------------------
UPPER = "A-ZÀ-ỸĐ"  # NFC Vietnamese capitals live in À..Ỹ (plus Đ)
# Markdown emphasis as left by HTML→Markdown converters: ***x***, **x**, *x* (seed 001, 004).
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)([^*\n]*?\S)\*{1,3}(?![\w*])")
_LONE_STARS = re.compile(r"(?<!\S)\*{2,3}(?!\S)|(?<=\S)\*{2,3}(?=\s|$)|(?:^|(?<=\s))\*{2,3}(?=\S)"
                         r"|^\*(?=[(\w“\"])|(?<=[)\w.”\"])\*$")  # one-star emphasis split over two lines
# Decorative rules under header blocks: "-------", "______", "----------------".
_RULE = re.compile(r"[-_=–—]{3,}")
_PIPE_ONLY = re.compile(r"^[|\s]+$")
# Lines that start a new structural item or block: never glued onto the line before.
_STRUCT_START = re.compile(
    r"^(?:Điều\s+\d|Chương\s|CHƯƠNG\s|Phần\s|PHẦN\s|Mục\s+\d|MỤC\s+\d"
    r"|[IVXLC]+\.\s|[A-Z]\.\s|\d+(?:\.\d+)*\.\s|\d+\)|\d+$|[a-zđ]\)\s?|[-+•–]\s|[-+•–]$"
    r"|Căn cứ|Thực hiện|Xét |Theo đề nghị|Nơi nhận|Kính gửi|Số\s*:|V/v|TM\.|KT\.|Q\.|TL\.|\|"
    r"|\((?:Ban hành|ban hành|Kèm theo|kèm theo|Dự thảo))"
)
_TERMINAL = tuple(".;:!?")
# A line ending in one of these words (or a symbol's hyphen, "49-") stops mid-phrase: the next line
# continues it even after a blank line (seed 000: "… ngày 07/4/2014 của" ⏎⏎ "Bộ Chính trị …").
_DANGLING = re.compile(r"(?:\b(?:của|số|và|về|ngày|tại|theo|cho|với|các|những|là|do)|\w-)$")
_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập)")
# All-caps line (headings, header blocks): letters are all capitals, at least two of them.
_HAS_LOWER = re.compile(r"[a-zà-ỹđ]")
_LETTERS = re.compile(rf"[{UPPER}]")
# Title lines that start an authority ("BỘ TRƯỞNG BỘ Y TẾ") are not the end of the title before.
_AUTHORITY = re.compile(r"^(BỘ TRƯỞNG|THỦ TƯỚNG|CHỦ TỊCH|QUỐC HỘI|CHÍNH PHỦ|HỘI ĐỒNG NHÂN DÂN|ỦY BAN|UỶ BAN)\b")


# A re-joined paragraph stops growing here: real paragraphs are far shorter, and the cap keeps a
# pathological file (300 000 continuation lines) linear instead of quadratic.
MAX_PARAGRAPH = 6000


@dataclass
class Cleaned:
    lines: list[str]
    chrome: list[str] = field(default_factory=list)   # dropped chrome lines, for warnings / no-loss checks
    wrapped: bool = False
    repaired: int = 0                                  # words glued together without a space, split again
    repair_examples: list[tuple[str, str]] = field(default_factory=list)   # (as written, as repaired), for warnings


@lru_cache(maxsize=1)
def chrome_patterns() -> tuple[tuple[re.Pattern, bool], ...]:
    """(compiled pattern, footer_only) for every entry of data/chrome.yaml."""
    raw = yaml.safe_load(CHROME_FILE.read_text(encoding="utf-8")) or []
    return tuple((re.compile(rf"(?:{e['pattern']})", re.IGNORECASE), bool(e.get("footer_only"))) for e in raw)


def is_chrome(line: str, footer: bool = False) -> bool:
    s = line.strip()
    return bool(s) and any(p.fullmatch(s) for p, only_footer in chrome_patterns() if footer or not only_footer)


def is_all_caps(line: str) -> bool:
    """"KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU" → True; "Kế hoạch" → False.

    (str methods, not [a-zà-ỹ] ranges: Vietnamese upper and lower letters interleave in Unicode.)
    """
    letters = 0
    for c in line:          # early exit: mixed-case text stops at its first lower-case letter
        if c.isalpha():
            if c.islower():
                return False
            letters += 1
    return letters >= 2


def is_tab_row(line: str) -> bool:
    """A tab-separated table row (tables.py reads these); a stray tab in text is not one."""
    core = line.strip(" ")
    return bool(core.strip()) and ("\t" in core.strip() or core.count("\t") >= 2)


def is_name(line: str) -> bool:
    """A personal name as signed: 2–5 capitalised words, nothing else ("Nguyễn Thúc Liễu")."""
    words = line.strip().split()
    return 2 <= len(words) <= 5 and all(is_name_word(w) for w in words)


def is_name_word(word: str) -> bool:
    """"Liễu" → True; "LIỄU", "liễu", "VT." → False."""
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and all(c.islower() for c in word[1:])


def normalise(text: str) -> list[str]:
    """NFC, unified line ends, no-break spaces as spaces, glued words split, trailing blanks removed."""
    return _normalise(text)[0]


def _normalise(text: str) -> tuple[list[str], dict[str, str], int]:
    """normalise(), with the glued words found ({"tịchỦy": "tịch Ủy"}) and the number of repairs."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = text.replace("\u200b", "")
    # "Chủ tịchỦy ban", "Trungương": a space the source's HTML-to-text conversion lost (152/2025/NĐ-CP)
    fixes = glued_words(text)
    text, repaired = repair_glued_words(text, fixes)
    # trailing tabs are kept: they are the empty cells of a table's group row ("I. …\t\t\t\t")
    return [ln.rstrip(" ") for ln in text.split("\n")], fixes, repaired


def drop_chrome(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove site chrome anywhere, and the site footer block after the document's last line."""
    dropped: list[str] = []
    kept = []
    for ln in lines:
        if is_chrome(ln):
            dropped.append(ln.strip())
            kept.append("")
        else:
            kept.append(ln)
    end = len(kept)
    while end > 0 and (not kept[end - 1].strip() or is_chrome(kept[end - 1], footer=True)):
        end -= 1
        if kept[end].strip():
            dropped.append(kept[end].strip())
    return kept[:end], dropped


def strip_markup(line: str) -> str:
    """Markdown emphasis markers and stray pipes out; the words stay."""
    if _PIPE_ONLY.match(line):
        return ""
    prev = None
    while prev != line:
        prev, line = line, _EMPHASIS.sub(r"\1", line)
    return _LONE_STARS.sub("", line)


def unpack_pipe_row(line: str, near_top: bool) -> list[str] | None:
    """Split a "| a | b |" header/signature row into lines; None when it is a data table row."""
    s = line.strip()
    if not s.startswith("|"):
        return None
    filled = [c for c in s.strip("|").split("|") if c.strip(" -_*")]
    # a layout row with at most one filled cell ("| |Vương Đình Huệ |", the law's signature) is not data
    if not (near_top or len(filled) <= 1
            or re.search(r"CỘNG HÒA|CỘNG HOÀ|Nơi nhận|\b(?:TM|KT|Q|TL)\.\s|\(Ký|CHỦ TỊCH|ĐỘC LẬP", s)):
        return None
    out: list[str] = []
    for cell in (c.strip() for c in s.strip("|").split("|")):
        cell = _RULE.sub(" ", cell).strip(" *")
        if not cell:
            continue
        out.extend(_split_cell(cell))
    return out


def _split_cell(cell: str) -> list[str]:
    """One header/closing cell → its logical lines (motto, recipients list, capacity + name)."""
    cell = re.sub(r"\s+", " ", cell)
    if cell.startswith("Nơi nhận"):
        head, _, rest = cell.partition(":")
        items = re.split(r"(?:(?<=[;.)])|^)\s*-\s+", rest.strip())
        return [head + ":"] + [f"- {i.strip()}" for i in items if i.strip()]
    m = re.match(r"(.*?VIỆT NAM)\s*(Độc lập.*)", cell)
    if m:
        return [m.group(1).strip(), m.group(2).strip()]
    words = cell.split(" ")
    k = len(words)
    while k > 0 and is_name_word(words[k - 1]):
        k -= 1
    if 0 < k < len(words) and len(words) - k >= 2 and is_all_caps(" ".join(words[:k])):
        return [" ".join(words[:k]), " ".join(words[k:])]
    return [cell]


def prepare_lines(text: str) -> Cleaned:
    """Everything up to (not including) footnote extraction and wrap joining."""
    normalised, fixes, repaired = _normalise(text)
    lines, chrome = drop_chrome(normalised)
    out: list[str] = []
    nonblank = 0
    for ln in lines:
        if "\t" in ln and not is_tab_row(ln):
            ln = ln.replace("\t", " ")
        unpacked = unpack_pipe_row(ln, near_top=nonblank < 6)
        if unpacked is not None:
            out.extend(unpacked or [""])
            nonblank += 1
            continue
        stripped = ln if "\t" in ln else strip_markup(ln).strip()
        if "\t" in ln:
            stripped = strip_markup(ln).strip(" ")
        if _RULE.fullmatch(stripped.strip()):
            stripped = ""
        if stripped.strip():
            nonblank += 1
        out.append(stripped)
    return Cleaned(lines=_split_lone_tab_rows(out), chrome=chrome, repaired=repaired,
                   repair_examples=list(fixes.items()))


def _split_lone_tab_rows(lines: list[str]) -> list[str]:
    """A single tab-separated line between text lines is a two-column header block
    ("Số: 03/2018/TT-BNG⇥CỘNG HÒA …"), not a table: its cells become lines."""
    rows = [i for i, ln in enumerate(lines) if "\t" in ln]
    lone = set()
    for i in rows:
        neighbours = [j for j in range(max(0, i - 3), min(len(lines), i + 4)) if j != i and "\t" in lines[j]]
        if not neighbours:
            lone.add(i)
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i in lone:
            out.extend(c.strip() for c in ln.split("\t") if c.strip())
        else:
            out.append(ln)
    return out


def is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text (seed 003): many lines are followed by a line that starts in lower case."""
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    if len(pairs) < 10:
        return False
    cont = sum(1 for a, b in pairs if b.lstrip()[:1].islower() and not _STRUCT_START.match(b.lstrip()))
    return cont >= 10 and cont / len(pairs) >= 0.25


def join_wrapped(lines: list[str], wrapped: bool | None = None) -> tuple[list[str], bool]:
    """Re-join lines broken mid-sentence; never glue a line that starts a structural item.

    Always: a line starting in lower case continues the one before (seed 001 titles, page breaks),
    and an all-caps line continues an all-caps line ("CỘNG HÒA … VIỆT" + "NAM"). In hard-wrapped
    files also: any line continues a line that stops mid-sentence ("Chỉ thị số" + "18/CT-TTg").
    """
    wrapped = is_wrapped(lines) if wrapped is None else wrapped
    out: list[str] = []
    blank_since = False
    for ln in lines:
        s = ln.strip()
        if not s or "\t" in ln:
            out.append(ln if "\t" in ln else "")
            blank_since = bool(out) and not ("\t" in ln)
            continue
        prev_i = _last_text(out)
        if prev_i is not None and len(out[prev_i]) < MAX_PARAGRAPH \
                and _continues(out[prev_i], s, wrapped, across_blank=blank_since):
            glued = _glue(out[prev_i], s)
            # emphasis split over the two lines ("*(Ban hành …" ⏎ "… Lạng Sơn)*"); bounded so that a
            # pathological file of endless continuations stays linear
            out[prev_i] = strip_markup(glued) if "*" in s and len(glued) < 2000 else glued
            del out[prev_i + 1:]
        else:
            out.append(s)
        blank_since = False
    return out, wrapped


def _last_text(out: list[str]) -> int | None:
    for i in range(len(out) - 1, -1, -1):
        if out[i].strip():
            return None if "\t" in out[i] else i
    return None


def _continues(prev: str, line: str, wrapped: bool, across_blank: bool) -> bool:
    if _STRUCT_START.match(line) and not (prev.strip() in {"-", "+"}):
        return False
    if prev.strip() in {"-", "+", "–"}:
        return True
    if prev.endswith(_TERMINAL) or prev.endswith(("/.", "./")):
        return False
    if is_all_caps(prev) and doc_type_by_name(prev.strip()):
        return False  # "KẾ HOẠCH" is followed by its title, not continued by it
    if prev.startswith("|") or (prev.startswith(("Số", "V/v")) and not line[:1].islower()):
        return False
    if line[:1].islower():
        return not across_blank or not is_all_caps(prev)
    if _DANGLING.search(prev) and not is_all_caps(prev):
        return True
    if across_blank:
        return False
    if prev.endswith("VIỆT") and line.startswith("NAM"):
        return True   # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT" ⏎ "NAM" (seed 003)
    if _MOTTO.match(prev):
        return False
    if is_all_caps(prev) and is_all_caps(line):
        # a line carrying a symbol ("THÔNG TƯ SỐ 12/2019/TT-BNV") is a title line of its own
        return not (_AUTHORITY.match(line) or _MOTTO.match(line) or re.search(r"\d/", prev))
    if wrapped and not is_all_caps(prev):
        return bool(re.search(r"[\w,\-–)(”\"]$", prev)) and not re.match(r".*\bngày\b.*\bnăm\b\s*\d{4}$", prev)
    return False


def _glue(prev: str, line: str) -> str:
    if prev.strip() in {"-", "+", "–"}:
        return f"{prev.strip()} {line}"
    if prev.endswith("-") and not prev.endswith(" -"):
        return prev + line  # "49-" + "NQ/TU": a symbol split at its hyphen
    return f"{prev} {line}"

