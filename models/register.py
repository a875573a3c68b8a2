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
