"""Changes an officer makes to one record on the site: a decision's fields or an award line's,
and deleting either. The values are checked by the import's own cell checks (records.importing:
the same dates, award names, years and loại hình as a file's), so a value the import refuses is
refused here with the same message. Every change is audited by the session (who, when, old →
new); ``decision_history`` reads that log back for the decision page."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus.errors import UserError

from .columns import layout
from .importing import KIND_LABELS, OwnerCheck, Row, _award, _basis, _date, _method, _year
from .models import AuditEntry, AwardLine, Decision, ResistanceAward
from .store import Store, award_kind_id, clean
from .units import owner_name

DECISION_FIELDS = ("number", "date", "issuer", "signer", "submitter", "basis")
LINE_FIELDS = ("award", "year", "achievement", "method")
# The audit log's column names as the pages show them (the import file's headings where there is one).
LABELS = {"number": "Số quyết định", "date": "Ngày quyết định", "issuer": "Cơ quan ban hành", "signer": "Người ký",
          "submitter": "Cơ quan trình", "basis": "Căn cứ", "level": "Cấp khen thưởng", "owner_unit_id": "Đơn vị quản lý",
          "award_kind_id": "Hình thức khen thưởng", "year": "Năm", "achievement": "Thành tích",
          "method": "Loại hình khen thưởng", "decision_date": "Ngày quyết định (của dòng)", "kind": "Hình thức",
          "period": "Thời kỳ kháng chiến"}
TABLES = {"decision": "quyết định", "award_line": "dòng khen thưởng", "resistance_award": "khen thưởng kháng chiến"}
ACTIONS = {"insert": "thêm", "update": "sửa", "delete": "xóa"}


class EditRefused(UserError):
    """Values that cannot be saved; ``errors`` holds one line per bad field, naming it."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _row(values: Mapping[str, Any], keys: tuple[str, ...]) -> Row:
    lay = layout()
    where = {k: i for i, k in enumerate(keys)}
    return Row(0, [values.get(k) for k in keys], where, lay)


def _refuse_if_bad(row: Row) -> None:
    if row.errors:
        raise EditRefused([f"{e.header}: {e.message}" for e in row.errors])


def edit_decision(s: Session, d: Decision, values: Mapping[str, Any], may_own: OwnerCheck) -> bool:
    """Set a decision's fields from ``values`` (the import's cell texts); True when something
    changed. Its lines follow a new date; a new issuer or cơ quan trình makes a new owner, which
    ``may_own`` must allow too."""
    row = _row(values, DECISION_FIELDS)
    number = row.text("number", True)
    day = _date(row)
    issuer, signer = row.text("issuer", True), row.text("signer", True)
    submitter = row.text("submitter")
    _refuse_if_bad(row)
    if number.lower().startswith("số "):
        number = number[3:].strip()
    if (number, issuer, day) != (d.number, d.issuer, d.date):
        other = s.scalars(select(Decision.id).where(Decision.number == number, Decision.issuer == issuer,
                                                    Decision.date == day, Decision.id != d.id)).first()
        if other is not None:
            raise EditRefused([f"Đã có quyết định {number} ngày {day:%d/%m/%Y} của {issuer} (mã {other})"])
    owner = owner_name(issuer, submitter or issuer)
    if d.owner_unit is None or clean(owner) != d.owner_unit.name:
        why = may_own(owner)
        if why is not None:
            raise EditRefused([why])
        d.owner_unit = Store(s).unit(owner)
    new = {"number": number, "date": day, "issuer": issuer, "signer": signer,
           "submitter": submitter or issuer, "basis": _basis(values.get("basis"))}
    changed = {k: v for k, v in new.items() if getattr(d, k) != v}
    for k, v in changed.items():
        setattr(d, k, v)
    if "date" in changed:
        for line in s.scalars(select(AwardLine).where(AwardLine.decision_id == d.id)):
            line.decision_date = day
    return bool(changed)


