"""Changes officers make besides imports: a unit merged into another (the 2025 mergers of xã and
tỉnh: the old unit keeps its rows and history, ends on the day, and lookups of the new unit include
it) and a phong trào thi đua launched (form 0601). Every change is audited by the session."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus.errors import UserError

from .models import Movement, Unit
from .store import Store, clean, folded

MOVEMENT_KINDS = {"thuong xuyen": "thuong_xuyen", "thuong_xuyen": "thuong_xuyen", "chuyen de": "chuyen_de",
                  "chuyen_de": "chuyen_de", "theo dot": "chuyen_de", "dot": "chuyen_de"}


def _unit(s: Session, name: str) -> Unit:
    found = s.scalars(select(Unit).where(Unit.name_folded == folded(name))).all()
    if not found:
        raise UserError(f"không có đơn vị “{name}”")
    return found[0]


def merge_unit(s: Session, old: str, into: str, day: dt.date) -> Unit:
    """Merge the unit named ``old`` into ``into`` from ``day`` (its last day is the day before)."""
    a, b = _unit(s, old), _unit(s, into)
    if a.id == b.id:
        raise UserError(f"“{old}” và “{into}” là cùng một đơn vị")
    seen, u = set(), b
    while u is not None:           # no cycle: the target is not (through its own merges) the old unit
        if u.id == a.id or u.id in seen:
            raise UserError(f"“{into}” đã được sáp nhập vào “{old}”: không sáp nhập ngược lại")
        seen.add(u.id)
        u = u.merged_into
    a.merged_into, a.valid_to = b, day - dt.timedelta(days=1)
    if b.valid_from is None or b.valid_from > day:
        b.valid_from = day if b.valid_from is None else b.valid_from
    return a


def add_movement(s: Session, name: str, unit: str, kind: str, launched: dt.date) -> tuple[Movement, bool]:
    """A movement launched by ``unit``; (the movement, True when new)."""
    k = MOVEMENT_KINDS.get(" ".join(folded(kind).replace("_", " ").split()) if kind else "")
    if k is None:
        raise UserError(f"“{kind}”: ghi thường xuyên hoặc chuyên đề (theo đợt)")
    if not clean(name):
        raise UserError("phong trào cần có tên")
    u = Store(s).unit(unit)
    s.flush()
    have = s.scalars(select(Movement).where(Movement.name == clean(name), Movement.unit_id == u.id,
                                            Movement.launched == launched)).first()
    if have:
        return have, False
    m = Movement(name=clean(name), kind=k, launched=launched, unit=u)
    s.add(m)
    return m, True
