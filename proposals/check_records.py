"""What the pre-send check reads from the records: a nominee's award history (the year each title
and award was for, as awards.eligibility.History) and the counts the ratio rules compare (who in a
unit holds a title in a year)."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from awards.catalogue import Award, Catalogue
from awards.eligibility import RATINGS, History, Year
from records.models import AwardLine, Collective, Person, Unit
from records.store import award_kind_id

from .check_rules import ImpliedRating

TITLE_CATEGORY = "danh hiệu thi đua"


def recipient_key(nominee) -> str | None:
    """The records' key of a nominee ("p:12", "c:7"), None when not in the records."""
    if nominee.person_id is not None:
        return f"p:{nominee.person_id}"
    if nominee.collective_id is not None:
        return f"c:{nominee.collective_id}"
    return None


def in_records(session: Session, nominee) -> bool:
    if nominee.person_id is not None:
        return session.get(Person, nominee.person_id) is not None
    if nominee.collective_id is not None:
        return session.get(Collective, nominee.collective_id) is not None
    return False


def _line_year(line: AwardLine) -> int:
    # the year the achievement is for; a line without one counts in the year of its decision
    return line.year if line.year is not None else line.decision_date.year


def history_of(session: Session, nominee, catalogue: Catalogue, ratings: Iterable[ImpliedRating] = ()) -> History:
    """The nominee's titles and awards by year from the records, with the ratings their titles imply."""
    key = recipient_key(nominee)
    lines = session.scalars(select(AwardLine).options(joinedload(AwardLine.award_kind))
                            .where(AwardLine.recipient_key == key)).all() if key else []
    years: dict[int, Year] = {}
    for line in lines:
        award = catalogue.get(line.award_kind.name)
        if award is None:            # a kind the catalogue no longer names: not a prerequisite
            continue
        year = years.setdefault(_line_year(line), Year())
        (year.titles if award.category == TITLE_CATEGORY else year.awards).add(award.name)
    implied = {r.title: r.rating for r in ratings}
    for year in years.values():
        for title in year.titles:
            r = implied.get(title)
            if r and (year.rating is None or RATINGS[r] > RATINGS[year.rating]):
                year.rating = r
    return History(name=nominee.name, kind=nominee.kind, years=years)


def unit_ids(session: Session, unit_id: int, scope: str) -> list[int]:
    """The unit alone, or with every unit under it (``unit_tree``)."""
    found, frontier = [unit_id], [unit_id]
    while scope == "unit_tree" and frontier:
        frontier = list(session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        frontier = [u for u in frontier if u not in found]
        found += frontier
    return found


def holders(session: Session, units: list[int], awards: Iterable[Award], year: int) -> set[str]:
    """The recipients (records keys) in ``units`` holding one of ``awards`` for ``year``."""
    kinds = [award_kind_id(a) for a in awards]
    if not kinds or not units:
        return set()
    q = select(AwardLine.recipient_key).where(
        AwardLine.unit_id.in_(units), AwardLine.award_kind_id.in_(kinds),
        or_(AwardLine.year == year, AwardLine.year.is_(None) & (AwardLine.decision_date.between(_dt.date(year, 1, 1), _dt.date(year, 12, 31)))))
    return set(session.scalars(q))


def unit_province(session: Session, unit_id: int | None) -> str | None:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit.province if unit is not None else None


def last_decision(session: Session, nominee, award: Award) -> _dt.date | None:
    """The date of the nominee's latest decision awarding ``award`` in the records."""
    key = recipient_key(nominee)
    if key is None:
        return None
    return session.scalar(select(func.max(AwardLine.decision_date)).where(
        AwardLine.recipient_key == key, AwardLine.award_kind_id == award_kind_id(award)))
