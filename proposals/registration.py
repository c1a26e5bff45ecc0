"""Đăng ký thi đua: at the start of the year a unit registers its collectives and individuals for
titles under a movement (records' Movement); the level above (Unit.parent) receives the list or
returns it with a reason; at year end the received list is the starting list of the unit's
proposals (one proposal per title). Lists come typed in or from an .xlsx/.csv file whose rows
are checked like the records' import (the row and cell of each error named, nothing added from
a file with an error)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from awards.catalogue import RECIPIENTS, parse_recipient
from corpus.errors import UserError
from records.columns import Column, Layout
from records.importing import RowError, map_header
from records.models import Movement, Unit
from records.reading import read_table
from records.store import clean
from openpyxl.utils import get_column_letter

from . import dossier, workflow
from .errors import NotFound, WrongStatus
from .models import Proposal, Registration, RegistrationEntry

COLUMNS_FILE = Path(__file__).parent / "data" / "registration_columns.yaml"
EDITABLE = ("draft", "returned")


class BadFile(UserError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} lỗi, không đăng ký dòng nào: " + "; ".join(map(str, errors[:10])))


@lru_cache(maxsize=1)
def layout() -> Layout:
    raw = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    cols = tuple(Column(key=c["key"], header=c["header"], required=bool(c.get("required")),
                        aliases=tuple(c.get("aliases") or ()), help="", example=str(c.get("example") or ""))
                 for c in raw["columns"])
    return Layout(columns=cols, methods={}, method_words={}, resistance_kinds={}, periods={})


def get(s: Session, registration_id: int) -> Registration:
    r = s.get(Registration, registration_id)
    if r is None:
        raise NotFound(f"không có bản đăng ký thi đua số {registration_id}")
    return r


def create(s: Session, unit: Unit, year: object, actor: str, movement_id: int | None = None) -> Registration:
    if unit.parent is None:
        raise UserError(f"đơn vị “{unit.name}” không có cấp trên trong cơ sở dữ liệu: không có nơi nhận đăng ký")
    if movement_id is not None and s.get(Movement, movement_id) is None:
        raise NotFound(f"không có phong trào thi đua mã {movement_id}")
    reg = Registration(unit=unit, receiver=unit.parent, year=dossier._year(year), movement_id=movement_id,
                       created_by=actor, status="draft")
    s.add(reg)
    s.flush()
    return reg


def _entry(kind: str, name: str, award_name: str, note: str | None) -> RegistrationEntry:
    kind = parse_recipient(kind)
    award = dossier.find_award(award_name)
    if kind not in award.recipients:
        raise UserError(f"“{award.name}” không tặng cho {RECIPIENTS[kind]}")
    name = clean(name)
    if not name or len(name) > 300:
        raise UserError("ghi họ và tên (hoặc tên tập thể), tối đa 300 ký tự")
    return RegistrationEntry(kind=kind, name=name, award=award.name, note=clean(note)[:1000] or None)


def _editable(reg: Registration) -> None:
    if reg.status not in EDITABLE:
        raise WrongStatus(f"bản đăng ký số {reg.id} đang ở trạng thái "
                          f"“{workflow.workflow('registration').label(reg.status)}”: không sửa được")


def add_entry(s: Session, reg: Registration, kind: str, name: str, award_name: str, note: str | None = None) -> RegistrationEntry:
    _editable(reg)
    e = _entry(kind, name, award_name, note)
    reg.entries.append(e)
    s.flush()
    return e


def import_file(s: Session, reg: Registration, path: Path) -> int:
    """Every row of the file added, or none (BadFile naming each bad row and cell)."""
    _editable(reg)
    lay = layout()
    header, rows = read_table(path)
    where = map_header(header, lay, path.name)
    entries, errors = [], []
    for number, cells in rows:
        def cell(key):
            i = where.get(key)
            return cells[i] if i is not None and i < len(cells) else None
        try:
            entries.append(_entry(str(cell("kind") or ""), str(cell("name") or ""), str(cell("award") or ""),
                                  str(cell("note") or "")))
        except UserError as exc:
            key = _column_of(str(exc))
            errors.append(RowError(number, get_column_letter(where[key] + 1), lay.column(key).header, str(exc)))
    if errors:
        raise BadFile(errors)
    reg.entries.extend(entries)
    s.flush()
    return len(entries)


def _column_of(message: str) -> str:
    """Which column a row's error is about (recipient kind, name or the award)."""
    if "recipient kind" in message:
        return "kind"
    if "họ và tên" in message:
        return "name"
    return "award"


def start_proposals(s: Session, reg: Registration, actor: str) -> list[Proposal]:
    """At year end: one draft proposal per registered title, its recipients those registered for it."""
    if reg.status != "received":
        raise WrongStatus(f"bản đăng ký số {reg.id} chưa được cấp trên tiếp nhận")
    by_award: dict[str, list[RegistrationEntry]] = {}
    for e in reg.entries:
        by_award.setdefault(e.award, []).append(e)
    out = []
    for award, entries in by_award.items():
        p = dossier.create(s, reg.unit, award, reg.year, actor, movement_id=reg.movement_id, registration_id=reg.id)
        for e in entries:
            dossier.add_recipient(s, p, e.kind, e.name, e.note)
        out.append(p)
    return out
