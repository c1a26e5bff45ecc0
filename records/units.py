"""Which unit owns a record and which units stand above a unit: what an officer's role in a unit
covers (accounts.Officer.role_in asks ``unit_ancestors(code)``; the site sets
``app.state.unit_ancestors`` from here).

A decision is owned by the unit that keeps it: its issuer (Ủy ban nhân dân tỉnh …, a huyện, a
sở), or, for a decision of a central body (Chủ tịch nước, Thủ tướng Chính phủ, a Bộ), the unit that
proposed it (cơ quan trình), which files it in its own records. A role held in a unit covers the
units below it (Unit.parent: xã → huyện → tỉnh) and the units merged into it."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Records
from .models import Unit
from .store import clean, folded, unit_code, unit_level

MAX_DEPTH = 20   # a unit's chain of parents and mergers is short; a longer one is a cycle in bad data


def owner_name(issuer: str, submitter: str | None) -> str:
    """The name of the unit that owns a decision of ``issuer`` proposed by ``submitter``."""
    if submitter and clean(submitter) and unit_level(issuer) == "khác":
        return clean(submitter)
    return clean(issuer)


def code_of(s: Session, name: str) -> str:
    """The code of the unit named ``name``: the existing unit's, or the one a new unit would get."""
    found = s.scalars(select(Unit.code).where(Unit.name_folded == folded(name)).order_by(Unit.id)).first()
    return found or unit_code(name)


def ancestors(s: Session, code: str) -> list[str]:
    """The codes of the units above ``code``: its parents, and the units it was merged into (and theirs)."""
    out: list[str] = []
    todo = [code]
    while todo and len(out) < MAX_DEPTH:
        rows = s.execute(select(Unit.parent_id, Unit.merged_into_id).where(Unit.code == todo.pop())).first()
        if rows is None:
            continue
        for uid in rows:
            if uid is None:
                continue
            up = s.scalar(select(Unit.code).where(Unit.id == uid))
            if up and up not in out and up != code:
                out.append(up)
                todo.append(up)
    return out


def unit_ancestors(db: Records) -> Callable[[str], list[str]]:
    """``ancestors`` over ``db``, for accounts' guards (one short read per question)."""
    def of(code: str) -> list[str]:
        with db.session() as s:
            return ancestors(s, code)
    return of


def unit_names(s: Session) -> dict[str, str]:
    """{code: name} of every unit, for choosing a unit on the officers' pages."""
    return dict(s.execute(select(Unit.code, Unit.name).order_by(Unit.name)).all())
