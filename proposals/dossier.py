"""Building a proposal (hồ sơ đề nghị khen thưởng) and sending it: its award (the catalogue's
name), its recipients, its attached documents, and the submit that runs the pre-send check
(proposals.checks.check_proposal) — failures stop it unless the officer writes why it goes anyway."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from awards.catalogue import RECIPIENTS, Award, default_catalogue, glossary_abbreviations, parse_recipient
from corpus.errors import UserError
from records.models import Collective, Person, Unit
from records.store import clean, folded

from . import attachments, checks, clock, routing, workflow
from .errors import NotFound, WrongStatus
from .models import Attachment, Proposal, Recipient

EDITABLE = ("draft", "returned")
MAX_TEXT = 4000


def find_award(name: str) -> Award:
    return default_catalogue().find(name, glossary_abbreviations())


def unit_by_code(s: Session, code: str) -> Unit:
    unit = s.scalars(select(Unit).where(Unit.code == (code or "").strip())).first()
    if unit is None:
        raise NotFound(f"không có đơn vị mã “{(code or '')[:64]}”")
    return unit


def get(s: Session, proposal_id: int) -> Proposal:
    p = s.get(Proposal, proposal_id)
    if p is None:
        raise NotFound(f"không có hồ sơ đề nghị số {proposal_id}")
    return p


def _year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise UserError(f"năm “{str(value)[:10]}” không phải một năm (ví dụ 2025)") from None
    if not 1945 <= year <= 2100:
        raise UserError(f"năm {year} ngoài khoảng 1945–2100")
    return year


def create(s: Session, unit: Unit, award_name: str, year: object, actor: str, title: str | None = None,
           movement_id: int | None = None, registration_id: int | None = None, on: dt.date | None = None) -> Proposal:
    """A new draft proposal of ``unit`` for ``award_name``, addressed to the level that decides it."""
    award = find_award(award_name)
    receiver = routing.receiving_unit(unit, award, on or clock.today())
    year = _year(year)
    p = Proposal(unit=unit, receiver=receiver, award=award.name, year=year, created_by=actor, status="draft",
                 title=clean(title)[:400] or f"Đề nghị tặng {award.name} năm {year}",
                 movement_id=movement_id, registration_id=registration_id)
    s.add(p)
    s.flush()
    return p


def _editable(p: Proposal) -> None:
    if p.status not in EDITABLE:
        raise WrongStatus(f"hồ sơ số {p.id} đang ở trạng thái “{workflow.workflow('proposal').label(p.status)}”: "
                          "chỉ sửa được khi là dự thảo hoặc bị trả lại")


def add_recipient(s: Session, p: Proposal, kind: str, name: str, achievement: str | None = None) -> Recipient:
    """A recipient, linked to the person or collective of the proposing unit in the records when one has that name."""
    _editable(p)
    kind = parse_recipient(kind)
    award = find_award(p.award)
    if kind not in award.recipients:
        allowed = ", ".join(RECIPIENTS[r] for r in award.recipients)
        raise UserError(f"“{award.name}” không tặng cho {RECIPIENTS[kind]}: chỉ cho {allowed}")
    name = clean(name)
    if not name or len(name) > 300:
        raise UserError("ghi họ và tên (hoặc tên tập thể), tối đa 300 ký tự")
    r = Recipient(kind=kind, name=name, achievement=clean(achievement)[:MAX_TEXT] or None)
    model = Person if kind == "individual" else Collective
    column = model.full_name if kind == "individual" else model.name
    found = s.scalars(select(model).where(model.name_folded == folded(name), model.unit_id == p.unit_id,
                                          column == name).order_by(model.id)).first()
    if found is not None:
        if kind == "individual":
            r.person_id = found.id
        else:
            r.collective_id = found.id
    p.recipients.append(r)
    s.flush()
    return r


def remove_recipient(s: Session, p: Proposal, recipient_id: int) -> None:
    _editable(p)
    r = next((r for r in p.recipients if r.id == recipient_id), None)
    if r is None:
        raise NotFound(f"hồ sơ số {p.id} không có người/tập thể mã {recipient_id}")
    p.recipients.remove(r)
    s.flush()


def attach(s: Session, p: Proposal, kind_text: str, filename: str | None, content: bytes, build_dir: Path,
           actor: str) -> Attachment:
    """The file checked (type by content, size), written to disk, and its row added. The caller
    discards the stored file if the transaction then fails (``attachments.discard``)."""
    _editable(p)
    kind = checks.document_kind(kind_text or "")
    if kind is None:
        raise UserError(f"không có loại tài liệu “{(kind_text or '')[:60]}”: chọn một trong "
                        + "; ".join(k.label for k in checks.document_kinds()))
    checked = attachments.check(filename, content)
    stored = attachments.store(build_dir, content)
    a = Attachment(kind=kind.id, filename=checked.filename, stored_name=stored, media_type=checked.media_type,
                   size=checked.size, sha256=checked.sha256, uploaded_by=actor)
    p.attachments.append(a)
    try:
        s.flush()
    except Exception:
        attachments.discard(build_dir, stored)
        raise
    return a


def to_check(p: Proposal, on: dt.date) -> checks.ProposalToCheck:
    return checks.ProposalToCheck(
        award=p.award, unit_id=p.unit_id, on=on, year=p.year,
        nominees=tuple(checks.Nominee(r.name, r.kind, r.person_id, r.collective_id) for r in p.recipients),
        attachments=tuple(a.kind for a in p.attachments), province=p.unit.province)


def submit(s: Session, p: Proposal, actor: str, unit_code: str, justification: str | None = None,
           on: dt.date | None = None, corpus: Any = None) -> list[checks.Failure]:
    """Send ``p`` up after the pre-send check. The failures are returned (and kept on the proposal
    for the receiver); with failures it is sent only when ``justification`` says why."""
    workflow.workflow("proposal").next_status(p.status, "submit")
    workflow.require_holder(p, unit_code)
    if not p.recipients:
        raise UserError(f"hồ sơ số {p.id} chưa có người hoặc tập thể nào được đề nghị")
    failures = checks.check_proposal(s, to_check(p, on or clock.today()), corpus=corpus)
    justification = clean(justification)[:MAX_TEXT] or None
    p.failures = [dataclasses.asdict(f) for f in failures]
    if failures and not justification:
        s.flush()
        return failures
    workflow.move(s, p, "submit", actor, unit_code,
                  reason=f"Gửi dù chưa đạt kiểm tra: {justification}" if failures else None)
    p.justification = justification if failures else None
    return failures
