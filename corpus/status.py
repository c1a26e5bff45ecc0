"""Legal status of a document: in force, superseded, expired, partly amended, not yet in force or
unknown; when it took effect and when it ended; what replaced or amended it; the clause that says
so — and what was in force on a given date.

A status comes from three places, in this order of trust:
1. the registry's editor (corpus/data/registry.yaml), each fact with its source;
2. the corpus's own effect clauses ("Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm
   2025", "Nghị định số 98/2023/NĐ-CP … hết hiệu lực kể từ ngày Nghị định này có hiệu lực thi hành",
   "Thông tư này … thay thế Thông tư số …"), see corpus/resolve.py;
3. inference, marked ``inferred``: a text that details or guides a text that ended ends with it
   (khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015).

``state_on(status, date)`` answers for any date: an officer checking a 2023 decision needs the 2023
rules, so "superseded today" is "in force" on a date before it ended.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict

IN_FORCE, SUPERSEDED, EXPIRED, AMENDED, NOT_YET, UNKNOWN = (
    "in_force", "superseded", "expired", "partly_amended", "not_yet_in_force", "unknown")
STATES = (IN_FORCE, SUPERSEDED, EXPIRED, AMENDED, NOT_YET, UNKNOWN)
ENDED_STATES = {SUPERSEDED, EXPIRED}
# What an officer reads on a badge.
LABELS = {
    IN_FORCE: "Còn hiệu lực",
    SUPERSEDED: "Đã bị thay thế",
    EXPIRED: "Hết hiệu lực",
    AMENDED: "Còn hiệu lực, đã sửa đổi một phần",
    NOT_YET: "Chưa có hiệu lực",
    UNKNOWN: "Chưa rõ hiệu lực",
}


class StatusDict(TypedDict, total=False):
    """Status.to_dict(): what the pages and the API read of a document's state (KnowledgeBase.
    status_dict). A registry entry may give only ``state``; {} when nothing is known."""
    state: str
    effective: str | None
    ended: str | None
    replaced_by: list[str]
    amended_by: list[str]
    source: str | None
    inferred: bool
    note: str | None
    provisions: list[dict[str, str]]
    successor: str | None
    label: str


@dataclass
class Status:
    """One document's status (the ``status`` object of the document JSON, docs/MODEL.md)."""

    state: str = UNKNOWN
    effective: str | None = None        # ISO date it took effect
    ended: str | None = None            # ISO date it ended (or ends: a sunset clause)
    replaced_by: list[str] = field(default_factory=list)   # document ids
    amended_by: list[str] = field(default_factory=list)
    source: str | None = None           # the clause or text that says so (Vietnamese, for users)
    inferred: bool = False              # deduced, not stated by a text
    note: str | None = None
    provisions: list[dict[str, str]] = field(default_factory=list)  # {section, by, by_section}
    successor: str | None = None        # the corpus document that now holds its rules (end of the chain)

    @property
    def label(self) -> str:
        return LABELS.get(self.state, LABELS[UNKNOWN])

    def to_dict(self) -> StatusDict:
        return StatusDict(**asdict(self), label=self.label)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Status":
        """From the document JSON or a registry entry's ``status`` (whose ``by`` names replacements)."""
        data = dict(data or {})
        if "by" in data and "replaced_by" not in data:
            data["replaced_by"] = list(data.pop("by") or [])
        if data.get("derived") and "inferred" not in data:
            data["inferred"] = False
        state = data.get("state") or UNKNOWN
        return cls(state=state if state in STATES else UNKNOWN,
                   effective=_iso(data.get("effective")), ended=_iso(data.get("ended")),
                   replaced_by=[x for x in data.get("replaced_by") or [] if isinstance(x, str)],
                   amended_by=[x for x in data.get("amended_by") or [] if isinstance(x, str)],
                   source=data.get("source"), inferred=bool(data.get("inferred")), note=data.get("note"),
                   provisions=[p for p in data.get("provisions") or [] if isinstance(p, dict)],
                   successor=data.get("successor") if isinstance(data.get("successor"), str) else None)


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    s = str(value)
    return s if re.fullmatch(r"\d{4}-\d\d-\d\d", s) else None


