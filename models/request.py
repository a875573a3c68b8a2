"""A herder's request, the offers made to teams for it, and the events of its life."""
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .household import Household
from .roster import Language, Member, Place, Team


class RequestStatus(enum.StrEnum):
    """Where a request stands: received → offered → accepted → done; or escalated (leaders hold it), cancelled."""

    received = "received"
    offered = "offered"
    accepted = "accepted"
    done = "done"
    escalated = "escalated"
    cancelled = "cancelled"


OPEN_STATUSES = (RequestStatus.received, RequestStatus.offered, RequestStatus.accepted, RequestStatus.escalated)


class OfferStatus(enum.StrEnum):
    """Where one team's offer stands: open until a member accepts or declines it, or it times out (expired)."""

    open = "open"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    superseded = "superseded"  # another team took the request, or a leader stepped in


class Request(db.Model):
    """A herder's request for help: what is needed, who asked and from where, who holds it, where it stands."""

    __tablename__ = "request"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(6), unique=True)
    status: Mapped[RequestStatus] = mapped_column(default=RequestStatus.received, index=True)
    category: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10), default="sms")
    caller_phone: Mapped[str] = mapped_column(String(64), index=True)  # as long as any caller id we store
    # The caller cannot be called back or texted (a withheld number, a SIP address): every such call is a
    # stranger, and their new requests are capped (dispatch/requests/withheld.py).
    withheld: Mapped[bool] = mapped_column(default=False)
    language: Mapped[Language] = mapped_column(default=Language.zh)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    holder_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    holder_member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    # The last ranking: the pick and every team passed over, with reasons, as leaders read it.
    ranking: Mapped[list | None] = mapped_column(JSON)
    escalation_level: Mapped[int] = mapped_column(default=0)
    solved: Mapped[bool | None]  # the herder's answer to the closing SMS
    recording_url: Mapped[str | None] = mapped_column(String(500))  # a voice message left on the hotline
    # Which service of the notice's catalogue it is (dispatch/requests/subcategories.py): read from the words,
    # or set by a leader; None when nothing says.
    subcategory: Mapped[str | None] = mapped_column(String(20), index=True)

    household: Mapped[Household | None] = relationship()
    place: Mapped[Place | None] = relationship()
    holder_team: Mapped[Team | None] = relationship(foreign_keys=[holder_team_id])
    holder_member: Mapped[Member | None] = relationship()
    offers: Mapped[list["Offer"]] = relationship(back_populates="request", order_by="Offer.id")
    events: Mapped[list["Event"]] = relationship(back_populates="request", order_by="Event.id")

    @property
    def is_emergency(self) -> bool:
        """Whether the herder asked for emergency help (category 9)."""
        return self.category == 9


class Offer(db.Model):
    """A request offered to one team (at most once), open until a member accepts or declines or it times out."""

    __tablename__ = "offer"
    __table_args__ = (
        UniqueConstraint("request_id", "team_id"),
        # Exactly one holder per request, whatever the application code does.
        Index(
            "uq_offer_one_accepted",
            "request_id",
            unique=True,
            postgresql_where=text("status = 'accepted'"),
            sqlite_where=text("status = 'accepted'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    status: Mapped[OfferStatus] = mapped_column(default=OfferStatus.open, index=True)
    distance_km: Mapped[float | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    reason: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[Request] = relationship(back_populates="offers")
    team: Mapped[Team] = relationship()
    decided_by: Mapped[Member | None] = relationship()
    declines: Mapped[list["OfferDecline"]] = relationship(back_populates="offer", order_by="OfferDecline.at")


class OfferDecline(db.Model):
    """One member's "no" to an offer: that member is withdrawn; the team's offer stands for the others."""

    __tablename__ = "offer_decline"
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")

    offer: Mapped[Offer] = relationship(back_populates="declines")
    member: Mapped[Member] = relationship()


class Event(db.Model):
    """One step in a request's life: who did what, when and why. Timelines and ledgers read these."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(120), default="system")
    detail: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[Request] = relationship(back_populates="events")

    @classmethod
    def record(cls, session, request, kind: str, now, actor: str = "system", detail: str = "") -> "Event":
        """Add one event row to the request's timeline: every transition, with who and why."""
        event = cls(request=request, kind=kind, at=now, actor=actor, detail=detail)
        session.add(event)
        return event
