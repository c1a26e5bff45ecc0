"""From an approved proposal to the award decision: the draft (.docx, awards/docx_export, with the
căn cứ block in force on the day, the recipients as an annex and the number left blank for the
office), then, once the office has signed it, the decision entered: the records' Decision and its
AwardLines (records/store.py, audited), and the proposal closed as decided."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from awards.basis import basis_lines
from awards.catalogue import RECIPIENTS, default_catalogue
from awards.docx_export import decision_opening
from corpus.errors import UserError
from corpus.registry import Registry
from records.models import Collective, Decision, Person
from records.reports import is_state_level
from records.store import Store, clean

from . import clock, routing, workflow
from .dossier import find_award
from .errors import WrongStatus
from .models import Proposal


def default_issuer(p: Proposal, day: dt.date) -> str:
    """The body that issues the decision: the central authority the catalogue names, else the receiving unit."""
    return routing.central_issuer(find_award(p.award), day) or p.receiver.name


def draft_docx(p: Proposal, registry: Registry, day: dt.date | None = None) -> bytes:
    """The decision draft of an approved (or decided) proposal."""
    if p.status not in ("approved", "decided"):
        raise WrongStatus(f"hồ sơ số {p.id} chưa được duyệt: chưa có dự thảo quyết định")
    day = day or clock.today()
    award = find_award(p.award)
    province = p.unit.province
    kinds = sorted({r.kind for r in p.recipients})
    result = {"award": {"name": award.name, "decision_name": award.provincial_name if province and award.provincial_name else award.name,
                        "level": award.level, "date": day.isoformat(), "province": province,
                        "recipient_label": ", ".join(RECIPIENTS[k] for k in kinds)},
              "basis": [line.text for line in basis_lines(default_catalogue(), registry, day, province)]}
    annex = [{"name": r.name, "kind_label": RECIPIENTS[r.kind], "unit": p.unit.name, "achievement": r.achievement or ""}
             for r in p.recipients]
    return decision_opening(result, annex=annex)


def enter(s: Session, p: Proposal, number: str, date: dt.date, signer: str, actor: str, unit_code: str,
          registry: Registry, issuer: str | None = None) -> Decision:
    """The signed decision into the records (one award line per recipient) and ``p`` decided."""
    workflow.workflow("proposal").next_status(p.status, "decide")
    workflow.require_holder(p, unit_code)
    number, signer = clean(number), clean(signer)
    if not number or len(number) > 60:
        raise UserError("ghi số quyết định (ví dụ 125/QĐ-TTg), tối đa 60 ký tự")
    if not signer:
        raise UserError("ghi người ký quyết định")
    award = find_award(p.award)
    issuer = clean(issuer) or default_issuer(p, date)
    central = routing.CENTRAL in routing.deciding_levels(award, date, p.unit.province)
    store = Store(s)
    lines = basis_lines(default_catalogue(), registry, date, p.unit.province)
    d, _new = store.decision(number, issuer, date, signer=signer, level=award.level, basis="\n".join(l.text for l in lines),
                             submitter=(p.receiver.name if central and is_state_level(award.level) else p.unit.name),
                             owner_unit=p.receiver)
    kind = store.award_kind(award)
    method = "chuyen_de" if p.movement is not None and p.movement.kind == "chuyen_de" else "thuong_xuyen"
    for r in p.recipients:
        recipient = _recipient(s, store, p, r)
        store.add_line(d, recipient, kind, year=p.year, achievement=r.achievement, method=method)
    s.flush()
    p.decision = d
    workflow.move(s, p, "decide", actor, unit_code, reason=f"Quyết định số {number} ngày {date:%d/%m/%Y}")
    return d


def _recipient(s: Session, store: Store, p: Proposal, r) -> Person | Collective:
    if r.kind == "individual":
        found = s.get(Person, r.person_id) if r.person_id else None
        return found or store.person(r.name, p.unit)
    found = s.get(Collective, r.collective_id) if r.collective_id else None
    return found or store.collective(r.name, p.unit, kind="household" if r.kind == "household" else "collective")
