"""The statuses of proposals and registrations and the moves between them (proposals/data/
workflow.yaml), who holds each one, and the move itself: checked against the table, logged in
the move log and in the records' audit log (who, when, from, to, why)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import UserError
from records.models import AuditEntry, Unit

from .errors import NotAllowed, WrongStatus
from .models import Move, Proposal, Registration, utcnow

WORKFLOW_FILE = Path(__file__).parent / "data" / "workflow.yaml"
REASONS = ("required", "optional", "none")


@dataclass(frozen=True)
class Rule:
    action: str
    sources: tuple[str, ...]
    target: str
    reason: str
    label: str
    by_form: str | None = None      # a move made by its own form (the decision), not the move form


@dataclass(frozen=True)
class Workflow:
    kind: str                        # proposal | registration
    statuses: dict[str, dict[str, str]]
    rules: dict[str, Rule]
    examples: tuple[tuple[str, str, str], ...]

    def label(self, status: str) -> str:
        return self.statuses.get(status, {}).get("label", status)

    def holder(self, status: str) -> str:
        return self.statuses[status]["holder"]

    def moves_from(self, status: str) -> list[Rule]:
        return [r for r in self.rules.values() if status in r.sources]

    def next_status(self, status: str, action: str) -> str:
        rule = self.rules.get(action)
        if rule is None:
            raise UserError(f"không có thao tác “{action}”: các thao tác: {', '.join(self.rules)}")
        if status not in rule.sources:
            raise WrongStatus(f"không thể “{rule.label}” khi hồ sơ đang ở trạng thái “{self.label(status)}”")
        return rule.target


@lru_cache(maxsize=None)
def workflow(kind: str) -> Workflow:
    raw = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))[kind]
    statuses = {k: {"label": v["label"], "holder": v["holder"]} for k, v in raw["statuses"].items()}
    rules = {}
    for m in raw["moves"]:
        unknown = [s for s in (*m["from"], m["to"]) if s not in statuses]
        if unknown or m["reason"] not in REASONS:
            raise ValueError(f"workflow.yaml {kind}/{m['action']}: unknown status {unknown} or reason {m['reason']}")
        rules[m["action"]] = Rule(m["action"], tuple(m["from"]), m["to"], m["reason"], m["label"], m.get("by_form"))
    return Workflow(kind, statuses, rules, tuple(tuple(e) for e in raw.get("examples") or ()))


def holder_unit(obj: Proposal | Registration) -> Unit | None:
    """The unit that holds ``obj`` now (the only one that may move it), or None when it is closed."""
    kind = "proposal" if isinstance(obj, Proposal) else "registration"
    holder = workflow(kind).holder(obj.status)
    return obj.unit if holder == "proposer" else obj.receiver if holder == "receiver" else None


def require_holder(obj: Proposal | Registration, unit_code: str) -> None:
    holder = holder_unit(obj)
    if holder is None or holder.code != unit_code:
        raise NotAllowed(f"hồ sơ đang do {holder.name if holder else 'không đơn vị nào'} giữ: "
                         f"đơn vị {unit_code} không thể chuyển nó")


def move(session: Any, obj: Proposal | Registration, action: str, actor: str, unit_code: str,
         reason: str | None = None) -> Move:
    """Move ``obj`` by ``action`` for the unit ``unit_code`` (which must hold it): the new status,
    a Move row and an audit entry, in the session's transaction."""
    kind = "proposal" if isinstance(obj, Proposal) else "registration"
    flow = workflow(kind)
    target = flow.next_status(obj.status, action)
    require_holder(obj, unit_code)
    reason = " ".join((reason or "").split()) or None
    rule = flow.rules[action]
    if rule.reason == "required" and not reason:
        raise UserError(f"“{rule.label}” cần ghi lý do")
    source = obj.status
    obj.status = target
    if action in ("return", "reject"):
        obj.reason = reason
    entry = Move(actor=actor, unit_code=unit_code, from_status=source, to_status=target, reason=reason, at=utcnow())
    if isinstance(obj, Proposal):
        entry.proposal = obj
    else:
        entry.registration_id = obj.id
    session.add(entry)
    session.flush()
    session.add(AuditEntry(at=dt.datetime.now(dt.timezone.utc), actor=actor, action="update", table_name=kind,
                           row_id=str(obj.id), before={"status": source},
                           after={"status": target, "action": action, "unit": unit_code, "reason": reason}))
    return entry
