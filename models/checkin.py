"""The weekly round: each paired member's numbered list, and the hotline's own check-in with a household."""
import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .household import Household
from .register import ContactChannel
from .roster import Member


class CheckinItem(db.Model):
    """One line of a paired member's numbered list: in their latest list, `V <number>` names this household."""

    __tablename__ = "checkin_item"
    __table_args__ = (UniqueConstraint("member_id", "day", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    day: Mapped[date] = mapped_column(Date)  # the round's local day
    number: Mapped[int]
    listed_at: Mapped[datetime]

    household: Mapped[Household] = relationship()
    member: Mapped[Member] = relationship()


class CheckinStatus(enum.StrEnum):
    """Where the hotline's check-in stands: waiting for an answer, answered, or given up after two tries (the
    paired member was asked to visit)."""

    waiting = "waiting"
    answered = "answered"
    given_up = "given_up"


class Checkin(db.Model):
    """The hotline's own check-in with a household in one round: a call (press 1 or 2) or, for those who read,
    an SMS answered with a word of its own; tried at most twice."""

    __tablename__ = "checkin"
    __table_args__ = (UniqueConstraint("household_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[ContactChannel]  # call or sms
    phone: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[CheckinStatus] = mapped_column(default=CheckinStatus.waiting, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_try_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]

    household: Mapped[Household] = relationship()
