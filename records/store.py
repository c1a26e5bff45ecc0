"""Find-or-create of the rows an import or the demo refers to by name (units, people,
collectives, award kinds, decisions), cached for one session so a 10,000-line file costs one
query per new name, not per line."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from awards.catalogue import Award, name_key
from corpus.vntext import fold, nfc

from .models import AwardKind, AwardLine, Collective, Decision, Person, ResistanceAward, Unit

# The level of a unit from the words its name begins with (after "Ủy ban nhân dân").
_LEVEL_WORDS = [("phuong", "phường"), ("xa", "xã"), ("thi tran", "xã"), ("huyen", "huyện"), ("quan", "huyện"),
                ("thi xa", "huyện"), ("thanh pho", "huyện"), ("so", "sở-ngành"), ("ban", "sở-ngành"),
                ("cong an", "sở-ngành"), ("bo chi huy", "sở-ngành"), ("tinh", "tỉnh")]
_UBND = re.compile(r"^(uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\s+")


def clean(text: str | None) -> str:
    """NFC, one space between words, no spaces at the ends."""
    return " ".join(nfc(str(text or "")).split())


def folded(text: str) -> str:
    return " ".join(fold(clean(text)).split())


def unit_level(name: str) -> str:
    key = _UBND.sub("", folded(name))
    for words, level in _LEVEL_WORDS:
        if key == words or key.startswith(words + " "):
            return level
    return "khác"


def unit_code(name: str) -> str:
    """The code a new unit of this name gets (Unit.code; officers' roles name units by it, so it
    is one an officer's unit may be: letters, digits, '.', '_', '-', at most 64 characters).
    "Ủy ban nhân dân xã Tân Thành, huyện Hàm Thuận Nam" → "uy-ban-nhan-dan-xa-tan-thanh-huyen-ham-thuan-nam-…":
    a name whose punctuation was dropped or that was cut short ends in 8 hex digits of its
    folded name, so two such names never share a code."""
    key = folded(name)
    plain = key.replace(" ", "-")
    code = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9._-]", "-", plain)).strip("-._") or "don-vi"
    if code == plain and len(code) <= 64:
        return code
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{code[:55].rstrip('-._')}-{digest}"


def award_kind_id(award: Award) -> str:
    return name_key(award.name).replace(" ", "-")[:120]


@dataclass
class Store:
    session: Session
    units: dict[str, Unit] = field(default_factory=dict)
    kinds: dict[str, AwardKind] = field(default_factory=dict)
    people: dict[tuple, Person] = field(default_factory=dict)
    groups: dict[tuple, Collective] = field(default_factory=dict)
    decisions: dict[tuple, Decision] = field(default_factory=dict)
    line_keys: dict[int, set[tuple]] = field(default_factory=dict)

    def unit(self, name: str, province: str | None = None, level: str | None = None,
             parent: Unit | None = None) -> Unit:
        key = folded(name)
        if key not in self.units:
            u = self.session.scalars(select(Unit).where(Unit.name_folded == key).order_by(Unit.id)).first()
            if u is None:
                u = Unit(code=unit_code(name), name=clean(name), name_folded=key,
                         level=level or unit_level(name), province=province, parent=parent)
                self.session.add(u)
            self.units[key] = u
        return self.units[key]

    def award_kind(self, award: Award) -> AwardKind:
        kid = award_kind_id(award)
        if kid not in self.kinds:
            k = self.session.get(AwardKind, kid)
            if k is None:
                k = AwardKind(id=kid, name=award.name, level=award.level, category=award.category,
                              recipients=",".join(award.recipients))
                self.session.add(k)
            self.kinds[kid] = k
        return self.kinds[kid]

    def person(self, name: str, unit: Unit, birth_year: int | None = None) -> Person:
        key = (folded(name), clean(name), id(unit), birth_year)
        if key not in self.people:
            p = None
            if unit.id is not None:
                p = self.session.scalars(select(Person).where(
                    Person.name_folded == key[0], Person.full_name == key[1], Person.unit_id == unit.id,
                    Person.birth_year.is_(None) if birth_year is None else Person.birth_year == birth_year)).first()
            if p is None:
                p = Person(full_name=key[1], name_folded=key[0], birth_year=birth_year, unit=unit)
                self.session.add(p)
            self.people[key] = p
        return self.people[key]

    def collective(self, name: str, unit: Unit, kind: str = "collective") -> Collective:
        key = (folded(name), clean(name), id(unit))
        if key not in self.groups:
            c = None
            if unit.id is not None:
                c = self.session.scalars(select(Collective).where(
                    Collective.name_folded == key[0], Collective.name == key[1], Collective.unit_id == unit.id)).first()
            if c is None:
                c = Collective(name=key[1], name_folded=key[0], kind=kind, unit=unit)
                self.session.add(c)
            self.groups[key] = c
        return self.groups[key]

    def decision(self, number: str, issuer: str, date: dt.date, **fields) -> tuple[Decision, bool]:
        """The decision (number, issuer, date), created with ``fields`` when new; True when new."""
        key = (clean(number), clean(issuer), date)
        if key in self.decisions:
            return self.decisions[key], False
        d = self.session.scalars(select(Decision).where(
            Decision.number == key[0], Decision.issuer == key[1], Decision.date == date)).first()
        new = d is None
        if new:
            d = Decision(number=key[0], issuer=key[1], date=date, **fields)
            self.session.add(d)
        self.decisions[key] = d
        return d, new

    def _keys(self, d: Decision) -> set[tuple]:
        if id(d) not in self.line_keys:
            keys: set[tuple] = set()
            if d.id is not None:
                keys |= {("l", k, a) for k, a in self.session.execute(
                    select(AwardLine.recipient_key, AwardLine.award_kind_id).where(AwardLine.decision_id == d.id))}
                keys |= {("r", k, a) for k, a in self.session.execute(
                    select(ResistanceAward.recipient_key, ResistanceAward.kind).where(ResistanceAward.decision_id == d.id))}
            self.line_keys[id(d)] = keys
        return self.line_keys[id(d)]

    def add_line(self, d: Decision, recipient: Person | Collective, kind: AwardKind, **fields) -> bool:
        """Add the award line unless the decision already has it; True when added."""
        if recipient.id is None:
            self.session.flush()   # the new recipient's id makes the line's key
        rkey = _recipient_key(recipient)
        keys = self._keys(d)
        if ("l", rkey, kind.id) in keys:
            return False
        keys.add(("l", rkey, kind.id))
        unit = recipient.unit
        line = AwardLine(decision=d, recipient_key=rkey, award_kind=kind, unit=unit, decision_date=d.date,
                         recipient_folded=recipient.name_folded,
                         person=recipient if isinstance(recipient, Person) else None,
                         collective=recipient if isinstance(recipient, Collective) else None, **fields)
        self.session.add(line)
        return True

    def add_resistance(self, d: Decision, recipient: Person | Collective, kind: str, period: str) -> bool:
        if recipient.id is None:
            self.session.flush()
        rkey = _recipient_key(recipient)
        keys = self._keys(d)
        if ("r", rkey, kind) in keys:
            return False
        keys.add(("r", rkey, kind))
        self.session.add(ResistanceAward(decision=d, recipient_key=rkey, kind=kind, period=period,
                                         person=recipient if isinstance(recipient, Person) else None,
                                         collective=recipient if isinstance(recipient, Collective) else None))
        return True


def _recipient_key(recipient: Person | Collective) -> str:
    return ("p:" if isinstance(recipient, Person) else "c:") + str(recipient.id)
