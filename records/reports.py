"""Forms 0601 and 0602 of Thông tư 02/2023/TT-BNV computed from the records for a period, in the
layout of records/data/forms.yaml. Every figure is traceable: ``cell_items`` returns the award
lines (or movements) a cell counts, by the same classification that counted them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus.errors import UserError
from corpus.vntext import fold

from .lookup import line_dict
from .models import AwardKind, AwardLine, Collective, Decision, Movement, Unit

DATA = Path(__file__).parent / "data" / "forms.yaml"
TOTAL = "Tổng số"


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def award_group(name: str) -> str | None:
    """The 0602 group of a state-level award ("Huân chương Lao động hạng Ba" → huan_chuong)."""
    key = fold(name)
    best = None
    for group, prefixes in spec()["award_groups"].items():
        for p in prefixes:
            if key.startswith(fold(p)) and (best is None or len(p) > best[1]):
                best = (group, len(p))
    return best[0] if best else None


def is_state_level(level: str) -> bool:
    return fold(level).startswith("nha nuoc")


@dataclass
class Item:
    """One counted thing: an award line (0602) or a movement (0601), with the row it falls in and
    the column keys it counts for."""
    id: int
    row: str
    keys: set[str]


@dataclass
class Form:
    form: str
    code: str
    title: str
    unit: str
    row_by: str
    start: dt.date
    end: dt.date
    columns: list[dict[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"form": self.form, "code": self.code, "title": self.title, "unit": self.unit, "row_by": self.row_by,
                "from": self.start.isoformat(), "to": self.end.isoformat(), "columns": self.columns, "rows": self.rows}

    def value(self, row: str, column: str) -> int:
        return next(r["cells"][column] for r in self.rows if r["label"] == row)


def _form_spec(form: str) -> dict[str, Any]:
    forms = spec()["forms"]
    key = form.strip().split(".")[0]
    if key not in forms:
        raise UserError(f"không có biểu “{form}”: các biểu có: {', '.join(forms)}")
    return forms[key] | {"form": key}


def _items(s: Session, fs: dict[str, Any], start: dt.date, end: dt.date) -> list[Item]:
    if start > end:
        raise UserError(f"kỳ báo cáo ngược: từ {start} đến {end}")
    if fs["counts"] == "movements":
        q = (select(Movement.id, Movement.kind, Unit.name).outerjoin(Unit, Movement.unit_id == Unit.id)
             .where(Movement.launched >= start, Movement.launched <= end))
        return [Item(i, unit or "(không rõ đơn vị)", {"total", f"movement:{kind}"}) for i, kind, unit in s.execute(q)]
    q = (select(AwardLine.id, AwardLine.person_id, Collective.kind, AwardLine.method, AwardKind.name, AwardKind.level,
                Decision.submitter, Decision.issuer)
         .join(AwardKind, AwardLine.award_kind_id == AwardKind.id).join(Decision, AwardLine.decision_id == Decision.id)
         .outerjoin(Collective, AwardLine.collective_id == Collective.id)
         .where(AwardLine.decision_date >= start, AwardLine.decision_date <= end))
    out = []
    for i, person, ckind, method, name, level, submitter, issuer in s.execute(q):
        if not is_state_level(level):
            continue
        kind = "individual" if person else (ckind or "collective")
        keys = {"total", f"kind:{kind}", f"method:{method}"}
        group = award_group(name)
        if group:
            keys.add(f"group:{group}")
        out.append(Item(i, submitter or issuer, keys))
    return out


def compute(s: Session, form: str, start: dt.date, end: dt.date) -> Form:
    fs = _form_spec(form)
    items = _items(s, fs, start, end)
    cols = [{"key": c["key"], "label": c["label"], "group": c.get("group") or ""} for c in fs["columns"]]
    f = Form(form=fs["form"], code=fs["code"], title=fs["title"], unit=fs["unit"], row_by=fs["row_by"],
             start=start, end=end, columns=cols)
    labels = sorted({it.row for it in items}, key=fold)
    for label in [TOTAL, *labels]:
        inside = [it for it in items if label == TOTAL or it.row == label]
        f.rows.append({"label": label, "cells": {c["key"]: sum(c["key"] in it.keys for it in inside) for c in cols}})
    return f


def cell_items(s: Session, form: str, start: dt.date, end: dt.date, row: str, column: str) -> list[dict[str, Any]]:
    """The award lines (0602) or movements (0601) behind one figure of the form."""
    fs = _form_spec(form)
    if column not in {c["key"] for c in fs["columns"]}:
        raise UserError(f"biểu {fs['form']} không có cột “{column}”")
    ids = [it.id for it in _items(s, fs, start, end) if (row == TOTAL or it.row == row) and column in it.keys]
    if fs["counts"] == "movements":
        return [{"id": m.id, "name": m.name, "kind": m.kind, "launched": m.launched.isoformat(),
                 "unit": m.unit.name if m.unit else None} for m in s.scalars(select(Movement).where(Movement.id.in_(ids)))]
    out = []
    for chunk in range(0, len(ids), 500):
        out += [line_dict(x) for x in s.scalars(select(AwardLine).where(AwardLine.id.in_(ids[chunk:chunk + 500])))]
    return sorted(out, key=lambda r: (r["decision_date"], r["line_id"]))


def write_xlsx(form: Form, out: Path) -> Path:
    """The form as the circular lays it out: title, period, a two-level header, Tổng số first."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"{out}: the report is an Excel file: give a name ending in .xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = form.form
    width = 2 + len(form.columns)
    ws.append([f"Biểu số {form.code}"])
    ws.append([form.title])
    ws.append([f"Kỳ báo cáo: từ ngày {form.start:%d/%m/%Y} đến ngày {form.end:%d/%m/%Y}"])
    ws.append([f"Đơn vị tính: {form.unit}"])
    for r in (1, 2, 3, 4):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = Alignment(horizontal="center")
    top, sub = 5, 6
    ws.cell(top, 1, "STT")
    ws.cell(top, 2, form.row_by)
    ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=sub, end_column=2)
    col = 3
    while col - 3 < len(form.columns):
        c = form.columns[col - 3]
        span = 1
        while c["group"] and col - 3 + span < len(form.columns) and form.columns[col - 3 + span]["group"] == c["group"]:
            span += 1
        if c["group"]:
            ws.cell(top, col, c["group"])
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + span - 1)
            for k in range(span):
                ws.cell(sub, col + k, form.columns[col - 3 + k]["label"])
        else:
            ws.cell(top, col, c["label"])
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        col += span
    ws.append(["A", "B", *range(1, len(form.columns) + 1)])
    for i, row in enumerate(form.rows):
        ws.append(["" if i == 0 else i, row["label"], *[row["cells"][c["key"]] for c in form.columns]])
    thin = Side(style="thin")
    for r in ws.iter_rows(min_row=top, max_row=ws.max_row, max_col=width):
        for cell in r:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if cell.row <= sub + 1 else None)
            if cell.row <= sub + 1 or cell.row == sub + 2:
                cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 42
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
