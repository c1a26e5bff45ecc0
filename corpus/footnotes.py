"""Footnotes: pulled out of the body they interrupt, kept whole, linked to the sections citing them.

Two shapes occur in the corpus:
- superscript markers (seed 001): "… quy phạm pháp luật¹ …" in the body and a paragraph
  "¹ HĐND tỉnh đã ban hành …" wherever the page break put it;
- consolidated texts (16/VBHN-VPQH): plain digits glued to the word or article number they annotate
  ("khen thưởng1.", "Điều 42" = Điều 4 + note 2) and note paragraphs "2 Điều này được sửa đổi, bổ
  sung theo quy định tại …" quoting the amending law.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Footnote, Section

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP = f"[{SUPERSCRIPTS}]"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
# "¹ HĐND tỉnh …", "⁴Tỷ lệ …": a paragraph that starts with a superscript number is a footnote text.
_SUP_NOTE = re.compile(rf"^\s*({_SUP}+)\s*(\S.*)$")
# Consolidated texts: "2 Điều này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 của Luật …".
# The amended unit, then "được … sửa đổi / bổ sung / bãi bỏ / thay thế": what a VBHN note says.
_AMENDED_UNIT = r"(?:Điều|Khoản|Điểm|Cụm từ|Tên|Chương|Mục|Phần|Từ)"
_AMENDING_VERB = r"(?:sửa đổi|bổ sung|bãi bỏ|thay thế|đính chính)"
_VBHN_NOTE = re.compile(rf"^\s*(\d{{1,3}})\s+({_AMENDED_UNIT}\b.*\b{_AMENDING_VERB}\b.*)$")


@dataclass
class RawNote:
    marker: str
    text: str


def pull_notes(lines: list[str], consolidated: bool) -> tuple[list[str], list[RawNote]]:
    """Remove footnote paragraphs from the body lines (blank lines take their place)."""
    out, notes = [], []
    for ln in lines:
        m = _SUP_NOTE.match(ln)
        if m is None and consolidated:
            m = _VBHN_NOTE.match(ln)
        if m and "\t" not in ln:
            notes.append(RawNote(marker=m.group(1), text=m.group(2).strip()))
            out.append("")
        else:
            out.append(ln)
    return out, notes


def marker_pattern(marker: str) -> re.Pattern:
    """Where a marker is referenced in body text: superscripts anywhere (not inside a longer
    superscript number); digits only glued right after a lower-case letter ("thưởng1.")."""
    if marker[0] in SUPERSCRIPTS:
        return re.compile(rf"(?<!{_SUP}){re.escape(marker)}(?!{_SUP})")
    return re.compile(rf"(?<=[a-zà-ỹđ”\"]){re.escape(marker)}(?=[.,;:”)]?(?:\s|$))")


def link_notes(notes: list[RawNote], sections: list[Section], glued: dict[str, str]) -> list[Footnote]:
    """Footnote objects with the sections that reference each marker.

    ``glued`` maps markers found glued to article numbers (structure.py) to their section ids.
    A marker that is referenced nowhere keeps section_id None but is never dropped.
    """
    result = []
    for note in notes:
        refs: list[str] = []
        if note.marker in glued:
            refs.append(glued[note.marker])
        pat = marker_pattern(note.marker)
        for s in sections:
            if s.kind == "table":
                continue
            if s.id not in refs and (pat.search(s.text) or pat.search(s.heading)):
                refs.append(s.id)
        if note.marker[0] not in SUPERSCRIPTS and len(refs) > 1:
            refs = refs[:1]  # plain digits are ambiguous: keep the first reference only
        for sid in refs:
            sec = next(s for s in sections if s.id == sid)
            if note.marker not in sec.footnotes:
                sec.footnotes.append(note.marker)
        result.append(Footnote(marker=note.marker, text=note.text, section_id=refs[0] if refs else None,
                               ref_sections=refs))
    return result


def footnote_number(marker: str) -> str:
    """"¹⁰" → "10", "2" → "2": the number a renderer uses for the footnote label."""
    return marker.translate(_SUP_TO_DIGIT)
