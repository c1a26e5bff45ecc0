"""Proposals and registrations as JSON-ready dicts, for the pages and the API alike (the moves an
officer may make, given the units they hold a role in, included)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from awards.catalogue import RECIPIENTS

from . import checks, workflow
from .models import Move, Proposal, Registration

CanEdit = Callable[[str], bool]     # unit code → whether the officer may write for it


def _unit(u) -> dict[str, Any] | None:
    return {"id": u.id, "code": u.code, "name": u.name, "level": u.level} if u is not None else None


def _kind_label(kind_id: str) -> str:
    return next((k.label for k in checks.document_kinds() if k.id == kind_id), kind_id)


def _moves(flow: workflow.Workflow, obj, can_edit: CanEdit) -> list[dict[str, str]]:
    holder = workflow.holder_unit(obj)
    if holder is None or not can_edit(holder.code):
        return []
    return [{"action": r.action, "label": r.label, "reason": r.reason, "form": r.by_form or "move"}
            for r in flow.moves_from(obj.status)]


def _log(flow: workflow.Workflow, moves) -> list[dict[str, Any]]:
    return [{"at": m.at.isoformat(timespec="seconds"), "actor": m.actor, "unit": m.unit_code,
             "from": m.from_status, "to": m.to_status, "from_label": flow.label(m.from_status),
             "to_label": flow.label(m.to_status), "reason": m.reason} for m in moves]


def proposal(p: Proposal, can_edit: CanEdit) -> dict[str, Any]:
    flow = workflow.workflow("proposal")
    holder = workflow.holder_unit(p)
    d = p.decision
    return {
        "id": p.id, "title": p.title, "award": p.award, "year": p.year, "status": p.status,
        "status_label": flow.label(p.status), "unit": _unit(p.unit), "receiver": _unit(p.receiver),
        "holder": _unit(holder), "reason": p.reason, "justification": p.justification, "failures": p.failures or [],
        "movement": {"id": p.movement.id, "name": p.movement.name} if p.movement else None,
        "registration_id": p.registration_id, "created": p.created.isoformat(timespec="seconds"), "created_by": p.created_by,
        "recipients": [{"id": r.id, "kind": r.kind, "kind_label": RECIPIENTS[r.kind], "name": r.name,
                        "achievement": r.achievement, "person_id": r.person_id, "collective_id": r.collective_id}
                       for r in p.recipients],
        "attachments": [{"id": a.id, "kind": a.kind, "kind_label": _kind_label(a.kind), "filename": a.filename,
                         "size": a.size, "media_type": a.media_type, "sha256": a.sha256,
                         "uploaded_by": a.uploaded_by} for a in p.attachments],
        "moves": _log(flow, p.moves),
        "decision": {"id": d.id, "number": d.number, "date": d.date.isoformat(), "issuer": d.issuer, "signer": d.signer}
                    if d is not None else None,
        "actions": _moves(flow, p, can_edit),
        "editable": p.status in ("draft", "returned") and can_edit(p.unit.code),
    }


def registration(r: Registration, can_edit: CanEdit) -> dict[str, Any]:
    flow = workflow.workflow("registration")
    return {
        "id": r.id, "year": r.year, "status": r.status, "status_label": flow.label(r.status), "reason": r.reason,
        "unit": _unit(r.unit), "receiver": _unit(r.receiver),
        "movement": {"id": r.movement.id, "name": r.movement.name} if r.movement else None,
        "entries": [{"id": e.id, "kind": e.kind, "kind_label": RECIPIENTS[e.kind], "name": e.name, "award": e.award,
                     "note": e.note} for e in r.entries],
        "moves": _log(flow, _registration_moves(r, Move)),
        "actions": _moves(flow, r, can_edit),
        "editable": r.status in ("draft", "returned") and can_edit(r.unit.code),
        "can_propose": r.status == "received" and can_edit(r.unit.code),
    }


def _registration_moves(r: Registration, Move) -> list:
    from sqlalchemy.orm import object_session
    s = object_session(r)
    return list(s.scalars(select(Move).where(Move.registration_id == r.id).order_by(Move.id))) if s else []


def summary(p: Proposal) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "award": p.award, "year": p.year, "status": p.status,
            "status_label": workflow.workflow("proposal").label(p.status),
            "unit": p.unit.name, "receiver": p.receiver.name, "decision_id": p.decision_id}


def unit_lists(s: Session, unit_id: int) -> dict[str, Any]:
    """What a unit's home page lists: the proposals it made, those sent to it, its registrations and those sent to it."""
    own = s.scalars(select(Proposal).where(Proposal.unit_id == unit_id).order_by(Proposal.id.desc())).all()
    incoming = s.scalars(select(Proposal).where(Proposal.receiver_id == unit_id, Proposal.status != "draft")
                         .order_by(Proposal.id.desc())).all()
    regs = s.scalars(select(Registration).where(or_(Registration.unit_id == unit_id, Registration.receiver_id == unit_id))
                     .order_by(Registration.id.desc())).all()
    reg_flow = workflow.workflow("registration")
    return {
        "proposals": [summary(p) for p in own],
        "incoming": [summary(p) for p in incoming],
        "registrations": [{"id": r.id, "year": r.year, "unit": r.unit.name, "status": r.status,
                           "status_label": reg_flow.label(r.status), "entries": len(r.entries),
                           "incoming": r.receiver_id == unit_id}
                          for r in regs if r.receiver_id != unit_id or r.status != "draft"],
        "_awards": [p.award for p in own if p.status not in ("decided", "rejected")]
                   + [e.award for r in regs if r.unit_id == unit_id for e in r.entries],
    }
