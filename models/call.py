"""Phone calls: herders calling the duty number, and the calls we place to duty members to read an offer."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db
from .roster import Language, Leader, Member, Place


class CallKind(enum.StrEnum):
    """Which way a call goes: a herder calling the duty number, or us calling a duty member (to read an offer)
    or a leader (to read an escalation whose SMS could not be sent)."""

    inbound = "inbound"  # a herder called the duty number
    offer = "offer"  # we called a duty member to read an offer
    leader = "leader"  # we called a leader whose escalation SMS could not be sent
    checkin = "checkin"  # we called a household on the register: the weekly check-in (press 1 or 2)


class CallStep(enum.StrEnum):
    """Where the call stands. Inbound: language → gacha → menu → (recording | dialing) → done, or missed.
    Offer calls: pending (recorded) → placed → reading → done, or missed / failed. Leader calls the same, and
    `confirmed` when the leader pressed 1: the only proof that a person heard the escalation."""

    language = "language"
    gacha = "gacha"
    menu = "menu"
    recording = "recording"
    dialing = "dialing"
    done = "done"
    missed = "missed"  # hung up before choosing (inbound), or nobody answered (offer)
    pending = "pending"
    placed = "placed"
    reading = "reading"
    failed = "failed"
    confirmed = "confirmed"


class Call(db.Model):
    """One phone call, from a herder or to a duty member: its step, the keys pressed, and the request it led to."""

    __tablename__ = "call"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CallKind] = mapped_column(default=CallKind.inbound)
    # Twilio's CallSid: a second delivery of the same webhook finds this row. None until an offer call is placed.
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Offer calls: (offer, member), so a member is called at most once per offer.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    from_phone: Mapped[str] = mapped_column(String(64), index=True)
    to_phone: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[Language | None]
    gacha: Mapped[str | None] = mapped_column(String(12))  # the gacha number keyed, known or not
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    step: Mapped[CallStep] = mapped_column(default=CallStep.language)
    attempts: Mapped[int] = mapped_column(default=0)  # repeats of the current step
    keys: Mapped[str] = mapped_column(String(200), default="")  # every key pressed, steps separated by '|'
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offer.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leader.id"))  # leader calls: who is rung
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkin.id"))  # check-in calls: which check-in
    dialed_phone: Mapped[str | None] = mapped_column(String(64))  # the shift lead an emergency was put through to
    dial_status: Mapped[str | None] = mapped_column(String(20))  # Twilio's DialCallStatus
    provider_status: Mapped[str] = mapped_column(String(20), default="")  # Twilio's latest CallStatus
    error: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    place: Mapped[Place | None] = relationship()
    request: Mapped["Request | None"] = relationship()  # noqa: F821
    offer: Mapped["Offer | None"] = relationship()  # noqa: F821
    member: Mapped[Member | None] = relationship()
    leader: Mapped[Leader | None] = relationship()
    checkin: Mapped["Checkin | None"] = relationship()  # noqa: F821

    @classmethod
    def picked_up(cls, session, call_id: int | None, kind: CallKind, sid: str | None) -> "Call | None":
        """The call of `kind` we placed whose TwiML Twilio now fetches (None when it is not one of ours): its
        CallSid kept, and the call marked as being read."""
        call = session.get(cls, call_id) if call_id else None
        if call is None or call.kind != kind or (sid and call.call_sid and call.call_sid != sid):
            return None
        if sid and not call.call_sid:
            call.call_sid = sid[:64]
        if call.step in (CallStep.pending, CallStep.placed):
            call.step = CallStep.reading
        return call

    def press(self, keys: str) -> None:
        """Keep the keys of one step, for the record (bounded: a caller may lean on the keypad)."""
        self.keys = (self.keys + "|" + keys if self.keys else keys)[-200:]
