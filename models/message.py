"""Every SMS in and out, recorded before anything else happens to it."""
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db


class InboundMessage(db.Model):
    """One SMS received on the duty number, stored before it is acted on, with the kind of sender and the answer."""

    __tablename__ = "inbound_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Twilio's MessageSid: a second delivery of the same webhook finds this row and changes nothing.
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_phone: Mapped[str] = mapped_column(String(64), index=True)
    to_phone: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]
    sender_kind: Mapped[str] = mapped_column(String(20), default="herder")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    form: Mapped[dict] = mapped_column(JSON, default=dict)

    request: Mapped["Request | None"] = relationship()  # noqa: F821


class OutboundStatus(enum.StrEnum):
    """Where an outgoing SMS stands, from recorded to the provider's last report (or never sent)."""

    pending = "pending"  # recorded, not yet handed to the provider
    sending = "sending"  # handed over; if no answer came back, the provider may or may not have it
    sent = "sent"  # the provider took it
    delivered = "delivered"
    undelivered = "undelivered"
    failed = "failed"  # the provider refused it, or it failed for good
    blocked = "blocked"  # over the recipient's daily budget: never sent
    replied = "replied"  # the webhook's own TwiML answer; the provider sends it


FINAL_FAILURES = (OutboundStatus.undelivered, OutboundStatus.failed, OutboundStatus.blocked)


class OutboundMessage(db.Model):
    """One SMS we send, recorded once (by its key) before it is sent, with its provider id and status history."""

    __tablename__ = "outbound_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    # (request, step, recipient): recording the same message twice finds the first row.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    to_phone: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offer.id"), index=True)
    status: Mapped[OutboundStatus] = mapped_column(default=OutboundStatus.pending, index=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[str | None] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    attempted_at: Mapped[datetime | None]  # when the last attempt began
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    request: Mapped["Request | None"] = relationship()  # noqa: F821
    offer: Mapped["Offer | None"] = relationship()  # noqa: F821
    history: Mapped[list["MessageStatusEvent"]] = relationship(order_by="MessageStatusEvent.id")


class MessageStatusEvent(db.Model):
    """One status callback (or send attempt) for an outbound message.

    A callback can beat our own record of the provider's id (Twilio reports while the worker is still
    committing): it is kept with its `provider_sid` and no message yet, and joined to the message then.
    """

    __tablename__ = "message_status_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_message.id"), index=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(20))
