"""Excel out: the import template (`tdkt records template`) and any lookup's lines in the same
layout, so an export can be corrected and imported again."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import layout

SHEET = "Mẫu nhập"
HELP_SHEET = "Hướng dẫn"


def _header(ws, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[cell_letter(i)].width = max(14, min(40, len(h) + 4))
    ws.freeze_panes = "A2"


def cell_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i)


def write_template(out: Path) -> Path:
    """An empty import sheet (header row only) and a second sheet explaining each column."""
    lay = layout()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _header(ws, [c.header for c in lay.columns])
    kinds = DataValidation(type="list", formula1='"cá nhân,tập thể,hộ gia đình"', allow_blank=True)
    ws.add_data_validation(kinds)
    col = cell_letter(1 + [c.key for c in lay.columns].index("recipient_kind"))
    kinds.add(f"{col}2:{col}10000")
    helpws = wb.create_sheet(HELP_SHEET)
    _header(helpws, ["Cột", "Tiêu đề", "Bắt buộc", "Giải thích", "Ví dụ"])
    for i, c in enumerate(lay.columns, start=1):
        helpws.append([cell_letter(i), c.header, "có" if c.required else "không", c.help, c.example])
    helpws.column_dimensions["D"].width = 80
    helpws.append([])
    helpws.append(["", "Dòng ví dụ (sao chép sang trang “Mẫu nhập”):"])
    helpws.append([c.example for c in lay.columns])
    return _save(wb, out)


def _save(wb: Workbook, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def line_cells(line: dict[str, Any]) -> dict[str, Any]:
    """An award line (lookup.line_dict) as the import file's cells."""
    return {"number": line["decision_number"], "date": line["decision_date_vn"], "issuer": line["issuer"],
            "signer": line.get("signer") or "", "award": line["award"], "recipient_kind": line["recipient_kind_vn"],
            "name": line["name"], "unit": line["unit"] or "", "year": line.get("year"),
            "basis": line.get("basis") or "", "achievement": line.get("achievement") or "",
            "method": line.get("method_vn") or "", "submitter": line.get("submitter") or "",
            "birth_year": line.get("birth_year"), "period": line.get("period") or ""}


def write_lines(lines: Iterable[dict[str, Any]], out: Path, title: str | None = None) -> Path:
    """The lines of a lookup, in the import layout (re-importable)."""
    lay = layout()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _header(ws, [c.header for c in lay.columns])
    for line in lines:
        cells = line_cells(line)
        ws.append([cells.get(c.key) for c in lay.columns])
    if title:
        wb.properties.title = title
    return _save(wb, out)
