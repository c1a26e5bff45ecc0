"""The opening of the award decision as a Word file (python-docx), because offices draft in Word:
issuer and national motto, number and date, title, the signer's capacity, the "Căn cứ" lines of the
award file in order, the proposal line to fill in, and "QUYẾT ĐỊNH:" with Điều 1 to complete.
Layout per Nghị định 30/2020/NĐ-CP (Times New Roman 13–14, header table of two columns).
"""
from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .basis import long_date

BLANK = "………"


def _issuer(result: dict[str, Any]) -> tuple[str, str, str]:
    """(issuing body, signer, place) for the header, from the award's level and the province."""
    a = result["award"]
    province = a.get("province")
    if province and "tỉnh" in (a.get("level") or ""):
        return (f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}", f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {province.upper()}", province)
    return ("TÊN CƠ QUAN, TỔ CHỨC", "NGƯỜI CÓ THẨM QUYỀN", BLANK)


def _para(doc, text: str, bold: bool = False, italic: bool = False, center: bool = False, size: int = 14):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    run.font.name = "Times New Roman"
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def decision_opening(result: dict[str, Any]) -> bytes:
    """The .docx bytes of the decision's opening for an award file (awards.file.award_file)."""
    a = result["award"]
    body, signer, place = _issuer(result)
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = f"{body}\n-------\nSố: {BLANK}/QĐ-{BLANK}"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------"
    _para(doc, f"{place}, {long_date(a['date'])}", italic=True)
    _para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    _para(doc, f"Về việc tặng {a.get('decision_name') or a['name']}", bold=True, center=True)
    _para(doc, signer, bold=True, center=True)
    for line in result["basis"]:
        _para(doc, line)
    _para(doc, f"Theo đề nghị của {BLANK}.")
    _para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    _para(doc, f"Điều 1. Tặng {a.get('decision_name') or a['name']} cho {BLANK} ({a['recipient_label']}), đã có thành tích {BLANK}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
