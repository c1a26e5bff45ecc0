"""Deadlines approaching for a unit: the yearly dates by which a proposal of an award must reach
the deciding level, read from the award catalogue's "deadline" facts in force ("chậm nhất vào ngày
30 tháng 6 hằng năm", "trước ngày 10/12 hằng năm"), for the awards the unit has open proposals
or registrations of. A deadline counted in working days from a receipt is not a calendar date and
is not listed; nor is one tied to another year ("năm liền kề")."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from awards.catalogue import Award

from .dossier import find_award

# "chậm nhất vào ngày 30 tháng 6", "chậm nhất ngày 31 tháng 10", "trước ngày 10/12", "trước ngày 31 tháng 3"
_DAY_MONTH = re.compile(r"(?:chậm nhất(?: vào)? ngày|trước ngày) (\d{1,2})(?: tháng |/)(\d{1,2})\b")
_YEARLY = ("hằng năm", "hàng năm")
HORIZON_DAYS = 90


@dataclass(frozen=True)
class Deadline:
    award: str
    day: dt.date
    days_left: int
    article: str          # "khoản 1 Điều 35 Nghị định 152/2025/NĐ-CP"
    quote: str


def yearly_dates(award: Award, on: dt.date, province: str | None = None) -> list[tuple[int, int, object]]:
    """(day, month, fact) of each yearly deadline of ``award`` in force on ``on``."""
    out = []
    for f in award.facts_on(on, province=province):
        if f.kind != "deadline" or not any(w in f.quote for w in _YEARLY) or "năm liền kề" in f.quote:
            continue
        for d, m in _DAY_MONTH.findall(f.quote):
            out.append((int(d), int(m), f))
    return out


def _next(day: int, month: int, today: dt.date) -> dt.date | None:
    for year in (today.year, today.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            return None
        if when >= today:
            return when
    return None


def approaching(award_names: list[str], today: dt.date, province: str | None = None,
                horizon: int = HORIZON_DAYS) -> list[Deadline]:
    """The deadlines of these awards from ``today`` to ``horizon`` days on, soonest first."""
    out = []
    for name in dict.fromkeys(award_names):
        award = find_award(name)
        for d, m, f in yearly_dates(award, today, province):
            when = _next(d, m, today)
            if when and (when - today).days <= horizon:
                article = " ".join(x for x in (f.clause, f.article) if x) + f" của {f.doc}"
                out.append(Deadline(award.name, when, (when - today).days, article, f.quote))
    return sorted(out, key=lambda x: (x.day, x.award))