def parse_date(value: Any) -> _dt.date | None:
    """An ISO date, a date object, or "15/01/2026" (what officers type); None when it is none of these."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or None
    try:
        if m:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
        if m:
            return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def state_on(status: Status | dict | None, when: Any = None) -> str:
    """The state on a date (default: today). Before it took effect: not yet in force; from the day
    it ended: its ended state (superseded/expired); in between: in force (or partly amended)."""
    st = status if isinstance(status, Status) else Status.from_dict(status)
    day = parse_date(when) or _dt.date.today()
    eff, end = parse_date(st.effective), parse_date(st.ended)
    if eff and day < eff:
        return NOT_YET
    if end and day >= end:
        return st.state if st.state in ENDED_STATES else EXPIRED
    if end and day < end and st.state in ENDED_STATES:
        return IN_FORCE
    if st.state == NOT_YET and eff and day >= eff:
        return IN_FORCE
    return st.state


def in_force_on(status: Status | dict | None, when: Any = None) -> bool | None:
    """True / False, or None when the status is unknown."""
    s = state_on(status, when)
    if s == UNKNOWN:
        return None
    return s in (IN_FORCE, AMENDED)


def in_force_documents(statuses: dict[str, Status | dict], when: Any = None) -> list[str]:
    """"What was in force on date D": the ids (sorted) whose state on D is in force."""
    return sorted(i for i, st in statuses.items() if in_force_on(st, when))


# --- the texts' own effect clauses -------------------------------------------------------------

_MONTH_DATE = re.compile(r"ngày\s+(\d{1,2})\s*(?:tháng|/)\s*(\d{1,2})\s*(?:năm|/)\s*(\d{4})")
# "Nghị định này có hiệu lực thi hành (kể) từ ngày 01 tháng 7 năm 2025"
_EFFECTIVE = re.compile(
    r"(?i)\b(?:luật|nghị định|nghị quyết|quyết định|thông tư(?: liên tịch)?|pháp lệnh|chỉ thị|quy định|quy chế)"
    r" này(?: có| sẽ có)? hiệu lực(?: thi hành)?(?: kể)? từ\s+(ngày\s+\d{1,2}\s*(?:tháng|/)\s*\d{1,2}\s*(?:năm|/)\s*\d{4})")
# "… hết hiệu lực (kể) từ ngày 01 tháng 3 năm 2027" said of the text itself
_SUNSET = re.compile(
    r"(?i)\b(?:luật|nghị định|nghị quyết|quyết định|thông tư(?: liên tịch)?)"
    r" này hết hiệu lực(?: thi hành)?(?: kể)? từ\s+(ngày\s+\d{1,2}\s*(?:tháng|/)\s*\d{1,2}\s*(?:năm|/)\s*\d{4})")


def _date_of(text: str) -> str | None:
    m = _MONTH_DATE.search(text)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None


def _dated_clause(pattern: re.Pattern, text: str) -> tuple[str, str] | None:
    """(ISO date, the clause) of the first match of ``pattern`` (its group 1 the date), if any."""
    m = pattern.search(text)
    if not m:
        return None
    date = _date_of(m.group(1))
    return (date, _clause(text, m.start(), m.end())) if date else None


def effective_clause(text: str) -> tuple[str, str] | None:
    """(ISO date, the clause) of "… này có hiệu lực thi hành từ ngày …" in a text, if any."""
    return _dated_clause(_EFFECTIVE, text)


def sunset_clause(text: str) -> tuple[str, str] | None:
    """(ISO date, the clause) of "… này hết hiệu lực kể từ ngày …" (a sunset), if any."""
    return _dated_clause(_SUNSET, text)


def _clause(text: str, start: int, end: int) -> str:
    lo = max(text.rfind("\n", 0, start) + 1, 0)
    hi = text.find("\n", end)
    return " ".join(text[lo:hi if hi >= 0 else len(text)].split())[:300]
