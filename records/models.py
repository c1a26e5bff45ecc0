"""The records' tables (SQLAlchemy 2, typed). Names shown are the original NFC text; the
``*_folded`` columns (corpus.vntext.fold) exist only for accent-insensitive matching."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

UNIT_LEVELS = ("xã", "phường", "huyện", "sở-ngành", "tỉnh", "khác")
RECIPIENT_KINDS = ("individual", "collective", "household")
PERIODS = ("chống Pháp", "chống Mỹ", "bảo vệ Tổ quốc")


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """An đơn vị (xã/phường → huyện → tỉnh, or a sở/ngành). A merged unit keeps its rows and
    history; ``merged_into`` points at the unit that took it over, ``valid_to`` ends it."""
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    province: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", foreign_keys=[parent_id])
    merged_into: Mapped[Unit | None] = relationship(remote_side="Unit.id", foreign_keys=[merged_into_id])


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    unit: Mapped[Unit | None] = relationship()


class Collective(Base):
    """A tập thể (or a hộ gia đình): a named group inside a unit."""
    __tablename__ = "collective"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="collective")   # collective | household
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    unit: Mapped[Unit | None] = relationship()


class AwardKind(Base):
    """One award of the catalogue (awards/data/catalogue.yaml), copied in on first use."""
    __tablename__ = "award_kind"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)   # awards.catalogue.name_key of the name
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[str] = mapped_column(String(60))               # "individual,collective"


class Decision(Base):
    """A quyết định khen thưởng. The căn cứ lines are kept as cited (checked on display)."""
    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("number", "issuer", "date", name="uq_decision_number_issuer_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    issuer: Mapped[str] = mapped_column(String(300))
    signer: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(100))                 # cấp khen thưởng
    basis: Mapped[str | None] = mapped_column(Text)                        # căn cứ lines, one a line
    submitter: Mapped[str | None] = mapped_column(String(300))             # cơ quan trình (state-level awards)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    owner_unit: Mapped[Unit | None] = relationship()
    lines: Mapped[list[AwardLine]] = relationship(back_populates="decision", order_by="AwardLine.id")


class AwardLine(Base):
    """Who received which award by which decision, for which year or achievement.
    ``recipient_key`` ("p:12" / "c:7") makes a line unique without NULLs in the constraint."""
    __tablename__ = "award_line"
    __table_args__ = (UniqueConstraint("decision_id", "recipient_key", "award_kind_id", name="uq_award_line"),
                      Index("ix_award_line_kind_date", "award_kind_id", "decision_date"),
                      Index("ix_award_line_unit_date", "unit_id", "decision_date"),
                      Index("ix_award_line_date_name", "decision_date", "recipient_folded"))
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    recipient_key: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    award_kind_id: Mapped[str] = mapped_column(ForeignKey("award_kind.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))     # the recipient's unit then
    decision_date: Mapped[dt.date] = mapped_column(Date, index=True)       # copied for period filters
    year: Mapped[int | None] = mapped_column(Integer)
    achievement: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(30), default="thuong_xuyen")  # phương thức (reports/0602)
    # the recipient's folded name, copied: a common name ("nguyen") is found walking the lines
    # newest first in one index (date, name), never reading the lines themselves
    recipient_folded: Mapped[str | None] = mapped_column(String(300))

    decision: Mapped[Decision] = relationship(back_populates="lines")
    person: Mapped[Person | None] = relationship()
    collective: Mapped[Collective | None] = relationship()
    award_kind: Mapped[AwardKind] = relationship()
    unit: Mapped[Unit | None] = relationship()


class ResistanceAward(Base):
    """Khen thưởng thành tích kháng chiến (Huân chương Kháng chiến hạng Nhất …, chống Pháp/chống Mỹ)."""
    __tablename__ = "resistance_award"
    __table_args__ = (UniqueConstraint("decision_id", "recipient_key", "kind", name="uq_resistance_award"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(30))
    recipient_key: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    person: Mapped[Person | None] = relationship()
    collective: Mapped[Collective | None] = relationship()
    decision: Mapped[Decision] = relationship()


class Movement(Base):
    """A phong trào thi đua launched by a unit (form 0601)."""
    __tablename__ = "movement"
    __table_args__ = (UniqueConstraint("name", "unit_id", "launched", name="uq_movement"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))                 # thuong_xuyen | chuyen_de
    launched: Mapped[dt.date] = mapped_column(Date, index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    unit: Mapped[Unit | None] = relationship()


class AuditEntry(Base):
    """One change to one row: who (``actor``), when, what (before/after as JSON)."""
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))               # insert | update | delete
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(120))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    # the decision a change belongs to (a decision's own row, its award lines, its resistance-war
    # awards): the decision page's history, found by index even for lines deleted since
    decision_id: Mapped[int | None] = mapped_column(Integer, index=True)