def edit_line(s: Session, line: AwardLine, values: Mapping[str, Any]) -> bool:
    """Set an award line's award, year, thành tích and loại hình; True when something changed."""
    row = _row(values, LINE_FIELDS)
    kind = "individual" if line.person_id else (line.collective.kind if line.collective else "collective")
    award, resistance, _ = _award(row, kind)
    if resistance is not None:
        row.error("award", f"“{resistance}” là khen thưởng kháng chiến, không phải một dòng khen thưởng thường")
    year = _year(row, "year", required=False)
    achievement = row.text("achievement")
    if year is None and not achievement and not row.errors_for("year"):
        row.error("year", "ghi Năm của thành tích (hoặc ghi Thành tích)")
    method = _method(row)
    _refuse_if_bad(row)
    kid = award_kind_id(award)
    new_award = kid != line.award_kind_id
    if new_award:
        clash = s.scalars(select(AwardLine.id).where(AwardLine.decision_id == line.decision_id,
                                                     AwardLine.recipient_key == line.recipient_key,
                                                     AwardLine.award_kind_id == kid)).first()
        if clash is not None:
            raise EditRefused([f"Quyết định này đã có dòng “{award.name}” cho {_who(line)} (dòng mã {clash})"])
        line.award_kind = Store(s).award_kind(award)
    new = {"year": year, "achievement": achievement, "method": method}
    changed = {k: v for k, v in new.items() if getattr(line, k) != v}
    for k, v in changed.items():
        setattr(line, k, v)
    return bool(changed) or new_award


def _who(line: AwardLine) -> str:
    return line.person.full_name if line.person else line.collective.name if line.collective else "?"


def delete_decision(s: Session, d: Decision) -> int:
    """Delete a decision with its award lines and resistance-war awards; the number of lines deleted."""
    lines = list(s.scalars(select(AwardLine).where(AwardLine.decision_id == d.id)))
    lines += list(s.scalars(select(ResistanceAward).where(ResistanceAward.decision_id == d.id)))
    for x in lines:
        s.delete(x)
    s.flush()
    s.delete(d)
    return len(lines)


def decision_values(d: Decision) -> dict[str, str]:
    """A decision's fields as the edit form shows them (dates as ngày/tháng/năm)."""
    return {"number": d.number, "date": f"{d.date:%d/%m/%Y}", "issuer": d.issuer, "signer": d.signer or "",
            "submitter": d.submitter or "", "basis": d.basis or ""}


def line_values(line: AwardLine) -> dict[str, str]:
    return {"award": line.award_kind.name, "year": "" if line.year is None else str(line.year),
            "achievement": line.achievement or "", "method": layout().methods.get(line.method, line.method)}


@dataclass
class Change:
    """One entry of a decision's history, or several alike (an import's lines) collapsed into one."""
    at: str
    actor: str
    action: str
    table: str
    count: int
    diffs: list[tuple[str, str, str]]     # (field label, old, new) of an update
    row_ids: list[str]


def _shown(v: Any) -> str:
    return "—" if v is None or v == "" else str(v)


def decision_history(s: Session, decision_id: int, limit: int = 200) -> list[Change]:
    """The changes to a decision and its lines, newest first; the inserts of one import (same
    time, same officer) as one entry."""
    rows = s.scalars(select(AuditEntry).where(AuditEntry.decision_id == decision_id)
                     .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit * 50)).all()
    out: list[Change] = []
    for e in rows:
        diffs = []
        if e.action == "update":
            before, after = e.before or {}, e.after or {}
            diffs = [(LABELS.get(k, k), _shown(before.get(k)), _shown(after.get(k)))
                     for k in after if k in LABELS and before.get(k) != after.get(k)]
            if not diffs:
                continue
        at = e.at.strftime("%d/%m/%Y %H:%M:%S")
        last = out[-1] if out else None
        if last and not diffs and not last.diffs and (last.at, last.actor, last.action, last.table) == (
                at, e.actor, ACTIONS.get(e.action, e.action), TABLES.get(e.table_name, e.table_name)):
            last.count += 1
            last.row_ids.append(e.row_id)
            continue
        if len(out) >= limit:
            break
        out.append(Change(at=at, actor=e.actor, action=ACTIONS.get(e.action, e.action),
                          table=TABLES.get(e.table_name, e.table_name), count=1, diffs=diffs, row_ids=[e.row_id]))
    return out


__all__ = ["EditRefused", "edit_decision", "edit_line", "delete_decision", "decision_history", "decision_values",
           "line_values", "KIND_LABELS", "DECISION_FIELDS", "LINE_FIELDS"]
