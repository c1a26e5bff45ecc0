"""Tra cứu (sổ vàng): award lines by name (accent-insensitive, from the start of the name: "nguyen
van an" finds "Nguyễn Văn An"), award kind, unit and period; a decision with its recipients and its
căn cứ lines checked against the knowledge base's registry; a person's or collective's history."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from awards.catalogue import default_catalogue, glossary_abbreviations
from corpus.draft_check import check_draft
from corpus.errors import UserError
from corpus.status import in_force_on

from .columns import layout
from .importing import KIND_LABELS
from .models import AwardLine, Collective, Decision, Person, ResistanceAward, Unit
from .store import award_kind_id, folded

MAX_RESULTS = 500
MANY_PEOPLE = 2000
# The last character of the folded alphabet: name_folded < prefix + _TOP ⇔ starts with prefix (an index range).
_TOP = "\U0010ffff"


@dataclass
class Query:
    name: str | None = None
    award: str | None = None
    unit: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = MAX_RESULTS

    def check(self) -> None:
        if not any((self.name and self.name.strip(), self.award, self.unit, self.date_from, self.date_to)):
            raise UserError("tra cứu cần ít nhất một điều kiện: họ tên, hình thức khen thưởng, đơn vị hoặc khoảng thời gian")
        if self.name and len(self.name) > 200:
            raise UserError(f"họ tên quá dài ({len(self.name)} ký tự)")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(f"khoảng thời gian ngược: từ {self.date_from} đến {self.date_to}")


def _vn(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _vn_iso(iso: str) -> str:
    try:
        return _vn(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso


def line_dict(line: AwardLine) -> dict[str, Any]:
    d, who = line.decision, line.person or line.collective
    kind = "individual" if line.person else (line.collective.kind if line.collective else "collective")
    return {"line_id": line.id, "name": who.full_name if line.person else who.name,
            "recipient_kind": kind, "recipient_kind_vn": KIND_LABELS.get(kind, kind),
            "person_id": line.person_id, "collective_id": line.collective_id,
            "birth_year": line.person.birth_year if line.person else None,
            "award": line.award_kind.name, "award_id": line.award_kind_id,
            "decision_id": d.id, "decision_number": d.number, "decision_date": d.date.isoformat(),
            "decision_date_vn": _vn(d.date), "issuer": d.issuer, "signer": d.signer, "basis": d.basis,
            "submitter": d.submitter, "unit": line.unit.name if line.unit else None, "unit_id": line.unit_id,
            "year": line.year, "achievement": line.achievement, "method": line.method,
            "method_vn": layout().methods.get(line.method, line.method)}


def resistance_dict(r: ResistanceAward) -> dict[str, Any]:
    d, who = r.decision, r.person or r.collective
    kind = "individual" if r.person else "collective"
    unit = who.unit
    return {"resistance_id": r.id, "name": r.person.full_name if r.person else r.collective.name,
            "recipient_kind": kind, "recipient_kind_vn": KIND_LABELS[kind],
            "person_id": r.person_id, "collective_id": r.collective_id,
            "birth_year": r.person.birth_year if r.person else None,
            "award": r.kind, "period": r.period, "decision_id": d.id, "decision_number": d.number,
            "decision_date": d.date.isoformat(), "decision_date_vn": _vn(d.date), "issuer": d.issuer,
            "signer": d.signer, "basis": d.basis, "unit": unit.name if unit else None, "year": None}


def _lines() -> Select:
    return select(AwardLine).options(joinedload(AwardLine.decision), joinedload(AwardLine.award_kind),
                                     joinedload(AwardLine.person), joinedload(AwardLine.collective),
                                     joinedload(AwardLine.unit))


def unit_ids(s: Session, name: str) -> list[int]:
    """The units whose name starts with ``name`` (folded), with the units merged into them and
    their sub-units (a xã's lines count for its huyện and tỉnh)."""
    key = folded(name)
    found = set(s.scalars(select(Unit.id).where(Unit.name_folded >= key, Unit.name_folded < key + _TOP)))
    if not found:
        raise UserError(f"không có đơn vị nào tên “{name}”")
    links = s.execute(select(Unit.id, Unit.parent_id, Unit.merged_into_id)).all()
    grew = True
    while grew:
        more = {i for i, parent, merged in links if i not in found and (parent in found or merged in found)}
        grew = bool(more)
        found |= more
    return sorted(found)


def award_id(name: str) -> str:
    return award_kind_id(default_catalogue().find(name, glossary_abbreviations()))


def search(s: Session, q: Query) -> list[dict[str, Any]]:
    """Award lines (and resistance-war awards) matching ``q``, newest decision first."""
    q.check()
    stmt = _lines()
    res = select(ResistanceAward).join(ResistanceAward.decision).options(
        joinedload(ResistanceAward.decision), joinedload(ResistanceAward.person).joinedload(Person.unit),
        joinedload(ResistanceAward.collective).joinedload(Collective.unit))
    if q.award:
        stmt = stmt.where(AwardLine.award_kind_id == award_id(q.award))
        res = None
    if q.unit:
        ids = unit_ids(s, q.unit)
        stmt = stmt.where(AwardLine.unit_id.in_(ids))
        res = None if res is None else res.where(ResistanceAward.person_id.in_(select(Person.id).where(Person.unit_id.in_(ids))))
    if q.date_from:
        stmt = stmt.where(AwardLine.decision_date >= q.date_from)
        res = None if res is None else res.where(Decision.date >= q.date_from)
    if q.date_to:
        stmt = stmt.where(AwardLine.decision_date <= q.date_to)
        res = None if res is None else res.where(Decision.date <= q.date_to)
    out: list[dict[str, Any]] = []
    name = q.name.strip() if q.name else ""
    if name:
        key = folded(name)
        people = select(Person.id).where(Person.name_folded >= key, Person.name_folded < key + _TOP)
        groups = select(Collective.id).where(Collective.name_folded >= key, Collective.name_folded < key + _TOP)
        # ids and dates first, sorted here: ordered by date in SQL, a planner may walk the whole
        # date index instead of the few lines of the people found.
        # A common prefix ("nguyen") matches many people: walk the lines newest first and keep
        # theirs (the first `limit` come soon). Otherwise, the people's own lines by their index.
        person_ids = set(s.scalars(people.limit(MANY_PEOPLE + 1)))
        group_ids = set(s.scalars(groups.limit(MANY_PEOPLE + 1)))
        if len(person_ids) > MANY_PEOPLE or len(group_ids) > MANY_PEOPLE:
            hits = _newest_named(s, stmt, key, q.limit)
        else:
            # the ids themselves, not a subquery: a planner that thinks a column mostly NULL
            # (collective_id, where most lines are a person's) would scan every line for it
            hits = []
            for ids, col in ((person_ids, AwardLine.person_id), (group_ids, AwardLine.collective_id)):
                if ids:
                    hits += list(s.execute(stmt.with_only_columns(AwardLine.id, AwardLine.decision_date)
                                           .where(col.in_(sorted(ids)))).all())
        hits.sort(key=lambda h: (h[1], -h[0]), reverse=True)
        chosen = [h[0] for h in hits[:q.limit]]
        if chosen:
            out += [line_dict(x) for x in s.scalars(_lines().where(AwardLine.id.in_(chosen))).unique()]
        if res is not None:
            for cond in (ResistanceAward.person_id.in_(people), ResistanceAward.collective_id.in_(groups)):
                out += [resistance_dict(x) for x in s.scalars(res.where(cond).limit(q.limit)).unique()]
    else:
        out = [line_dict(x) for x in s.scalars(stmt.order_by(AwardLine.decision_date.desc(), AwardLine.id)
                                                .limit(q.limit)).unique()]
    out.sort(key=lambda r: (r["decision_date"], -(r.get("line_id") or r.get("resistance_id") or 0)), reverse=True)
    return out[:q.limit]


def _newest_named(s: Session, stmt: Select, key: str, limit: int) -> list[tuple]:
    """(id, date) of the newest ``limit`` lines whose recipient's folded name starts with ``key``,
    for names so common ("nguyen": one line in eighteen) that walking the (date, name) index newest
    first meets ``limit`` of them soon, reading no line itself."""
    cols = stmt.with_only_columns(AwardLine.id, AwardLine.decision_date).where(
        AwardLine.recipient_folded >= key, AwardLine.recipient_folded < key + _TOP)
    return list(s.execute(cols.order_by(AwardLine.decision_date.desc()).limit(limit)).all())


def decision(s: Session, decision_id: int) -> dict[str, Any] | None:
    """A decision with its recipients (award lines and resistance-war awards)."""
    d = s.get(Decision, decision_id)
    if d is None:
        return None
    lines = [line_dict(x) for x in s.scalars(_lines().where(AwardLine.decision_id == d.id).order_by(AwardLine.id)).unique()]
    resistance = [resistance_dict(r) for r in s.scalars(select(ResistanceAward).where(ResistanceAward.decision_id == d.id))]
    return {"id": d.id, "number": d.number, "date": d.date.isoformat(), "date_vn": _vn(d.date), "issuer": d.issuer,
            "signer": d.signer, "level": d.level, "submitter": d.submitter,
            "owner": d.owner_unit.name if d.owner_unit else None, "owner_code": d.owner_unit.code if d.owner_unit else None,
            "basis_lines": (d.basis or "").splitlines(), "lines": lines, "resistance": resistance}


def find_decisions(s: Session, number: str) -> list[Decision]:
    key = " ".join(number.split())
    return list(s.scalars(select(Decision).where(Decision.number == key).order_by(Decision.date)))


def history(s: Session, person_id: int | None = None, collective_id: int | None = None) -> dict[str, Any] | None:
    """Everything one person (or collective) received, oldest first."""
    who = s.get(Person, person_id) if person_id else s.get(Collective, collective_id) if collective_id else None
    if who is None:
        return None
    col, rcol = (AwardLine.person_id, ResistanceAward.person_id) if person_id else (AwardLine.collective_id, ResistanceAward.collective_id)
    ident = person_id or collective_id
    lines = [line_dict(x) for x in s.scalars(_lines().where(col == ident).order_by(AwardLine.decision_date, AwardLine.id)).unique()]
    lines += [resistance_dict(r) for r in s.scalars(select(ResistanceAward).where(rcol == ident))]
    lines.sort(key=lambda r: r["decision_date"])
    return {"name": who.full_name if person_id else who.name, "unit": who.unit.name if who.unit else None,
            "birth_year": getattr(who, "birth_year", None), "lines": lines}


def check_basis(basis_lines: list[str], registry, on: dt.date | None = None,
                province: str | None = None) -> list[dict[str, Any]]:
    """Each căn cứ line with its citations resolved and checked (corpus.draft_check): the document
    it names in the knowledge base, and a superseded, unknown or wrong citation flagged. With ``on``
    (the decision's date) a text replaced later but in force that day is not flagged, and a text
    issued after that day is."""
    out = []
    for text in basis_lines:
        cits = []
        for checked in check_draft(text, registry, province=province):
            c, res, e = checked.citation, checked.resolution, checked.resolution.entry
            problems = [p.to_dict() for p in checked.problems if p.kind != "not_full_form"]
            status = res.status
            if on and e is not None:
                if status == "superseded" and in_force_on(e.status, on):
                    status = "in_force_then"
                    problems = [p for p in problems if p["kind"] != "superseded"]
                if e.date and e.date > on.isoformat():
                    problems.append({"kind": "date", "message": f"Văn bản ban hành ngày {_vn_iso(e.date)}, "
                                     f"sau ngày quyết định {_vn(on)}: không thể là căn cứ của quyết định."})
            cits.append({"text": c.text, "canonical": c.canonical, "status": status,
                         "doc": (e.corpus_doc_id if e and e.in_corpus else None), "entry": e.id if e else None,
                         "full_form": e.full_form() if e else None,
                         "superseded_by": list(e.status.get("by") or []) if e and res.status == "superseded" else [],
                         "problems": problems})
        out.append({"line": text, "citations": cits,
                    "flagged": not cits or any(x["problems"] or x["status"] in ("unknown", "superseded", "ambiguous")
                                               for x in cits)})
    return out
