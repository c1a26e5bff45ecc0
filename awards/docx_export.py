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


def _cell(cell, lines: list[tuple[str, bool]]) -> None:
    """A header cell: centred lines, Times New Roman 13, the names in bold (NĐ 30/2020, Phụ lục I)."""
    cell.text = ""
    for i, (text, bold) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size, run.font.name = bold, Pt(13), "Times New Roman"


def decision_opening(result: dict[str, Any], annex: list[dict[str, str]] | None = None) -> bytes:
    """The .docx bytes of the decision's opening for an award file (awards.file.award_file).
    ``annex``: the recipients ({name, kind_label, unit, achievement}) listed after the decision,
    "kèm theo Quyết định số ………" (the number is the office's to fill in)."""
    a = result["award"]
    body, signer, place = _issuer(result)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell(left, [(body, True), ("-------", False), (f"Số: {BLANK}/QĐ-{BLANK}", False)])
    _cell(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
                  ("---------------", False)])
    _para(doc, f"{place}, {long_date(a['date'])}", italic=True)
    _para(doc, "QUYẾT ĐỊNH", bold=True, center=True)
    _para(doc, f"Về việc tặng {a.get('decision_name') or a['name']}", bold=True, center=True)
    _para(doc, signer, bold=True, center=True)
    for line in result["basis"]:
        _para(doc, line)
    _para(doc, f"Theo đề nghị của {BLANK}.")
    _para(doc, "QUYẾT ĐỊNH:", bold=True, center=True)
    if annex:
        _para(doc, f"Điều 1. Tặng {a.get('decision_name') or a['name']} cho {len(annex)} tập thể, cá nhân "
                   "có tên trong danh sách kèm theo Quyết định này, đã có thành tích xuất sắc.")
        _annex(doc, a, annex)
    else:
        _para(doc, f"Điều 1. Tặng {a.get('decision_name') or a['name']} cho {BLANK} ({a['recipient_label']}), đã có thành tích {BLANK}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _annex(doc, award: dict[str, Any], rows: list[dict[str, str]]) -> None:
    """The list of recipients on a page of its own, numbered, as offices attach it."""
    from docx.enum.text import WD_BREAK
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "DANH SÁCH", bold=True, center=True)
    _para(doc, f"tập thể, cá nhân được tặng {award.get('decision_name') or award['name']}", bold=True, center=True)
    _para(doc, f"(Kèm theo Quyết định số {BLANK}/QĐ-{BLANK} ngày {BLANK} tháng {BLANK} năm {BLANK})", italic=True, center=True)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích")):
        cell.text = head
    for i, r in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, value in zip(cells, (str(i), f"{r['name']} ({r['kind_label']})", r.get("unit") or "", r.get("achievement") or "")):
            cell.text = value
