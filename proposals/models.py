"""The tables of registrations and proposals (SQLAlchemy 2, typed), with their own metadata so
their migrations (proposals/migrations, version table ``proposals_alembic_version``) never touch
the records' tables; the foreign keys point at the records' Unit, Movement, Person, Collective and
Decision by their Column objects. Every table is prefixed ``proposal_`` / ``registration``.

Times are naive UTC, as in accounts."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from records.models import Collective, Decision, Movement, Person, Unit

NAMING = {"ix": "ix_%(column_0_label)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s"}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Registration(Base):
    """A unit's đăng ký thi đua for a year under a movement: the titles it aims at, sent to the
    level above, which receives it or returns it with a reason."""
    __tablename__ = "registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey(Unit.__table__.c.id), index=True)
    receiver_id: Mapped[int | None] = mapped_column(ForeignKey(Unit.__table__.c.id))
    year: Mapped[int] = mapped_column(Integer, index=True)
    movement_id: Mapped[int | None] = mapped_column(ForeignKey(Movement.__table__.c.id))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    reason: Mapped[str | None] = mapped_column(Text)                 # why it was returned
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    unit: Mapped[Unit] = relationship(Unit, foreign_keys=[unit_id])
    receiver: Mapped[Unit | None] = relationship(Unit, foreign_keys=[receiver_id])
    movement: Mapped[Movement | None] = relationship(Movement)
    entries: Mapped[list[RegistrationEntry]] = relationship(back_populates="registration", cascade="all, delete-orphan",
                                                            order_by="RegistrationEntry.id")


class RegistrationEntry(Base):
    """One collective or individual registered for one title."""
    __tablename__ = "registration_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))                    # individual | collective
    name: Mapped[str] = mapped_column(String(300))
    award: Mapped[str] = mapped_column(String(200))                  # the catalogue's name
    note: Mapped[str | None] = mapped_column(Text)
    registration: Mapped[Registration] = relationship(back_populates="entries")


class Proposal(Base):
    """A hồ sơ đề nghị khen thưởng: one award for its recipients, held by the proposing unit
    (draft, returned) or the receiving unit (submitted … approved), until decided."""
    __tablename__ = "proposal"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey(Unit.__table__.c.id), index=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey(Unit.__table__.c.id), index=True)
    award: Mapped[str] = mapped_column(String(200))                  # the catalogue's name
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(400))
    movement_id: Mapped[int | None] = mapped_column(ForeignKey(Movement.__table__.c.id))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    reason: Mapped[str | None] = mapped_column(Text)                 # of the last return / rejection
    justification: Mapped[str | None] = mapped_column(Text)          # sent despite the check's failures
    failures: Mapped[Any | None] = mapped_column(JSON)               # the check's failures at the last submit
    decision_id: Mapped[int | None] = mapped_column(ForeignKey(Decision.__table__.c.id))
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    unit: Mapped[Unit] = relationship(Unit, foreign_keys=[unit_id])
    receiver: Mapped[Unit] = relationship(Unit, foreign_keys=[receiver_id])
    movement: Mapped[Movement | None] = relationship(Movement)
    decision: Mapped[Decision | None] = relationship(Decision)
    recipients: Mapped[list[Recipient]] = relationship(back_populates="proposal", cascade="all, delete-orphan",
                                                       order_by="Recipient.id")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="proposal", cascade="all, delete-orphan",
                                                         order_by="Attachment.id")
    moves: Mapped[list[Move]] = relationship(back_populates="proposal", cascade="all, delete-orphan", order_by="Move.id")


class Recipient(Base):
    __tablename__ = "proposal_recipient"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))                    # individual | collective | household
    name: Mapped[str] = mapped_column(String(300))
    person_id: Mapped[int | None] = mapped_column(ForeignKey(Person.__table__.c.id))
    collective_id: Mapped[int | None] = mapped_column(ForeignKey(Collective.__table__.c.id))
    achievement: Mapped[str | None] = mapped_column(Text)
    proposal: Mapped[Proposal] = relationship(back_populates="recipients")


class Attachment(Base):
    """A file of the dossier, stored on disk under its random ``stored_name`` (never the name the
    officer gave), with the type its content was sniffed as."""
    __tablename__ = "proposal_attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))                    # proposals/data/documents.yaml id
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    proposal: Mapped[Proposal] = relationship(back_populates="attachments")


class Move(Base):
    """One move of a proposal or a registration: who, when, from which status to which, why."""
    __tablename__ = "proposal_move"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(String(64))               # the unit the actor moved it for
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    proposal: Mapped[Proposal | None] = relationship(back_populates="moves")
