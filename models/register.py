"""The register of vulnerable residents: every contact with a household, however it was made."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .household import Household
from .roster import Member


class ContactChannel(enum.StrEnum):
    """How a household was contacted: a member's visit or call reported by SMS (visit), the hotline's own voice
    check-in (call) or SMS check-in (sms), or a request done for the household (request)."""

    visit = "visit"
    call = "call"
    sms = "sms"
    request = "request"


class ContactOutcome(enum.StrEnum):
    """What a contact found: all well, help needed (a request is opened), or nobody reached."""

    well = "well"
    needs_help = "needs_help"
    not_reached = "not_reached"


class Contact(db.Model):
    """One contact with a household on the register; the weekly rule and the activity ledger read these rows."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    at: Mapped[datetime]
    channel: Mapped[ContactChannel]
    outcome: Mapped[ContactOutcome]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))  # who made or reported it
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"))  # the request it opened or closed
    note: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household] = relationship()
    member: Mapped[Member | None] = relationship()

    @classmethod
    def record(cls, session, household, now, channel, outcome, member=None, request=None, note="") -> "Contact":
        """One contact with the household (flushed, not committed)."""
        contact = cls(household=household, at=now, channel=ContactChannel(channel), outcome=ContactOutcome(outcome),
                      member=member, request_id=request.id if request is not None else None, note=note[:500])
        session.add(contact)
        session.flush()
        return contact

    @classmethod
    def request_done(cls, session, request, now, member=None, note="") -> "Contact | None":
        """A request done (by a team, or closed by a leader) reached its household: a contact, all well, when
        the household is on the register. Here, at the ground, so the ladder and the leaders' actions need not
        reach up into the register to write it."""
        household = request.household
        if household is None or not household.on_register:
            return None
        return cls.record(session, household, now, ContactChannel.request, ContactOutcome.well, member=member,
                          request=request, note=note)
